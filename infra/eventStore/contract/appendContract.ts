import { expect } from 'chai';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type EventStore,
  type ExpectedRevision,
} from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError, ValidationError } from '../../../domain/shared/errors.ts';
import { verifyChain } from '../hashChain.ts';
import { anEvent, events, readAllUntil, rejectionOf, streamIn, uniqueCategory } from './support.ts';

export const appendContract = (store: () => EventStore): void => {
  const freshStream = () => streamIn(uniqueCategory());
  const streamAt = async (revision: number) => {
    const stream = freshStream();
    await store().append([{ stream, expectedRevision: NO_STREAM, events: events(revision + 1) }]);
    return stream;
  };
  const appendOne = (stream: string, expectedRevision: ExpectedRevision) =>
    store().append([{ stream, expectedRevision, events: [anEvent()] }]);
  const expectConflict = async (
    stream: string,
    expected: ExpectedRevision,
    actual: string,
  ): Promise<void> => {
    const before = await store().readStream(stream);
    const error = await rejectionOf(appendOne(stream, expected));
    expect(error).to.be.instanceOf(ConcurrencyError);
    const conflict = error as ConcurrencyError;
    expect({
      stream: conflict.stream,
      expected: conflict.expected,
      actual: conflict.actual,
    }).to.deep.equal({
      stream,
      expected: String(expected),
      actual,
    });
    expect(await store().readStream(stream)).to.have.length(before.length);
  };

  it('no_stream: starts a stream at revision 0 and refuses an existing one with its actual revision', async () => {
    const stream = freshStream();
    const result = await store().append([
      { stream, expectedRevision: NO_STREAM, events: events(2) },
    ]);
    expect(result.streams).to.deep.equal([{ stream, revision: 1 }]);
    expect(await store().streamRevision(stream)).to.equal(1);
    await expectConflict(stream, NO_STREAM, '1');
  });

  it('stream_exists: refuses an absent stream (actual no_stream) and appends to an existing one', async () => {
    const absent = freshStream();
    await expectConflict(absent, STREAM_EXISTS, NO_STREAM);
    expect(await store().streamRevision(absent)).to.equal(undefined);
    const stream = await streamAt(0);
    expect((await appendOne(stream, STREAM_EXISTS)).streams).to.deep.equal([
      { stream, revision: 1 },
    ]);
  });

  it('any: appends to an absent stream and to an existing one', async () => {
    const stream = freshStream();
    expect((await appendOne(stream, ANY)).streams).to.deep.equal([{ stream, revision: 0 }]);
    expect((await appendOne(stream, ANY)).streams).to.deep.equal([{ stream, revision: 1 }]);
  });

  it('an exact revision: appends when it matches, otherwise reports the actual revision', async () => {
    const stream = await streamAt(2);
    await expectConflict(stream, 1, '2');
    await expectConflict(stream, 3, '2');
    expect((await appendOne(stream, 2)).streams).to.deep.equal([{ stream, revision: 3 }]);
    await expectConflict(freshStream(), 0, NO_STREAM);
  });

  it('refuses malformed appends as validation errors', async () => {
    const stream = freshStream();
    for (const attempt of [
      store().append([]),
      store().append([{ stream, expectedRevision: ANY, events: [] }]),
      store().append([{ stream, expectedRevision: -1, events: [anEvent()] }]),
      store().append([
        { stream, expectedRevision: ANY, events: [{ ...anEvent(), eventId: 'not-a-uuid' }] },
      ]),
    ]) {
      expect(await rejectionOf(attempt)).to.be.instanceOf(ValidationError);
    }
    expect(await store().streamRevision(stream)).to.equal(undefined);
  });

  it('several streams: all appended, with the position of the last event', async () => {
    const category = uniqueCategory();
    const [first, second] = [streamIn(category), streamIn(category)];
    const result = await store().append([
      { stream: first, expectedRevision: NO_STREAM, events: events(2) },
      { stream: second, expectedRevision: NO_STREAM, events: events(1) },
    ]);
    expect(result.streams).to.deep.equal([
      { stream: first, revision: 1 },
      { stream: second, revision: 0 },
    ]);
    const all = await readAllUntil(store(), { filter: { categories: [category] } }, 3);
    expect(all.map((event) => event.checkpoint).at(-1)).to.equal(result.position);
  });

  it('several streams atomically: a conflict in the second leaves the first unchanged', async function () {
    if (!store().capabilities.atomicMultiStreamAppend) {
      this.test!.title +=
        ' [SKIPPED: this store reports atomicMultiStreamAppend=false; callers use the ordered-claim path]';
      this.skip();
    }
    const first = await streamAt(0);
    const second = await streamAt(1);
    const error = await rejectionOf(
      store().append([
        { stream: first, expectedRevision: 0, events: events(1) },
        { stream: second, expectedRevision: 0, events: events(1) },
      ]),
    );
    expect(error).to.be.instanceOf(ConcurrencyError).and.include({ stream: second, actual: '1' });
    expect(await store().streamRevision(first)).to.equal(0);
    expect(await store().readStream(first)).to.have.length(1);
  });

  it('chains every event to the previous one in its stream with a verifiable hash', async () => {
    const stream = freshStream();
    await store().append([{ stream, expectedRevision: NO_STREAM, events: events(2) }]);
    await store().append([
      {
        stream,
        expectedRevision: 1,
        events: [anEvent('Other', { nested: { b: 1, a: [1, 'x'] } })],
      },
    ]);
    const stored = await store().readStream(stream);
    expect(stored.map((event) => event.metadata.previousHash)).to.deep.equal([
      '',
      stored[0]?.metadata.hash,
      stored[1]?.metadata.hash,
    ]);
    expect(stored.every((event) => /^[0-9a-f]{64}$/.test(event.metadata.hash))).to.equal(true);
    expect(Number.isNaN(Date.parse(stored[0]?.metadata.recordedAt ?? ''))).to.equal(false);
    expect(verifyChain(stored)).to.deep.equal({ ok: true, checked: 3 });

    const tampered = stored.map((event) =>
      event.revision === 1 ? { ...event, data: { n: 99 } } : event,
    );
    expect(verifyChain(tampered)).to.deep.include({
      ok: false,
      stream,
      revision: 1,
      eventId: stored[1]?.eventId,
    });
  });
};
