import { expect } from 'chai';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import { slotStream } from '../../domain/shared/streams.ts';
import { getInMemoryEventStore } from '../../infra/eventStore/memory/inMemoryEventStore.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import { handleCommand, loadStream } from './commandHandler.ts';
import { domainEventCodec } from './eventCodec.ts';
import type { EventStore } from './eventStore.ts';
import { testIds } from './testing/fixedIds.ts';

const stream = slotStream('r1', '2026-12-24');
const hold = (reservationId: string) => ({
  type: 'PlaceHold' as const,
  resourceId: 'r1',
  slotKey: '2026-12-24',
  resourceCapacity: 1,
  reservationId,
  quantity: 1,
  expiresAt: '2026-12-01T10:10:00.000Z',
  now: '2026-12-01T10:00:00.000Z',
});

/**
 * A store where another writer's append lands right after the first read of an
 * empty stream; without the one-snapshot reads, so loadStream takes its
 * revision-then-events path.
 */
const interleaved = (): EventStore => {
  const store = getInMemoryEventStore();
  const separateReads: EventStore = { ...store };
  delete separateReads.readStreamWithRevision;
  delete separateReads.readStreams;
  let raced = false;
  const deps = { store, codec: domainEventCodec, ids: testIds };
  return {
    ...separateReads,
    readStream: async (name, options) => {
      const events = await store.readStream(name, options);
      if (!raced && events.length === 0) {
        raced = true;
        await handleCommand(deps, stream, slotDecider, hold('other'), {});
      }
      return events;
    },
  };
};

describe('loadStream under a concurrent first write', () => {
  it('never pairs an empty state with the revision another writer just made', async () => {
    const store = interleaved();
    const loaded = await loadStream({ store, codec: domainEventCodec }, stream, slotDecider);
    expect(loaded.state.status).to.equal('Empty');
    expect(loaded.revision).to.equal(undefined);
  });

  it('so the loser of the race conflicts and, on retry, sees the slot taken', async () => {
    const store = interleaved();
    const deps = { store, codec: domainEventCodec, ids: testIds };
    let error: unknown;
    try {
      await handleCommand(deps, stream, slotDecider, hold('mine'), {}, { maxAttempts: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConcurrencyError);
    const events = await store.readStream(stream);
    expect(events.map((e) => e.type)).to.deep.equal(['SlotOpened', 'SlotHeld']);
  });
});
