import type { PaymentSagaOptions } from '../../../domain/payment/sagaDecide.ts';
import type { PaymentStep } from '../../../domain/payment/steps.ts';
import type { WriteDeps } from '../../shared/commandHandler.ts';
import type { Clock } from '../../shared/ports.ts';
import type { PaymentGateway, PaymentOperation } from '../paymentGateway.ts';
import type { PaymentAccounts, SagaTimers, VendorNotifier } from './ports.ts';

/** Everything the payment process manager needs, built once by the composition root. */
export interface PaymentSagaDeps {
  readonly write: WriteDeps;
  readonly gateway: PaymentGateway;
  readonly clock: Clock;
  /** A number in [0, 1) for the backoff jitter (the domain has no randomness). */
  readonly jitter: () => number;
  readonly accounts: PaymentAccounts;
  readonly notifier: VendorNotifier;
  readonly timers: SagaTimers;
  /** Retry policy and dispute window (default DEFAULT_SAGA_OPTIONS: seed 004's retries, 72 h). */
  readonly options: PaymentSagaOptions;
  /**
   * Fault-injection hook: runs right after a gateway call returned and before
   * its outcome is recorded (the crash tests kill the process here).
   */
  readonly afterGatewayCall?: (operation: PaymentOperation, step: PaymentStep) => void;
  /** Operational notes (a refused reservation command, a parked step); never money or PII. */
  readonly log?: (message: string, details: Readonly<Record<string, unknown>>) => void;
}
