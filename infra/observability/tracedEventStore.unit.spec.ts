import { randomUUID } from 'node:crypto';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { expect } from 'chai';
import { NO_STREAM } from '../../commands/shared/eventStore.ts';
import { getInMemoryEventStore } from '../eventStore/memory/inMemoryEventStore.ts';
import { traceEventStore } from './tracedEventStore.ts';
import { createTracing } from './tracerProvider.ts';
import { contextFromTraceparent, traceparentOf, withEventSpan, type Tracing } from './tracing.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${TRACE}-00f067aa0ba902b7-01`;

describe('the traced event store', () => {
  let tracing: Tracing;
  before(async () => {
    tracing = await createTracing({ serviceName: 'test', exporter: new InMemorySpanExporter() });
  });
  after(() => tracing.shutdown());

  it('writes the active span’s traceparent into each event, and none outside a span', async () => {
    const store = traceEventStore(getInMemoryEventStore());
    const event = () => ({ eventId: randomUUID(), type: 'Noted', schemaVersion: 1, data: {} });
    await withEventSpan(tracing.tracer, 'work', { metadata: { traceparent: PARENT } }, () =>
      store.append([{ stream: 'note-1', expectedRevision: NO_STREAM, events: [event()] }]),
    );
    await store.append([{ stream: 'note-2', expectedRevision: NO_STREAM, events: [event()] }]);
    const [traced] = await store.readStream('note-1');
    const [untraced] = await store.readStream('note-2');
    expect(traced?.metadata.traceparent).to.match(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    expect(traced?.metadata.traceparent, 'a child span, not the caller’s').to.not.equal(PARENT);
    expect(untraced?.metadata).to.not.have.property('traceparent');
  });

  it('treats a retry from another span as the same event (the first trace is kept)', async () => {
    const store = traceEventStore(getInMemoryEventStore());
    const event = { eventId: randomUUID(), type: 'Noted', schemaVersion: 1, data: { n: 1 } };
    const append = () =>
      withEventSpan(tracing.tracer, 'attempt', { metadata: { traceparent: PARENT } }, () =>
        store.append([{ stream: 'note-3', expectedRevision: NO_STREAM, events: [event] }]),
      );
    const first = await append();
    const retried = await append();
    expect(retried.position).to.equal(first.position);
    const events = await store.readStream('note-3');
    expect(events).to.have.length(1);
  });

  it('reads a W3C traceparent and ignores malformed ones', () => {
    expect(traceparentOf(contextFromTraceparent(PARENT))).to.equal(PARENT);
    for (const bad of [
      '',
      'garbage',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE.toUpperCase()}-00f067aa0ba902b7-01`,
      42,
      undefined,
    ])
      expect(traceparentOf(contextFromTraceparent(bad)), String(bad)).to.equal(undefined);
  });
});
