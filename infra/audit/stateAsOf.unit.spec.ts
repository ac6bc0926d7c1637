import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { handleCommand } from '../../commands/shared/commandHandler.ts';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import { testIds } from '../../commands/shared/testing/fixedIds.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { slotStream } from '../../domain/shared/streams.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import { getInMemoryEventStore } from '../eventStore/memory/inMemoryEventStore.ts';
import { parseAsOf, stateAsOf } from './stateAsOf.ts';

describe('audit: state as of a revision or instant', () => {
  const store = getInMemoryEventStore();
  const deps = { store, codec: domainEventCodec, ids: testIds };
  const resourceId = `r${randomUUID().slice(0, 8)}`;
  const stream = slotStream(resourceId, '2026-12-24');
  const first = randomUUID();
  const second = randomUUID();
  const hold = (reservationId: string) => ({
    type: 'PlaceHold' as const,
    resourceId,
    slotKey: '2026-12-24',
    resourceCapacity: 3,
    reservationId,
    quantity: 1,
    expiresAt: '2026-12-01T10:10:00.000Z',
    now: '2026-12-01T10:00:00.000Z',
  });

  before(async () => {
    await handleCommand(deps, stream, slotDecider, hold(first), {});
    await handleCommand(deps, stream, slotDecider, hold(second), {});
  });

  it('folds only the events up to the revision asked for', async () => {
    const all = await stateAsOf(store, domainEventCodec, stream, undefined);
    const early = await stateAsOf(store, domainEventCodec, stream, { revision: 1 });
    expect(Object.keys((all.state as { holds: object }).holds)).to.have.members([first, second]);
    expect(Object.keys((early.state as { holds: object }).holds)).to.deep.equal([first]);
    expect(early.revision).to.equal(1);
  });

  it('shows nothing before the stream began', async () => {
    const before = await stateAsOf(store, domainEventCodec, stream, {
      instant: '2000-01-01T00:00:00.000Z',
    });
    expect(before).to.deep.equal({ state: { status: 'Empty' }, revision: undefined, events: 0 });
  });

  it('refuses an --as-of that is neither a revision nor an instant', () => {
    expect(() => parseAsOf('yesterday')).to.throw(ValidationError, /revision/);
    expect(parseAsOf('7')).to.deep.equal({ revision: 7 });
  });

  it('refuses a stream category it has no aggregate for', async () => {
    const refused = await stateAsOf(store, domainEventCodec, 'unknown-1', undefined).catch(
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(ValidationError);
  });
});
