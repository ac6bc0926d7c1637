import { commandsFor } from '../../../domain/payment/sagaCommands.ts';
import type { PaymentSagaEvent } from '../../../domain/payment/sagaEvents.ts';
import { RESERVATION_EVENTS, type ReservationEvent } from '../../../domain/reservation/events.ts';
import { decodeRecorded } from '../../shared/eventCodec.ts';
import { categoryOf, type EventFilter, type RecordedEvent } from '../../shared/eventStore.ts';
import { observeReservationEvent } from './observeReservation.ts';
import { issueReservationCommand } from './reservationCommands.ts';
import { runStep } from './runStep.ts';
import type { PaymentSagaDeps } from './sagaDeps.ts';
import { loadRunningSaga } from './sagaStream.ts';

/** What the saga subscribes to: the reservations it drives and its own streams (the outbox it executes). */
export const PAYMENT_SAGA_FILTER: EventFilter = { categories: ['reservation', 'payment'] };

const RESERVATION_TYPES = new Set<string>(RESERVATION_EVENTS.map((d) => d.type));

/**
 * One delivered event, handled to the end before the subscription's
 * checkpoint may pass it. Redelivery after a crash is safe: steps re-check
 * that they are pending, gateway calls reuse their idempotency keys, and the
 * reservation refuses a command it already applied.
 */
export const handleSagaEvent = async (
  deps: PaymentSagaDeps,
  recorded: RecordedEvent,
): Promise<void> => {
  const category = categoryOf(recorded.stream);
  if (category === 'reservation') {
    if (!RESERVATION_TYPES.has(recorded.type)) return;
    const event = decodeRecorded(deps.write.codec, recorded) as ReservationEvent;
    await observeReservationEvent(deps, event, recorded.eventId);
    return;
  }
  if (category !== 'payment') return;
  const event = decodeRecorded(deps.write.codec, recorded) as PaymentSagaEvent;
  const saga = await loadRunningSaga(deps, event.data.reservationId);
  if (saga === undefined) return;
  for (const command of commandsFor(event, saga)) {
    if (command.kind === 'gateway')
      await runStep(deps, command.step, command.attempt, command.command, recorded.eventId);
    else await issueReservationCommand(deps, command.command, recorded.eventId);
  }
};
