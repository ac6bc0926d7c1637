import { DomainError, ValidationError } from '../shared/errors.ts';
import type { SlotKey } from '../shared/streams.ts';
import { parseSlotKey, slotStream } from '../shared/streams.ts';
import type { PlaceHold, ReleaseHold } from './commands.ts';
import { decideSlot } from './decide.ts';
import type { SlotEvent } from './events.ts';
import type { SlotState } from './state.ts';

/**
 * A reservation's claim on several slots (a 3-night stay = 3 slot streams).
 * Slots are always claimed in ascending key order, so two claims that overlap
 * meet on the same first contested slot instead of deadlocking each other
 * half-way; a crash half-way heals itself because holds expire.
 */
export interface ClaimRequest {
  readonly resourceId: string;
  readonly resourceCapacity: number;
  readonly reservationId: string;
  readonly slotKeys: readonly SlotKey[];
  readonly quantity: number;
  readonly expiresAt: string;
  readonly now: string;
}

export interface ClaimStep {
  readonly slotKey: SlotKey;
  readonly stream: string;
  readonly command: PlaceHold;
}

export type ClaimDecision =
  | (ClaimStep & { readonly outcome: 'claimed'; readonly events: SlotEvent[] })
  | (ClaimStep & { readonly outcome: 'refused'; readonly error: DomainError });

export type ClaimPlan =
  | { readonly ok: true; readonly decisions: readonly ClaimDecision[] }
  | {
      readonly ok: false;
      readonly decisions: readonly ClaimDecision[];
      readonly failedAt: number;
      readonly error: DomainError;
      /** Releases for the slots before the failed one, in reverse claim order. */
      readonly compensation: readonly ReleaseStep[];
    };

export interface ReleaseStep {
  readonly slotKey: SlotKey;
  readonly stream: string;
  readonly command: ReleaseHold;
}

/** The claim's steps, sorted by slot key, one PlaceHold per slot. Duplicate keys are refused. */
export const claimSteps = (request: ClaimRequest): ClaimStep[] => {
  if (request.slotKeys.length === 0)
    throw new ValidationError('A claim needs at least one slot key.');
  const sorted = [...request.slotKeys].sort();
  sorted.forEach((key, i) => {
    parseSlotKey(key);
    if (i > 0 && sorted[i - 1] === key)
      throw new ValidationError(`Slot ${key} appears twice in the claim; list each slot once.`);
  });
  const { resourceId, resourceCapacity, reservationId, quantity, expiresAt, now } = request;
  return sorted.map((slotKey) => ({
    slotKey,
    stream: slotStream(resourceId, slotKey),
    command: {
      type: 'PlaceHold',
      resourceId,
      slotKey,
      resourceCapacity,
      reservationId,
      quantity,
      expiresAt,
      now,
    },
  }));
};

/** One step of the step-by-step path: the events to append to that slot stream, or the refusal. */
export const decideClaimStep = (step: ClaimStep, state: SlotState): ClaimDecision => {
  try {
    return { ...step, outcome: 'claimed', events: decideSlot(step.command, state) };
  } catch (error) {
    if (error instanceof DomainError) return { ...step, outcome: 'refused', error };
    throw error;
  }
};

/**
 * The releases that undo a partial claim: every slot before `failedAt` in
 * claim order (whether this attempt or an earlier retry of it placed the
 * hold), newest first. ReleaseHold is idempotent, so re-running it is safe.
 */
export const compensationFor = (
  request: ClaimRequest,
  claimedSlotKeys: readonly SlotKey[],
  reason = 'CLAIM_FAILED',
): ReleaseStep[] =>
  [...claimedSlotKeys]
    .sort()
    .reverse()
    .map((slotKey) => ({
      slotKey,
      stream: slotStream(request.resourceId, slotKey),
      command: {
        type: 'ReleaseHold',
        reservationId: request.reservationId,
        reason,
        now: request.now,
      },
    }));

/**
 * Decides the whole claim against the current state of every slot (missing
 * slots are empty streams). For an atomic store: append every `claimed`
 * decision's events in one transaction when `ok`; otherwise append nothing
 * and report the error. The compensation is there for the step-by-step path.
 */
export const planClaim = (
  request: ClaimRequest,
  stateOf: (slotKey: SlotKey) => SlotState,
): ClaimPlan => {
  const decisions: ClaimDecision[] = [];
  for (const step of claimSteps(request)) {
    const decision = decideClaimStep(step, stateOf(step.slotKey));
    decisions.push(decision);
    if (decision.outcome === 'refused') {
      const failedAt = decisions.length - 1;
      const claimed = decisions.slice(0, failedAt).map((d) => d.slotKey);
      return {
        ok: false,
        decisions,
        failedAt,
        error: decision.error,
        compensation: compensationFor(request, claimed),
      };
    }
  }
  return { ok: true, decisions };
};
