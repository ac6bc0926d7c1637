import type { Decider } from '../shared/decider.ts';
import type { PaymentSagaOptions } from './sagaDecide.ts';
import { decidePaymentSaga } from './sagaDecide.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput } from './sagaMessages.ts';
import type { PaymentSagaState } from './sagaState.ts';
import { evolvePaymentSaga, initialPaymentSagaState } from './sagaState.ts';
import { DEFAULT_RETRY_POLICY } from './steps.ts';

export type PaymentSagaDecider = Decider<PaymentSagaInput, PaymentSagaEvent, PaymentSagaState>;

export const DEFAULT_SAGA_OPTIONS: PaymentSagaOptions = {
  retry: DEFAULT_RETRY_POLICY,
  disputeWindowHours: 72,
};

/**
 * The payment process manager of seed 004 steps 4–7 for stream
 * `payment-{reservationId}`: input (a reservation event, a step's outcome, a
 * refund request) → saga events; `commandsFor(event, state)` turns those into
 * outbound commands.
 */
export const createSagaDecider = (
  options: PaymentSagaOptions = DEFAULT_SAGA_OPTIONS,
): PaymentSagaDecider => ({
  decide: (input, state) => decidePaymentSaga(input, state, options),
  evolve: evolvePaymentSaga,
  initialState: initialPaymentSagaState,
});

export const sagaDecider: PaymentSagaDecider = createSagaDecider();
