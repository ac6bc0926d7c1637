import { expect } from 'chai';
import {
  NO_STREAM,
  type EventStore,
  type RecordedEvent,
} from '../../../commands/shared/eventStore.ts';
import { anEvent, events, readAllUntil, streamIn, uniqueCategory, waitFor } from './support.ts';

const revisions = (read: readonly RecordedEvent[]) => read.map((event) => event.revision);

export const readContract = (store: () => EventStore): void => {
  it('readStream: forwards, backwards, from a revision, with a max count', async () => {
    const stream = streamIn(uniqueCategory());
    const batch = events(5);
    await store().append([{ stream, expectedRevision: NO_STREAM, events: batch }]);
    const read = (options: Parameters<EventStore['readStream']>[1]) =>
      store().readStream(stream, options).then(revisions);

    const all = await store().readStream(stream);
    expect(
      all.map((event) => [
        event.eventId,
        event.type,
        event.schemaVersion,
        event.data,
        event.stream,
      ]),
    ).to.deep.equal(batch.map((event) => [event.eventId, event.type, 1, event.data, stream]));
    expect(all[0]?.metadata).to.include({ correlationId: 'corr-1' });
    expect(await read({ fromRevision: 2 })).to.deep.equal([2, 3, 4]);
    expect(await read({ fromRevision: 1, maxCount: 2 })).to.deep.equal([1, 2]);
    expect(await read({ direction: 'backwards' })).to.deep.equal([4, 3, 2, 1, 0]);
    expect(await read({ direction: 'backwards', fromRevision: 2, maxCount: 2 })).to.deep.equal([
      2, 1,
    ]);
    expect(await read({ fromRevision: 9 })).to.deep.equal([]);
    expect(await store().readStream(streamIn(uniqueCategory()))).to.deep.equal([]);
  });

  it('readAll: in order, filtered by category and event type, after a position, with a max count', async () => {
    const category = uniqueCategory();
    const other = uniqueCategory();
    const [a, b] = [streamIn(category), streamIn(category)];
    await store().append([
      { stream: a, expectedRevision: NO_STREAM, events: [anEvent('Opened'), anEvent('Moved')] },
    ]);
    await store().append([
      { stream: streamIn(other), expectedRevision: NO_STREAM, events: [anEvent('Opened')] },
    ]);
    await store().append([{ stream: b, expectedRevision: NO_STREAM, events: [anEvent('Opened')] }]);
    await store().append([{ stream: a, expectedRevision: 1, events: [anEvent('Closed')] }]);

    const mine = await readAllUntil(store(), { filter: { categories: [category] } }, 4);
    expect(mine.map((event) => [event.stream, event.revision])).to.deep.equal([
      [a, 0],
      [a, 1],
      [b, 0],
      [a, 2],
    ]);
    for (let i = 1; i < mine.length; i += 1) {
      expect(
        store().comparePositions(mine[i - 1]?.checkpoint ?? '', mine[i]?.checkpoint ?? ''),
      ).to.be.below(0);
    }
    const both = await readAllUntil(
      store(),
      { filter: { categories: [category, other], eventTypes: ['Opened'] } },
      3,
    );
    expect(both.map((event) => event.type)).to.deep.equal(['Opened', 'Opened', 'Opened']);
    expect(new Set(both.map((event) => event.stream)).size).to.equal(3);

    const after = await store().readAll({
      from: mine[1]?.checkpoint ?? '',
      filter: { categories: [category] },
    });
    expect(after.map((event) => event.eventId)).to.deep.equal(
      mine.slice(2).map((event) => event.eventId),
    );
    const limited = await store().readAll({
      from: mine[0]?.checkpoint ?? '',
      maxCount: 2,
      filter: { categories: [category] },
    });
    expect(limited.map((event) => event.eventId)).to.deep.equal(
      mine.slice(1, 3).map((event) => event.eventId),
    );
    expect(
      await store().readAll({ filter: { categories: [category], eventTypes: ['Nope'] } }),
    ).to.deep.equal([]);
  });

  it('comparePositions and headPosition order appends as they happened', async () => {
    const stream = streamIn(uniqueCategory());
    const first = await store().append([
      { stream, expectedRevision: NO_STREAM, events: events(1) },
    ]);
    const second = await store().append([{ stream, expectedRevision: 0, events: events(1) }]);
    const compare = (a: string, b: string) => store().comparePositions(a, b);
    expect(compare(first.position, second.position)).to.be.below(0);
    expect(compare(second.position, first.position)).to.be.above(0);
    expect(compare(first.position, first.position)).to.equal(0);
    await waitFor('the head to reach the last append', async () => {
      const head = await store().headPosition();
      return head !== undefined && compare(head, second.position) >= 0;
    });
  });
};
