import { makeEvent, type BenchStore } from './benchStore.ts';
import { openEmmett, prepareEmmett } from './emmett.ts';
import {
  runTimed,
  rowName,
  type CallOutcome,
  type RowResult,
  type RowSpec,
  type StoreName,
} from './harness.ts';
import { openOurs, prepareOurs } from './ours.ts';

/**
 * One store per child process: Emmett's driver (dumbo) swaps pg's global type
 * parsers, which would otherwise slow down or break our store in the same process.
 */

export type WorkerRequest =
  | { readonly kind: 'prepare'; readonly seedStreams: number; readonly streamLength: number }
  | {
      readonly kind: 'row';
      readonly index: number;
      readonly row: RowSpec;
      readonly warmupMs: number;
      readonly durationMs: number;
    };

export type WorkerReply =
  | { readonly ok: true; readonly result?: RowResult }
  | { readonly ok: false; readonly error: string };

const [storeArg, connectionString, schema] = process.argv.slice(2);
const STORES: readonly string[] = ['ours', 'emmett', 'oursWithoutNotify'] satisfies StoreName[];
const isStoreName = (name: string | undefined): name is StoreName => STORES.includes(name ?? '');
if (!isStoreName(storeArg) || !connectionString || !schema) {
  throw new Error('usage: worker.ts <ours|emmett|oursWithoutNotify> <connectionString> <schema>');
}
const storeName: StoreName = storeArg;
const open = (max: number): BenchStore =>
  storeName !== 'emmett'
    ? openOurs(connectionString, schema, max)
    : openEmmett(connectionString, schema, max);

const SHARED_STREAMS = 4;
const OWN_STREAM_LENGTH = 100;

const prepare = async (seedStreams: number, streamLength: number): Promise<void> => {
  await (storeName === 'emmett'
    ? prepareEmmett(connectionString, schema)
    : prepareOurs(connectionString, schema, storeName === 'oursWithoutNotify'));
  const store = open(8);
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < seedStreams; i = next++) {
          const events = Array.from({ length: streamLength }, (_, n) => makeEvent(n));
          await store.append(`read-${i}`, -1, events);
        }
      }),
    );
  } finally {
    await store.close();
  }
};

/** A writer: 4 of 5 calls go to its own streams (new one every 100 events), 1 of 5 to a shared few. */
const makeWriter = (store: BenchStore, tag: string, writer: number, eventsPerCall: number) => {
  let calls = 0;
  let own = 0;
  let ownRevision = -1;
  const known = new Map<string, number>();
  return async (): Promise<CallOutcome> => {
    calls += 1;
    const events = Array.from({ length: eventsPerCall }, (_, n) => makeEvent(calls + n));
    if (calls % 5 === 0) {
      const stream = `slot-${tag}.shared${(writer + calls) % SHARED_STREAMS}`;
      const expected = known.get(stream) ?? -1;
      const revision = await store.append(stream, expected, events);
      if (revision !== 'conflict') {
        known.set(stream, revision);
        return { events: eventsPerCall };
      }
      // As a real client would: catch up on the stream, decide again next time.
      known.set(stream, (await store.readStream(stream, expected + 1)).lastRevision);
      return { events: 0, conflict: true };
    }
    if (ownRevision + eventsPerCall >= OWN_STREAM_LENGTH) {
      own += 1;
      ownRevision = -1;
    }
    const revision = await store.append(`slot-${tag}.w${writer}.s${own}`, ownRevision, events);
    if (revision === 'conflict')
      throw new Error(`A private stream of writer ${writer} conflicted.`);
    ownRevision = revision;
    return { events: eventsPerCall };
  };
};

const runRow = async (request: Extract<WorkerRequest, { kind: 'row' }>): Promise<RowResult> => {
  const { row, index, warmupMs, durationMs } = request;
  const concurrency = row.kind === 'append' ? row.writers : row.readers;
  const store = open(concurrency + 1);
  const timing = { concurrency, warmupMs, durationMs };
  try {
    switch (row.kind) {
      case 'append':
        return await runTimed(rowName(row), storeName, timing, (writer) =>
          makeWriter(store, `r${index}`, writer, row.eventsPerCall),
        );
      case 'readStream':
        return await runTimed(rowName(row), storeName, timing, (reader) => {
          let n = reader * 7919;
          return async () => {
            n += 1;
            const stream = `read-${n % row.streams}`;
            const read = await store.readStream(stream, 0);
            if (read.count !== row.streamLength)
              throw new Error(`${stream} has ${read.count} events.`);
            return { events: read.count };
          };
        });
      case 'readAll':
        return await runTimed(rowName(row), storeName, timing, () => {
          let cursor: string | undefined;
          return async () => {
            const page = await store.readAllPage(cursor, row.pageSize);
            cursor = page.count < row.pageSize ? undefined : page.cursor;
            return { events: page.count };
          };
        });
      default: {
        const _never: never = row;
        return _never;
      }
    }
  } finally {
    await store.close();
  }
};

const reply = (message: WorkerReply): void => {
  process.send?.(message);
};

process.on('message', (request: WorkerRequest) => {
  const work =
    request.kind === 'prepare'
      ? prepare(request.seedStreams, request.streamLength).then(() => undefined)
      : runRow(request);
  work.then(
    (result) => reply(result === undefined ? { ok: true } : { ok: true, result }),
    (error: unknown) =>
      reply({
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
