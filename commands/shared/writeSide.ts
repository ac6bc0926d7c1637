import type { SlotWriteDeps } from './claimSlots.ts';
import type { HoldWebhooks } from '../placingHold/holdWebhook.ts';
import type { Clock } from './ports.ts';
import type { GuestDirectory } from './guestDirectory.ts';
import type { PersonalDataVault } from './personalDataVault.ts';

/**
 * Everything the write-side handlers and routes need, built once by the
 * composition root. Tests build it with the in-memory or a non-atomic store
 * and a manual clock.
 */
export interface WriteSide extends SlotWriteDeps {
  readonly clock: Clock;
  /** The platform's surge switch for quotes (DESIGN.md "Pricing"); default true. */
  readonly surgeEnabled?: boolean;
  /** Caps a partner's concurrently active holds; absent → no cap. */
  readonly holdCap?: HoldCap;
  /** Registers seed 004's one-off `webhookUrl` endpoints; absent → holds refuse webhookUrl. */
  readonly holdWebhooks?: HoldWebhooks;
  /** The PII store: seals guests' personal data on holds, erases it; absent → holds record none. */
  readonly personalData?: PersonalDataVault;
  /** Opens the personal data recorded with a reservation (reads); absent → reads show none. */
  readonly guestDirectory?: GuestDirectory;
  /** How long authorize/confirm wait for the saga's answer (3-D Secure next action), ms; absent → 0. */
  readonly paymentAnswerWaitMs?: number;
}

export interface HoldCap {
  /** Most active holds one partner may have at once (seed 004: hold caps per partner). */
  readonly maxActiveHoldsPerPartner: number;
  /** Active holds of `partnerId` right now (from a read model or a counter). */
  activeHolds(partnerId: string): Promise<number>;
}
