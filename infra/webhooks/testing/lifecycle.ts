import { randomUUID } from 'node:crypto';
import { NO_STREAM, type EventStore } from '../../../commands/shared/eventStore.ts';
import { currentSchemaVersion } from '../../../domain/events/registry.ts';
import { historyTo } from '../../../domain/reservation/testing/fixtures.ts';
import type { ReservationStatus } from '../../../domain/reservation/status.ts';
import { reservationStream } from '../../../domain/shared/streams.ts';

export interface ScriptedReservation {
  readonly reservationId: string;
  readonly partnerId: string;
  readonly vendorId: string;
}

/**
 * Appends the decider-made history that leads to `status` to a fresh
 * reservation stream of the real store, one append per event (as the command
 * handlers do), with the given partner and vendor as its parties.
 */
export const appendLifecycle = async (
  store: EventStore,
  parties: ScriptedReservation,
  status: ReservationStatus = 'COMPLETED',
  between: () => Promise<void> = () => Promise.resolve(),
): Promise<number> => {
  const { events } = historyTo(status);
  for (const [index, event] of events.entries()) {
    const data: Record<string, unknown> = {
      ...(event.data as Record<string, unknown>),
      reservationId: parties.reservationId,
    };
    if (event.type === 'ReservationRequested') {
      data['partnerId'] = parties.partnerId;
      data['resource'] = {
        ...(data['resource'] as Record<string, unknown>),
        vendorId: parties.vendorId,
      };
    }
    await store.append([
      {
        stream: reservationStream(parties.reservationId),
        expectedRevision: index === 0 ? NO_STREAM : index - 1,
        events: [
          {
            eventId: randomUUID(),
            type: event.type,
            schemaVersion: currentSchemaVersion(event.type),
            data,
          },
        ],
      },
    ]);
    await between();
  }
  return events.length;
};
