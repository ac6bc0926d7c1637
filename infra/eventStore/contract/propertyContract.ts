import { expect } from 'chai';
import fc from 'fast-check';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
} from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../../domain/shared/errors.ts';
import { events, streamIn, uniqueCategory } from './support.ts';

const STREAMS = 3;

const appendArbitrary = fc.record({
  stream: fc.nat({ max: STREAMS - 1 }),
  expectedRevision: fc.oneof(
    fc.constantFrom<ExpectedRevision>(ANY, NO_STREAM, STREAM_EXISTS),
    fc.nat({ max: 6 }),
  ),
  count: fc.integer({ min: 1, max: 3 }),
});

const accepts = (expected: ExpectedRevision, actual: number | undefined): boolean =>
  expected === ANY ||
  (expected === NO_STREAM
    ? actual === undefined
    : expected === STREAM_EXISTS
      ? actual !== undefined
      : expected === actual);

/** The settled outcome of an append: its result, or undefined for a revision conflict. */
const settle = (append: Promise<AppendResult>): Promise<AppendResult | undefined> =>
  append.catch((error: unknown) => {
    if (error instanceof ConcurrencyError) return undefined;
    throw error;
  });

export const propertyContract = (store: () => EventStore, numRuns: number): void => {
  const assertGapFree = async (streams: readonly string[], acceptedEvents: readonly number[]) => {
    for (const [index, stream] of streams.entries()) {
      const stored = await store().readStream(stream);
      const count = acceptedEvents[index] ?? 0;
      expect(stored.map((event) => event.revision)).to.deep.equal(
        Array.from({ length: count }, (_, n) => n),
      );
      expect(await store().streamRevision(stream)).to.equal(count === 0 ? undefined : count - 1);
    }
  };

  it('sequential appends with random expected revisions are accepted exactly as the rules say, gap-free', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(appendArbitrary, { maxLength: 20 }), async (appends) => {
        const category = uniqueCategory();
        const streams = Array.from({ length: STREAMS }, () => streamIn(category));
        const counts = streams.map(() => 0);
        for (const append of appends) {
          const stream = streams[append.stream] ?? '';
          const actual =
            (counts[append.stream] ?? 0) === 0 ? undefined : (counts[append.stream] ?? 0) - 1;
          const result = await settle(
            store().append([
              { stream, expectedRevision: append.expectedRevision, events: events(append.count) },
            ]),
          );
          expect(result !== undefined).to.equal(accepts(append.expectedRevision, actual));
          if (result !== undefined) {
            counts[append.stream] = (counts[append.stream] ?? 0) + append.count;
            expect(result.streams).to.deep.equal([
              { stream, revision: (counts[append.stream] ?? 0) - 1 },
            ]);
          }
        }
        await assertGapFree(streams, counts);
      }),
      { numRuns },
    );
  });

  it('concurrent appends with random expected revisions leave each stream gap-free', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(appendArbitrary, { minLength: 1, maxLength: 12 }),
        async (appends) => {
          const category = uniqueCategory();
          const streams = Array.from({ length: STREAMS }, () => streamIn(category));
          const results = await Promise.all(
            appends.map((append) =>
              settle(
                store().append([
                  {
                    stream: streams[append.stream] ?? '',
                    expectedRevision: append.expectedRevision,
                    events: events(append.count),
                  },
                ]),
              ),
            ),
          );
          const counts = streams.map((_, index) =>
            appends.reduce(
              (sum, append, n) => sum + (append.stream === index && results[n] ? append.count : 0),
              0,
            ),
          );
          await assertGapFree(streams, counts);
          // Each accepted append owns the revisions just below the one it reported.
          const claimed = results.flatMap((result, n) => {
            const revision = result?.streams[0]?.revision;
            const count = appends[n]?.count ?? 0;
            return revision === undefined
              ? []
              : Array.from(
                  { length: count },
                  (_, k) => `${result?.streams[0]?.stream}@${revision - k}`,
                );
          });
          expect(new Set(claimed).size).to.equal(claimed.length);
        },
      ),
      { numRuns },
    );
  });
};
