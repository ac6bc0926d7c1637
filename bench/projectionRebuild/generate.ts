import { randomUUID } from 'node:crypto';
import type { StreamAppend } from '../../commands/shared/eventStore.ts';
import { BOOKING_REFERENCE_ALPHABET } from '../../domain/reservation/bookingReference.ts';
import type { ReservationStatus } from '../../domain/reservation/status.ts';
import { historyTo } from '../../domain/reservation/testing/fixtures.ts';
import type { ResourceCommand } from '../../domain/resource/commands.ts';
import { resourceDecider } from '../../domain/resource/resourceDecider.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { sampleNightly, sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { fold } from '../../domain/shared/decider.ts';
import { addDays } from '../../domain/shared/time.ts';
import type { ResourceState } from '../../domain/resource/state.ts';
import { holdSlots, type SlotOutcome } from './slots.ts';

/** Deterministic PRNG (mulberry32): the same seed gives the same log in every run. */
export const createRandom = (seed: number) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
};
export type Random = ReturnType<typeof createRandom>;

/** Final statuses and how often a reservation ends (or is still) there, in percent. */
const STATUS_MIX: readonly (readonly [ReservationStatus, number, SlotOutcome])[] = [
  ['CONFIRMED', 25, 'book'],
  ['COMPLETED', 15, 'book'],
  ['CHECKED_IN', 5, 'book'],
  ['NO_SHOW', 3, 'book'],
  ['CANCELLED', 12, 'release'],
  ['EXPIRED', 12, 'expire'],
  ['FAILED_VENDOR_TIMEOUT', 4, 'expire'],
  ['FAILED_VENDOR_DECLINED', 4, 'release'],
  ['FAILED_REQUESTER_AUTH', 3, 'release'],
  ['FAILED_AVAILABILITY_CHANGED', 2, 'release'],
  ['FAILED_COMMIT', 1, 'release'],
  ['HELD', 6, 'keep'],
  ['AWAITING_VENDOR_CONFIRMATION', 4, 'keep'],
  ['AWAITING_REQUESTER_AUTH', 2, 'keep'],
  ['AUTHORIZED_BOTH', 2, 'keep'],
];
// The real reservation decider's events for each path, computed once and re-keyed per reservation.
const TEMPLATES = new Map(STATUS_MIX.map(([status]) => [status, historyTo(status).events]));

const pick = (random: Random) => {
  let roll = random.int(100);
  for (const entry of STATUS_MIX) {
    if ((roll -= entry[1]) < 0) return entry;
  }
  return STATUS_MIX[0] ?? (['CONFIRMED', 100, 'book'] as const);
};

const reference = (n: number): string => {
  let suffix = '';
  for (let i = 0, v = n; i < 6; i++, v = Math.floor(v / BOOKING_REFERENCE_ALPHABET.length)) {
    suffix = BOOKING_REFERENCE_ALPHABET.charAt(v % BOOKING_REFERENCE_ALPHABET.length) + suffix;
  }
  return `BR-20261201-${suffix}`;
};

interface Resource {
  readonly id: string;
  readonly config: ResourceConfig;
}

const event = (type: string, data: unknown, schemaVersion: number) => ({
  eventId: randomUUID(),
  type,
  schemaVersion,
  data,
});

/**
 * A realistic log of at least `minEvents` events, in the order they would be
 * written: resources registered and re-priced by the resource decider; stays
 * and timed bookings held, booked, released and expired by the slot decider;
 * each reservation's lifecycle from the reservation decider. One entry per
 * write (a hold is one multi-stream write, as the API does it).
 */
