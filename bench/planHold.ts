import { performance } from 'node:perf_hooks';
import { planHold, type HoldRequest } from '../domain/booking/planHold.ts';
import type { HoldPeriod } from '../domain/booking/holdPeriod.ts';
import { given } from '../domain/booking/testing/loaded.ts';
import { sampleNightly, sampleTimed } from '../domain/resource/testing/sampleResources.ts';
import { toEpochMillis } from '../domain/shared/time.ts';
import { domainEventCodec, toEventsToAppend } from '../commands/shared/eventCodec.ts';

/**
 * CPU of one hold decision without I/O: `planHold` (period, availability,
 * price, reservation, slot decisions) and the encoding of its events, for a
 * 3-night nightly stay and a timed slot with buffers. `npx tsx bench/planHold.ts`
 * (BENCH_PLAN_ITERATIONS, default 3000). Numbers go to docs/benchmarks.md by hand.
 */
const iterations = Number(process.env['BENCH_PLAN_ITERATIONS'] ?? 3000);
const NOW = toEpochMillis('2026-12-01T10:00:00Z');
const entropy = new Uint8Array(8);
const ids = { uuid: () => '00000000-0000-4000-8000-000000000000', randomBytes: () => entropy };

const request = (period: HoldPeriod): HoldRequest => ({
  reservationId: 'r-bench',
  period,
  quantity: 1,
  guest: { guestId: 'g', persons: 1, taxStatus: { citizenships: [], israeliVisa: null } },
  requesterId: 'g',
  partnerId: 'direct',
  promoCode: null,
  surgeEnabled: true,
});

const cases = [
  {
    name: 'nightly, 3 nights',
    config: sampleNightly(),
    period: { kind: 'nights', checkIn: '2026-12-24', checkOut: '2026-12-27' } as HoldPeriod,
  },
  {
    name: 'timed, 1 slot, 15-minute buffers',
    config: sampleTimed({
      bufferBeforeMinutes: 15,
      bufferAfterMinutes: 15,
      taxJurisdiction: { country: 'DE', eilatDealer: false },
    }),
    period: {
      kind: 'instants',
      start: '2026-12-07T16:00:00Z',
      end: '2026-12-07T17:00:00Z',
    } as HoldPeriod,
  },
];

const measure = (fn: () => void): number => {
  for (let i = 0; i < Math.min(500, iterations); i++) fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return ((performance.now() - start) * 1000) / iterations;
};

for (const { name, config, period } of cases) {
  const loaded = given(config, period);
  const plan = () => planHold(loaded, request(period), NOW, entropy);
  const planned = plan();
  const events = [...planned.slotWrites, ...planned.aggregates].flatMap((w) => w.events);
  const encode = () => toEventsToAppend(domainEventCodec, ids, events, {});
  console.log(
    `${name}: planHold ${measure(plan).toFixed(0)} µs/op, encoding its ${events.length} events ${measure(encode).toFixed(0)} µs/op`,
  );
}
