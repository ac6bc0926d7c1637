import type { EventCodec } from '../../commands/shared/eventCodec.ts';
import type { EventFilter, EventStore, RecordedEvent } from '../../commands/shared/eventStore.ts';
import type { PublicEvent } from '../../domain/integration/publicEventSchema.ts';
import { toPublicEvents } from '../../domain/integration/toPublicEvents.ts';
import { RESERVATION_EVENTS, type ReservationEvent } from '../../domain/reservation/events.ts';
import { evolve } from '../../domain/reservation/evolve.ts';
import { initialReservationState, type ReservationState } from '../../domain/reservation/state.ts';

/** What the public event subscribers (webhooks, the NATS relay) read from the log. */
export const PUBLIC_EVENT_SOURCE_FILTER: EventFilter = { categories: ['reservation'] };

const RESERVATION_TYPES = new Set<string>(RESERVATION_EVENTS.map((d) => d.type));

export interface PublicEventMapper {
  /** The public events of one recorded reservation event, in contract order. */
  map(recorded: RecordedEvent): Promise<readonly PublicEvent[]>;
}

/**
 * Applies the pure mapping (domain/integration/toPublicEvents) to the log:
 * it needs each reservation's state before the event, which it keeps for the
 * most recent streams and otherwise folds from the stream's earlier events.
 */
export const createPublicEventMapper = (
  store: EventStore,
  codec: EventCodec,
  options: { readonly cacheSize?: number } = {},
): PublicEventMapper => {
  const cacheSize = options.cacheSize ?? 10_000;
  const states = new Map<string, { revision: number; state: ReservationState }>();

  const decode = (recorded: RecordedEvent): ReservationEvent =>
    codec.decode(recorded.type, recorded.schemaVersion, recorded.data) as ReservationEvent;

  const stateBefore = async (recorded: RecordedEvent): Promise<ReservationState> => {
    if (recorded.revision === 0) return initialReservationState();
    const cached = states.get(recorded.stream);
    if (cached?.revision === recorded.revision - 1) return cached.state;
    const earlier = await store.readStream(recorded.stream, {
      fromRevision: 0,
      maxCount: recorded.revision,
    });
    return earlier
      .filter((event) => event.revision < recorded.revision)
      .reduce<ReservationState>(
        (state, event) => evolve(state, decode(event)),
        initialReservationState(),
      );
  };

  return {
    map: async (recorded) => {
      if (!RESERVATION_TYPES.has(recorded.type)) return [];
      const before = await stateBefore(recorded);
      const { after, events } = toPublicEvents(before, decode(recorded), {
        eventId: recorded.eventId,
        position: recorded.checkpoint,
        recordedAt: recorded.metadata.recordedAt,
        revision: recorded.revision,
      });
      states.delete(recorded.stream);
      states.set(recorded.stream, { revision: recorded.revision, state: after });
      if (states.size > cacheSize) {
        const oldest = states.keys().next();
        if (!oldest.done) states.delete(oldest.value);
      }
      return events;
    },
  };
};
