import { expect } from 'chai';
import { ANY, NO_STREAM, type EventStore } from '../../../commands/shared/eventStore.ts';
import { anEvent, collect, events, readAllUntil, streamIn, uniqueCategory } from './support.ts';

export const subscribeContract = (store: () => EventStore): void => {
  it('catches up, then delivers live events in order, filtered', async () => {
    const category = uniqueCategory();
    const [a, b] = [streamIn(category), streamIn(category)];
    const noise = streamIn(uniqueCategory());
    await store().append([{ stream: a, expectedRevision: NO_STREAM, events: events(2) }]);
    await store().append([{ stream: noise, expectedRevision: NO_STREAM, events: events(1) }]);
    await store().append([
      { stream: b, expectedRevision: NO_STREAM, events: [anEvent('Skipped')] },
    ]);

    const subscription = collect(
      store().subscribe({ filter: { categories: [category], eventTypes: ['Tested'] } }),
    );
    try {
      await subscription.until(2);
      await store().append([{ stream: b, expectedRevision: 0, events: events(2) }]);
      await store().append([
        { stream: a, expectedRevision: 1, events: events(1) },
        { stream: noise, expectedRevision: ANY, events: events(1) },
      ]);
      await subscription.until(5);
      const expected = await readAllUntil(
        store(),
        { filter: { categories: [category], eventTypes: ['Tested'] } },
        5,
      );
      expect(subscription.received.map((event) => [event.stream, event.revision])).to.deep.equal([
        [a, 0],
        [a, 1],
        [b, 1],
        [b, 2],
        [a, 2],
      ]);
      expect(subscription.received.map((event) => event.checkpoint)).to.deep.equal(
        expected.map((event) => event.checkpoint),
      );
    } finally {
      subscription.stop();
    }
  });

  it('resumes after a checkpoint without repeating or skipping an event', async () => {
    const category = uniqueCategory();
    const stream = streamIn(category);
    await store().append([{ stream, expectedRevision: NO_STREAM, events: events(4) }]);
    const filter = { categories: [category] };
    const stored = await readAllUntil(store(), { filter }, 4);
    const checkpoint = stored[1]?.checkpoint ?? '';

    const subscription = collect(store().subscribe({ from: checkpoint, filter }));
    try {
      await subscription.until(2);
      // A sentinel after the catch-up proves nothing else (a duplicate) was coming first.
      await store().append([{ stream, expectedRevision: 3, events: events(1) }]);
      await subscription.until(3);
      expect(subscription.received.map((event) => event.revision)).to.deep.equal([2, 3, 4]);
    } finally {
      subscription.stop();
    }
  });
};
