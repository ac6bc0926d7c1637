import { expect } from 'chai';
import { ANY, NO_STREAM, type EventStore } from '../../../commands/shared/eventStore.ts';
import { ConflictError } from '../../../domain/shared/errors.ts';
import { anEvent, events, readAllUntil, rejectionOf, streamIn, uniqueCategory } from './support.ts';

export const idempotencyContract = (store: () => EventStore): void => {
  it('re-appending stored events returns the original revisions and position and stores nothing new', async () => {
    const category = uniqueCategory();
    const stream = streamIn(category);
    const batch = events(2);
    const original = await store().append([{ stream, expectedRevision: NO_STREAM, events: batch }]);

    expect(
      await store().append([{ stream, expectedRevision: NO_STREAM, events: batch }]),
    ).to.deep.equal(original);
    expect(await store().append([{ stream, expectedRevision: ANY, events: batch }])).to.deep.equal(
      original,
    );
    // Still a retry after the stream moved on: the caller learns its write went through.
    await store().append([{ stream, expectedRevision: 1, events: events(1) }]);
    expect(
      await store().append([{ stream, expectedRevision: NO_STREAM, events: batch }]),
    ).to.deep.equal(original);

    expect(await store().readStream(stream)).to.have.length(3);
    expect(await readAllUntil(store(), { filter: { categories: [category] } }, 3)).to.have.length(
      3,
    );
  });

  it('a retry of a multi-stream append returns the original result', async () => {
    const category = uniqueCategory();
    const request = [
      { stream: streamIn(category), expectedRevision: NO_STREAM, events: events(1) },
      { stream: streamIn(category), expectedRevision: NO_STREAM, events: events(2) },
    ] as const;
    const original = await store().append(request);
    expect(await store().append(request)).to.deep.equal(original);
    expect(await readAllUntil(store(), { filter: { categories: [category] } }, 3)).to.have.length(
      3,
    );
  });

  it('refuses a stored event id with another payload, in another stream, or mixed with new events', async () => {
    const stream = streamIn(uniqueCategory());
    const stored = anEvent('Tested', { n: 1 });
    await store().append([{ stream, expectedRevision: NO_STREAM, events: [stored] }]);

    const attempts = [
      { stream, events: [{ ...stored, data: { n: 2 } }] },
      { stream, events: [{ ...stored, type: 'Renamed' }] },
      { stream, events: [{ ...stored, metadata: { correlationId: 'other' } }] },
      { stream: streamIn(uniqueCategory()), events: [stored] },
      { stream, events: [stored, anEvent()] },
    ];
    for (const attempt of attempts) {
      const error = await rejectionOf(store().append([{ ...attempt, expectedRevision: ANY }]));
      expect(error).to.be.instanceOf(ConflictError).and.have.property('code', 'EVENT_ID_REUSED');
    }
    expect(await store().readStream(stream)).to.have.length(1);
    expect(await store().streamRevision(attempts[3]?.stream ?? '')).to.equal(undefined);
  });
};