export const generateLog = (minEvents: number, seed = 42): StreamAppend[][] => {
  const random = createRandom(seed);
  const writes: StreamAppend[][] = [];
  let total = 0;
  const push = (write: StreamAppend[]) => {
    writes.push(write);
    total += write.reduce((n, a) => n + a.events.length, 0);
  };
  let clock = Date.parse('2026-01-01T08:00:00.000Z');
  const now = () => new Date(clock).toISOString();
  const resources: Resource[] = Array.from({ length: 400 }, (_, i) => {
    const vendorId = `vendor-${i % 60}`;
    const config =
      i % 4 === 3
        ? sampleTimed({
            vendorId,
            capacity: 2,
            taxJurisdiction: { country: 'DE', eilatDealer: false },
          })
        : sampleNightly({ vendorId, capacity: 8 + (i % 5) * 4 });
    return { id: `bench-res-${i}`, config };
  });
  const schemaVersion = (type: string) => (type === 'ReservationRequested' ? 2 : 1);
  const states = new Map<string, ResourceState>();
  const resourceWrite = (id: string, command: ResourceCommand) => {
    const state = states.get(id) ?? resourceDecider.initialState();
    const events = resourceDecider.decide(command, state);
    states.set(id, fold(resourceDecider, events, state));
    const stored = events.map((e) => event(e.type, e.data, 1));
    push([{ stream: `resource-${id}`, expectedRevision: 'any', events: stored }]);
  };
  for (const r of resources) {
    resourceWrite(r.id, {
      type: 'RegisterResource',
      resourceId: r.id,
      config: r.config,
      now: now(),
    });
  }
  const slots = holdSlots();
  for (let n = 0; total < minEvents; n++) {
    clock += 30_000;
    const resource = resources[random.int(resources.length)] ?? resources[0];
    if (resource === undefined) break;
    // Vendors re-price often: about one resource write per 5 reservations (daily rate updates).
    if (n % 5 === 0) {
      const pricingRules = {
        ...resource.config.pricingRules,
        version: `v${n}`,
        basePrice: 15_000 + random.int(20) * 1_000,
      };
      resourceWrite(resource.id, {
        type: 'ChangeResource',
        resourceId: resource.id,
        changes: { pricingRules },
        now: now(),
      });
    }
    const first = addDays('2026-02-01', random.int(150));
    const keys =
      resource.config.kind === 'nightly'
        ? Array.from({ length: 1 + random.int(4) }, (_, i) => addDays(first, i))
        : ((h) =>
            Array.from(
              { length: 1 + random.int(2) },
              (_, i) => `${first}T${String(h + i).padStart(2, '0')}:00`,
            ))(9 + random.int(7));
    const [status, , outcome] = pick(random);
    const reservationId = `bench-rsv-${n}`;
    const held = slots.hold(resource.id, resource.config.capacity, keys, reservationId, 1, clock);
    if (held === undefined) continue;
    const template = TEMPLATES.get(status) ?? [];
    const lifecycle = template.map((e) => {
      const data: Record<string, unknown> = { ...e.data, reservationId };
      if ('bookingReference' in data) data['bookingReference'] = reference(n);
      if (e.type === 'ReservationRequested') {
        const snapshot = data['resource'] as Record<string, unknown>;
        data['resource'] = {
          ...snapshot,
          resourceId: resource.id,
          vendorId: resource.config.vendorId,
          kind: resource.config.kind,
          timeZone: resource.config.zone,
        };
        data['slots'] = keys;
        data['guest'] = {
          ...(data['guest'] as object),
          guestId: `bench-guest-${random.int(5_000)}`,
        };
        data['partnerId'] = `partner-${random.int(20)}`;
      }
      return event(e.type, data, schemaVersion(e.type));
    });
    const [requested, ...rest] = lifecycle;
    const stream = `reservation-${reservationId}`;
    push([...held, { stream, expectedRevision: 'any', events: requested ? [requested] : [] }]);
    if (rest.length > 0) push([{ stream, expectedRevision: 'any', events: rest }]);
    const after = slots.settle(resource.id, keys, reservationId, outcome, clock, random);
    if (after.length > 0) push(after);
  }
  return writes;
};
