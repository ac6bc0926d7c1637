import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type AppendResult,
  type ExpectedRevision,
  type StreamAppend,
} from '../../../commands/shared/eventStore.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { assertValidAppend } from '../appendRules.ts';
import { uniqueCategory } from '../contract/support.ts';
import { verifyChain } from '../hashChain.ts';
import { createGroupCommit } from './postgresAppend.ts';
import { getPostgresEventStore } from './postgresEventStore.ts';

/** An append in terms the property can replay on fresh streams and ids. */
interface Call {
  readonly streams: readonly {
    readonly stream: number;
    readonly expected: ExpectedRevision;
    /** Abstract event ids: the same number is the same event (a retry). */
    readonly events: readonly number[];
  }[];
}

const callArbitrary: fc.Arbitrary<Call> = fc.record({
  streams: fc.uniqueArray(
    fc.record({
      stream: fc.integer({ min: 0, max: 3 }),
      expected: fc.oneof(
        fc.constantFrom<ExpectedRevision>(ANY, NO_STREAM, STREAM_EXISTS),
        fc.integer({ min: 0, max: 4 }),
      ),
      events: fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 2, selector: (entry) => entry.stream },
  ),
});

type Outcome = { ok: readonly number[] } | { error: string; details: unknown };

const outcomeOf = async (
  promise: Promise<AppendResult> | (() => Promise<AppendResult>),
): Promise<Outcome> => {
  try {
    return {
      ok: (await (typeof promise === 'function' ? promise() : promise)).streams.map(
        (entry) => entry.revision,
      ),
    };
  } catch (error) {
    if (error instanceof DomainError) return { error: error.code, details: error.details };
    throw error;
  }
};

describe('Postgres group commit', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ max: 8, prefix: 'gc' });
  });
  after(() => db.dispose());

  /** The calls on streams and ids of their own (a fresh category and id map per run). */
  const materialise = (calls: readonly Call[]) => {
    const category = uniqueCategory();
    const ids = new Map<number, string>();
    const idOf = (n: number) => ids.get(n) ?? ids.set(n, randomUUID()).get(n)!;
    const streamOf = (n: number) => `${category}-s${n}`;
    const requests = calls.map((call): StreamAppend[] =>
      call.streams.map((entry) => ({
        stream: streamOf(entry.stream),
        expectedRevision: entry.expected,
        // Same abstract id, same payload: a repeat is a faithful retry.
        events: entry.events.map((n) => ({
          eventId: idOf(n),
          type: 'Tested',
          schemaVersion: 1,
          data: { n, on: entry.stream },
        })),
      })),
    );
    return { category, requests, ids };
  };

  const streamsOf = async (category: string) => {
    const { rows } = await db.pool.query<{ stream: string; types: string[]; data: unknown[] }>(
      `SELECT split_part(stream_name, '-', 2) AS stream,
              array_agg(event_type ORDER BY stream_revision) AS types,
              array_agg(data ORDER BY stream_revision) AS data
         FROM events WHERE category = $1 GROUP BY 1 ORDER BY 1`,
      [category],
    );
    return rows;
  };

  it('interleaved coalesced appends equal the same appends done one by one', async () => {
    const coalesced = { roundTrips: 0, appends: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(callArbitrary, { minLength: 2, maxLength: 12 }), async (calls) => {
        // One round trip in flight: the first call goes alone, the rest wait and go together.
        const grouped = createGroupCommit(db.pool, { maxInFlight: 1 });
        const together = materialise(calls);
        const togetherOutcomes = await Promise.all(
          together.requests.map((request) =>
            outcomeOf(Promise.resolve().then(() => grouped.append(assertValidAppend(request)))),
          ),
        );
        coalesced.roundTrips += grouped.stats().roundTrips;
        coalesced.appends += grouped.stats().appends;

        const single = createGroupCommit(db.pool, { maxInFlight: 1 });
        const oneByOne = materialise(calls);
        const oneByOneOutcomes: Outcome[] = [];
        for (const request of oneByOne.requests) {
          oneByOneOutcomes.push(await outcomeOf(() => single.append(assertValidAppend(request))));
        }
        expect(single.stats().roundTrips).to.be.at.least(single.stats().appends);

        // Each run has its own streams and ids: compare them by their abstract names.
        const strip = (outcomes: Outcome[], run: ReturnType<typeof materialise>) => {
          let text = JSON.stringify(outcomes).replaceAll(run.category, 'C');
          for (const [n, id] of run.ids) text = text.replaceAll(id, `event-${n}`);
          return JSON.parse(text) as unknown;
        };
        expect(strip(togetherOutcomes, together)).to.deep.equal(strip(oneByOneOutcomes, oneByOne));
        expect(await streamsOf(together.category)).to.deep.equal(
          await streamsOf(oneByOne.category),
        );
      }),
      { numRuns: 40 },
    );
    // Calls sharing an event id, and what is left of partial retries, take rounds of their own.
    expect(coalesced.roundTrips).to.be.lessThan(coalesced.appends);
  });

  it('a conflicting call in a batch fails alone; a multi-stream call stays all-or-nothing', async () => {
    const grouped = createGroupCommit(db.pool, { maxInFlight: 1 });
    const category = uniqueCategory();
    const event = (n: number) => ({
      eventId: randomUUID(),
      type: 'Tested',
      schemaVersion: 1,
      data: { n },
    });
    await grouped.append([
      { stream: `${category}-a`, expectedRevision: NO_STREAM, events: [event(0)] },
    ]);
    const blocker = grouped.append([
      { stream: `${category}-z`, expectedRevision: NO_STREAM, events: [event(1)] },
    ]);
    // These three queue behind the blocker and share one round trip.
    const [good, conflicting, alsoGood] = await Promise.all([
      outcomeOf(
        grouped.append([
          { stream: `${category}-b`, expectedRevision: NO_STREAM, events: [event(2)] },
        ]),
      ),
      outcomeOf(
        grouped.append([
          { stream: `${category}-c`, expectedRevision: NO_STREAM, events: [event(3)] },
          { stream: `${category}-a`, expectedRevision: NO_STREAM, events: [event(4)] },
        ]),
      ),
      outcomeOf(
        grouped.append([{ stream: `${category}-a`, expectedRevision: 0, events: [event(5)] }]),
      ),
      blocker,
    ]);
    expect(grouped.stats().appends).to.equal(5);
    expect(grouped.stats().roundTrips, 'the last three shared one').to.be.at.most(3);
    expect(good).to.deep.equal({ ok: [0] });
    expect(conflicting).to.have.property('error', 'VERSION_MISMATCH');
    expect(alsoGood).to.deep.equal({ ok: [1] });
    const { rows } = await db.pool.query(`SELECT 1 FROM events WHERE stream_name = $1`, [
      `${category}-c`,
    ]);
    expect(rows, 'the conflicting call wrote nothing, not even its first stream').to.have.length(0);
  });

  it('an invalid call in a batch is retried alone and fails alone', async () => {
    const grouped = createGroupCommit(db.pool, { maxInFlight: 1 });
    const category = uniqueCategory();
    const event = (data: unknown) => ({
      eventId: randomUUID(),
      type: 'Tested',
      schemaVersion: 1,
      data,
    });
    const blocker = grouped.append([
      { stream: `${category}-z`, expectedRevision: ANY, events: [event(1)] },
    ]);
    const [valid, invalid] = await Promise.all([
      outcomeOf(
        grouped.append([
          { stream: `${category}-a`, expectedRevision: ANY, events: [event({ n: 1 })] },
        ]),
      ),
      // A NUL character is valid JSON text but not storable in jsonb.
      outcomeOf(
        grouped.append([
          { stream: `${category}-b`, expectedRevision: ANY, events: [event({ s: '\u0000' })] },
        ]),
      ),
      blocker,
    ]);
    expect(valid).to.deep.equal({ ok: [0] });
    expect(invalid).to.have.property('error', 'INVALID_REQUEST');
  });

  it('keeps the hash chain of streams written by coalesced appends', async () => {
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const category = uniqueCategory();
    await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        store.append([
          {
            stream: `${category}-${n % 4}`,
            expectedRevision: ANY,
            events: [{ eventId: randomUUID(), type: 'Tested', schemaVersion: 1, data: { n } }],
          },
        ]),
      ),
    );
    for (let n = 0; n < 4; n += 1) {
      const events = await store.readStream(`${category}-${n}`);
      expect(events).to.have.length(10);
      expect(verifyChain(events)).to.deep.equal({ ok: true, checked: 10 });
    }
  });
});
