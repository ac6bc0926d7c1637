import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ConflictError } from '../../domain/shared/errors.ts';
import { slotStream } from '../../domain/shared/streams.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import { getPostgresEventStore } from '../../infra/eventStore/postgres/postgresEventStore.ts';
import {
  COMPENSATION_FAILURES,
  getCompensationFailures,
} from '../../infra/observability/compensationFailures.ts';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/testing.ts';
import {
  executeSlotWrite,
  type CompensationFailure,
  type SlotStep,
  type SlotWriteDeps,
} from './claimSlots.ts';
import { domainEventCodec } from './eventCodec.ts';
import { loadSlots } from './loadSlots.ts';
import { testIds } from './testing/fixedIds.ts';

const NOW = '2026-12-01T10:00:00.000Z';
const LATER = '2026-12-01T10:10:00.000Z';

describe('ordered slot claim: failed compensations are reported', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ max: 4, prefix: 'claimslots' });
  });
  after(() => db.dispose());

  const depsWith = (
    compensationFailures: SlotWriteDeps['compensationFailures'],
  ): SlotWriteDeps => ({
    store: getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
      atomicMultiStreamAppend: false,
    }),
    codec: domainEventCodec,
    ids: testIds,
    ...(compensationFailures ? { compensationFailures } : {}),
  });

  /** Claims night 1, is refused on night 2, and cannot undo night 1. */
  const failingWrite = async (deps: SlotWriteDeps, resourceId: string): Promise<unknown> => {
    const reservationId = randomUUID();
    const hold: SlotStep = {
      stream: slotStream(resourceId, '2026-12-24'),
      decide: (state) =>
        slotDecider.decide(
          {
            type: 'PlaceHold',
            resourceId,
            slotKey: '2026-12-24',
            resourceCapacity: 1,
            reservationId,
            quantity: 1,
            expiresAt: LATER,
            now: NOW,
          },
          state,
        ),
      undo: () => {
        throw new Error('the undo could not be decided');
      },
    };
    const refused: SlotStep = {
      stream: slotStream(resourceId, '2026-12-25'),
      decide: () => {
        throw new ConflictError('SLOT_UNAVAILABLE', 'no unit left');
      },
    };
    return executeSlotWrite(
      deps,
      async () => ({
        plan: { claims: [refused, hold], aggregates: [], releases: [] },
        slots: await loadSlots(deps, resourceId, ['2026-12-24', '2026-12-25']),
        result: undefined,
      }),
      { correlationId: 'corr-1', actor: { principal: 'test', role: 'admin' } },
      { maxAttempts: 1 },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
  };

  it('gives the port the stream left claimed and the correlation id, and the caller the original refusal', async () => {
    const failures: CompensationFailure[] = [];
    const resourceId = `res-${randomUUID()}`;
    const error = await failingWrite(depsWith({ record: (f) => failures.push(f) }), resourceId);
    expect(error).to.be.instanceOf(ConflictError).with.property('code', 'SLOT_UNAVAILABLE');
    expect(failures.map((f) => [f.stream, f.correlationId])).to.deep.equal([
      [slotStream(resourceId, '2026-12-24'), 'corr-1'],
    ]);
    expect(String(failures[0]?.error)).to.contain('the undo could not be decided');
  });

  it('counts them in slot_compensation_failures_total and logs the stream at error level', async () => {
    const registry = new Registry();
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const resourceId = `res-${randomUUID()}`;
    await failingWrite(depsWith(getCompensationFailures(registry, logger)), resourceId);
    await failingWrite(depsWith(getCompensationFailures(registry, logger)), `res-${randomUUID()}`);
    const metric = await registry.getSingleMetric(COMPENSATION_FAILURES)?.get();
    expect(metric?.values.map((v) => v.value)).to.deep.equal([2]);
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).to.have.length(2);
    expect(logged[0]).to.include({ level: 50, stream: slotStream(resourceId, '2026-12-24') });
  });
});
