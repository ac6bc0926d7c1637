import { randomUUID } from 'node:crypto';
import { POSTGRES_PROJECTIONS } from '../../../projections/catalog.ts';
import type { PostgresProjection } from '../../../projections/shared/projection.ts';
import type {
  EventFilter,
  RecordedEvent,
  StreamAppend,
} from '../../../commands/shared/eventStore.ts';
import { readAllPostgres } from '../../eventStore/postgres/subscription.ts';
import type { Pool } from '../../postgres/pool.ts';
import { RESERVATION_STATUSES } from '../../../domain/reservation/status.ts';
import { historyTo } from '../../../domain/reservation/testing/fixtures.ts';
import { sampleNightly } from '../../../domain/resource/testing/sampleResources.ts';
import { addDays } from '../../../domain/shared/time.ts';

/**
 * A deterministic log of resources, slots and reservations for projection
 * tests: every event is one the deciders could emit (reservations come from
 * the real reservation decider), shaped as stream appends.
 */
export interface SampleLogOptions {
  /** Prefix of every id, so tests sharing a schema never collide. Default `p`. */
  readonly prefix?: string;
  readonly resources?: number;
  readonly nightsPerResource?: number;
  readonly reservations?: number;
}

const event = (type: string, data: unknown) => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
});

const T = '2026-11-01T08:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(T) + minutes * 60_000).toISOString();

export const sampleLog = (options: SampleLogOptions = {}): StreamAppend[] => {
  const prefix = options.prefix ?? 'p';
  const appends: StreamAppend[] = [];
  const resources = options.resources ?? 3;
  const nights = options.nightsPerResource ?? 5;
  for (let r = 0; r < resources; r++) {
    const resourceId = `${prefix}-room-${r}`;
    const config = sampleNightly({ capacity: 3 });
    appends.push({
      stream: `resource-${resourceId}`,
      expectedRevision: 'no_stream',
      events: [
        event('ResourceRegistered', {
          ...config,
          pricingRules: {
            ...config.pricingRules,
            dateOverrides: [
              { date: '2026-12-24', price: 30_000 },
              { date: '2026-12-31', price: 40_000 },
            ],
          },
          resourceId,
          registeredAt: T,
        }),
        // Keeps one override, changes one and adds one (the price model writes only those).
        event('ResourcePricingRulesChanged', {
          resourceId,
          changedAt: later(5),
          pricingRules: {
            ...config.pricingRules,
            version: 'v2',
            dateOverrides: [
              { date: '2026-12-24', price: 30_000 },
              { date: '2026-12-31', price: 45_000 },
              { date: '2027-01-01', price: 45_000 },
            ],
            dayOfWeek: [{ days: [5, 6], basisPoints: 12_500 }],
          },
        }),
        ...(r % 3 === 2
          ? [event('ResourceRetired', { resourceId, reason: 'Sold.', retiredAt: later(9) })]
          : []),
      ],
    });
    for (let n = 0; n < nights; n++) {
      const slotKey = addDays('2026-12-20', n);
      const slot = { resourceId, slotKey };
      const hold = (id: string, minute: number, quantity = 1) =>
        event('SlotHeld', {
          ...slot,
          reservationId: id,
          quantity,
          heldAt: later(minute),
          expiresAt: later(minute + 15),
        });
      const events = [
        event('SlotOpened', { ...slot, capacity: 3, openedAt: later(10) }),
        hold(`${prefix}-a${n}`, 11),
        hold(`${prefix}-b${n}`, 12, 2),
        event('SlotBooked', {
          ...slot,
          reservationId: `${prefix}-a${n}`,
          quantity: 1,
          bookedAt: later(13),
        }),
        event('HoldReleased', {
          ...slot,
          reservationId: `${prefix}-b${n}`,
          quantity: 2,
          reason: 'cancelled',
          releasedAt: later(14),
        }),
        hold(`${prefix}-c${n}`, 15),
        ...(n % 2 === 0
          ? [
              event('HoldExpired', {
                ...slot,
                reservationId: `${prefix}-c${n}`,
                quantity: 1,
                expiresAt: later(30),
                expiredAt: later(31),
              }),
            ]
          : [
              event('SlotCapacityOverridden', {
                ...slot,
                capacity: 4,
                previousCapacity: 3,
                overriddenAt: later(32),
              }),
            ]),
        ...(n % 3 === 0
          ? [
              event('SlotClosed', { ...slot, reason: 'maintenance', closedAt: later(40) }),
              event('SlotReopened', { ...slot, reopenedAt: later(41) }),
              event('BookingReleased', {
                ...slot,
                reservationId: `${prefix}-a${n}`,
                quantity: 1,
                reason: 'cancelled',
                releasedAt: later(42),
              }),
            ]
          : []),
      ];
      appends.push({
        stream: `slot-${resourceId}.${slotKey}`,
        expectedRevision: 'no_stream',
        events,
      });
    }
  }
  const reservations = options.reservations ?? 10;
  for (let i = 0; i < reservations; i++) {
    const status = RESERVATION_STATUSES[i % RESERVATION_STATUSES.length] ?? 'HELD';
    const reservationId = `${prefix}-res-${i}`;
    const reference = `BR-20261201-${prefix.toUpperCase()}${String(i).padStart(6, '0')}`;
    const events = historyTo(status).events.map((e) => {
      const data: Record<string, unknown> = { ...e.data, reservationId };
      if ('bookingReference' in data) data['bookingReference'] = reference;
      if (e.type === 'ReservationRequested') {
        data['guest'] = { guestId: `${prefix}-guest-${i % 4}`, persons: 2 };
      }
      return event(e.type, data);
    });
    appends.push({ stream: `reservation-${reservationId}`, expectedRevision: 'no_stream', events });
  }
  return appends;
};

export const countEvents = (appends: readonly StreamAppend[]): number =>
  appends.reduce((total, append) => total + append.events.length, 0);

/**
 * Waits until `count` events matching `filter` are readable: reads stop at the
 * cluster-wide visibility fence, which any open transaction (another test's)
 * holds back for a moment after our own append committed.
 */
export const readAllVisible = async (
  pool: Pool,
  count: number,
  filter?: EventFilter,
): Promise<RecordedEvent[]> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = await readAllPostgres(pool, filter === undefined ? {} : { filter });
    if (events.length >= count || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/**
 * The read models the sample log feeds. It has no payment events, so the
 * ledger stays empty here; the ledger's redelivery and rebuild are shown over a
 * real payment log in infra/processManagers/ledgerProjection.int.spec.ts.
 */
export const SAMPLED_PROJECTIONS: readonly PostgresProjection[] = POSTGRES_PROJECTIONS.filter(
  (projection) => projection.name !== 'ledger',
);
