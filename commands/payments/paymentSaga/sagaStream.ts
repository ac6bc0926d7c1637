import { createSagaDecider } from '../../../domain/payment/sagaDecider.ts';
import type { PaymentSagaEvent } from '../../../domain/payment/sagaEvents.ts';
import type { PaymentSagaInput } from '../../../domain/payment/sagaMessages.ts';
import type { PaymentSagaState, RunningSaga } from '../../../domain/payment/sagaState.ts';
import { paymentStream } from '../../../domain/shared/streams.ts';
import { handleCommand, loadStream } from '../../shared/commandHandler.ts';
import { decodeRecorded } from '../../shared/eventCodec.ts';
import type { EventMetadata } from '../../shared/eventStore.ts';
import type { PaymentSagaDeps } from './sagaDeps.ts';

/** Metadata of everything the saga writes: the reservation correlates, the event that caused it is the cause. */
export const sagaMetadata = (reservationId: string, causationId?: string): EventMetadata => ({
  correlationId: reservationId,
  ...(causationId === undefined ? {} : { causationId }),
  actor: { principal: 'payment-saga', role: 'system' },
});

export const loadSaga = async (
  deps: PaymentSagaDeps,
  reservationId: string,
): Promise<PaymentSagaState> =>
  (await loadStream(deps.write, paymentStream(reservationId), createSagaDecider(deps.options)))
    .state;

export const loadRunningSaga = async (
  deps: PaymentSagaDeps,
  reservationId: string,
): Promise<RunningSaga | undefined> => {
  const state = await loadSaga(deps, reservationId);
  return state.status === 'NONE' ? undefined : state;
};

/** The saga's own events, decoded, in stream order (to find the request a timer points at). */
export const readSagaEvents = async (
  deps: PaymentSagaDeps,
  reservationId: string,
): Promise<PaymentSagaEvent[]> =>
  (await deps.write.store.readStream(paymentStream(reservationId))).map(
    (recorded) => decodeRecorded(deps.write.codec, recorded) as PaymentSagaEvent,
  );

/**
 * Feeds one input to the saga decider and appends what it decides to
 * `payment-{reservationId}` — the outbox: a step is on the log as requested
 * before anything calls the gateway.
 */
export const decideSaga = async (
  deps: PaymentSagaDeps,
  input: PaymentSagaInput,
  reservationId: string,
  causationId?: string,
): Promise<readonly PaymentSagaEvent[]> => {
  const outcome = await handleCommand(
    deps.write,
    paymentStream(reservationId),
    createSagaDecider(deps.options),
    input,
    sagaMetadata(reservationId, causationId),
  );
  return outcome.events;
};
