import { expect } from 'chai';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type EventStore,
} from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../../domain/shared/errors.ts';
import { events, rejectionOf, sleep, streamIn, uniqueCategory } from './support.ts';

export const streamMetadataContract = (store: () => EventStore): void => {
  const revisionsOf = async (stream: string, direction?: 'backwards') =>
    (await store().readStream(stream, direction ? { direction } : {})).map(
      (event) => event.revision,
    );

  it('soft delete: the stream reads empty and a later append continues the numbering', async () => {
    const stream = streamIn(uniqueCategory());
    await store().append([{ stream, expectedRevision: NO_STREAM, events: events(2) }]);

    const stale = await rejectionOf(store().deleteStream(stream, 0));
    expect(stale).to.be.instanceOf(ConcurrencyError).and.include({ actual: '1' });
    await store().deleteStream(stream, 1);
    expect(await store().readStream(stream)).to.deep.equal([]);
    expect(await store().streamRevision(stream)).to.equal(undefined);
    const exists = await rejectionOf(
      store().append([{ stream, expectedRevision: STREAM_EXISTS, events: events(1) }]),
    );
    expect(exists).to.be.instanceOf(ConcurrencyError).and.include({ actual: NO_STREAM });

    const result = await store().append([
      { stream, expectedRevision: NO_STREAM, events: events(1) },
    ]);
    expect(result.streams).to.deep.equal([{ stream, revision: 2 }]);
    expect(await revisionsOf(stream)).to.deep.equal([2]);
    expect(await store().streamRevision(stream)).to.equal(2);
    await store().deleteStream(streamIn(uniqueCategory()));
  });

  it('truncateBefore hides earlier revisions from readStream only', async () => {
    const stream = streamIn(uniqueCategory());
    await store().append([{ stream, expectedRevision: NO_STREAM, events: events(4) }]);
    await store().setStreamMetadata(stream, { truncateBefore: 2 });
    expect(await store().getStreamMetadata(stream)).to.deep.equal({ truncateBefore: 2 });
    expect(await revisionsOf(stream)).to.deep.equal([2, 3]);
    expect(await revisionsOf(stream, 'backwards')).to.deep.equal([3, 2]);
    expect(await store().streamRevision(stream)).to.equal(3);
    await store().append([{ stream, expectedRevision: 3, events: events(1) }]);
    expect(await revisionsOf(stream)).to.deep.equal([2, 3, 4]);
  });

  it('maxAge hides events older than the limit', async () => {
    const stream = streamIn(uniqueCategory());
    await store().append([{ stream, expectedRevision: NO_STREAM, events: events(1) }]);
    await sleep(1_200);
    await store().append([{ stream, expectedRevision: 0, events: events(1) }]);
    await store().setStreamMetadata(stream, { maxAgeSeconds: 1 });
    expect(await store().getStreamMetadata(stream)).to.deep.equal({ maxAgeSeconds: 1 });
    expect(await revisionsOf(stream)).to.deep.equal([1]);
    await store().setStreamMetadata(stream, {});
    expect(await revisionsOf(stream)).to.deep.equal([0, 1]);
    expect(await store().getStreamMetadata(stream)).to.deep.equal({});
  });

  it('metadata of an absent stream is empty and can be set before its first event', async () => {
    const stream = streamIn(uniqueCategory());
    expect(await store().getStreamMetadata(stream)).to.deep.equal({});
    await store().setStreamMetadata(stream, { truncateBefore: 1 });
    expect(await store().streamRevision(stream)).to.equal(undefined);
    await store().append([{ stream, expectedRevision: NO_STREAM, events: events(2) }]);
    expect(await revisionsOf(stream)).to.deep.equal([1]);
    await store().append([{ stream, expectedRevision: ANY, events: events(1) }]);
    expect(await store().streamRevision(stream)).to.equal(2);
  });

  it('readStreamWithRevision, where offered, answers what readStream and streamRevision do', async function () {
    const read = store().readStreamWithRevision?.bind(store());
    if (read === undefined) this.skip();
    const absent = streamIn(uniqueCategory());
    const plain = streamIn(uniqueCategory());
    await store().append([{ stream: plain, expectedRevision: NO_STREAM, events: events(3) }]);
    const truncated = streamIn(uniqueCategory());
    await store().append([{ stream: truncated, expectedRevision: NO_STREAM, events: events(3) }]);
    await store().setStreamMetadata(truncated, { truncateBefore: 3 });
    const deleted = streamIn(uniqueCategory());
    await store().append([{ stream: deleted, expectedRevision: NO_STREAM, events: events(2) }]);
    await store().deleteStream(deleted);
    const reborn = streamIn(uniqueCategory());
    await store().append([{ stream: reborn, expectedRevision: NO_STREAM, events: events(2) }]);
    await store().deleteStream(reborn);
    await store().append([{ stream: reborn, expectedRevision: NO_STREAM, events: events(2) }]);
    const metadataOnly = streamIn(uniqueCategory());
    await store().setStreamMetadata(metadataOnly, { truncateBefore: 1 });

    const expected = [
      [absent, [], undefined],
      [plain, [0, 1, 2], 2],
      [truncated, [], 2],
      [deleted, [], undefined],
      [reborn, [2, 3], 3],
      [metadataOnly, [], undefined],
    ] as const;
    for (const [stream, revisions, revision] of expected) {
      const both = await read(stream);
      expect(
        both.events.map((event) => event.revision),
        stream,
      ).to.deep.equal(revisions);
      expect(both.revision, stream).to.equal(revision);
      expect(both.events).to.deep.equal(await store().readStream(stream));
      expect(both.revision).to.equal(await store().streamRevision(stream));
    }
    const many = store().readStreams?.bind(store());
    if (many === undefined) return;
    const names = expected.map(([stream]) => stream);
    // Asked twice and in another order: every stream once, each as read alone.
    const all = await many([...names].reverse().concat(names));
    expect([...all.keys()].sort()).to.deep.equal([...names].sort());
    for (const stream of names) {
      expect(all.get(stream), stream).to.deep.equal(await read(stream));
    }
    expect(await many([])).to.have.property('size', 0);
  });

  it('loads started together read as they would alone (a store may coalesce them)', async () => {
    const streams = [streamIn(uniqueCategory()), streamIn(uniqueCategory())];
    await store().append([{ stream: streams[0]!, expectedRevision: NO_STREAM, events: events(2) }]);
    const read = store().readStreamWithRevision?.bind(store());
    const together = await Promise.all(
      [...streams, streams[0]!].map((stream) =>
        read
          ? read(stream)
          : store()
              .readStream(stream)
              .then((events) => ({ events })),
      ),
    );
    expect(together.map((entry) => entry.events.length)).to.deep.equal([2, 0, 2]);
  });
};
