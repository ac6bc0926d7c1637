import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/**
 * The light half of tracing (docs/tracing.md): W3C trace context in and out,
 * and spans around work, on `@opentelemetry/api` alone, so every subscriber
 * can use it without loading the SDK. The SDK (provider, exporters) is in
 * tracerProvider.ts, built once by the composition root.
 */

/** The process's tracer, built once by the composition root. */
export interface Tracing {
  readonly tracer: Tracer;
  /** Flushes and stops the exporters. */
  shutdown(): Promise<void>;
}

// W3C Trace Context: version-traceid-parentid-flags, lower-case hex. Version
// ff is invalid; a future version may append fields after the flags.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The context a W3C `traceparent` names, as a remote parent of `base`; a
 * missing or malformed value gives `base` unchanged (by default the root: a
 * new trace starts), never an error.
 */
export const contextFromTraceparent = (
  traceparent: unknown,
  base: Context = ROOT_CONTEXT,
): Context => {
  if (typeof traceparent !== 'string' || traceparent.length > 128) return base;
  const match = TRACEPARENT.exec(traceparent.trim());
  if (match === null) return base;
  const [, version, traceId = '', spanId = '', flags = '00', rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return base;
  const spanContext = { traceId, spanId, traceFlags: parseInt(flags, 16) & 1, isRemote: true };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(base, spanContext) : base;
};

/** The `traceparent` of a context's span, or undefined when it has no valid span. */
export const traceparentOf = (ctx: Context = context.active()): string | undefined => {
  const spanContext = trace.getSpanContext(ctx);
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
};

/** The trace an event's metadata names (`metadata.traceparent`), or a new one. */
export const continueTraceFrom = (metadata: unknown): Context =>
  contextFromTraceparent(
    metadata !== null && typeof metadata === 'object'
      ? (metadata as { traceparent?: unknown }).traceparent
      : undefined,
  );

const runInSpan = async <T>(span: Span, fn: (span: Span) => Promise<T>): Promise<T> => {
  try {
    return await fn(span);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
};

/** What `withEventSpan` reads of an event: its metadata and, for attributes, its identity. */
export interface TracedEvent {
  readonly metadata?: unknown;
  readonly type?: string;
  readonly stream?: string;
  readonly eventId?: string;
}

/**
 * Runs `fn` in a consumer span that continues the trace of the event it
 * handles (its `metadata.traceparent`; a new trace when absent or malformed).
 * Events `fn` appends carry this span's `traceparent`, so work caused by
 * work stays in one trace. For subscribers: the saga, webhooks, notifiers.
 * Without a tracer, `fn` just runs.
 */
export const withEventSpan = <T>(
  tracer: Tracer | undefined,
  name: string,
  event: TracedEvent,
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> => {
  if (tracer === undefined) return fn(undefined);
  const attributes: Attributes = {
    ...(event.type === undefined ? {} : { 'event.type': event.type }),
    ...(event.stream === undefined ? {} : { 'event.stream': event.stream }),
    ...(event.eventId === undefined ? {} : { 'event.id': event.eventId }),
  };
  return tracer.startActiveSpan(
    name,
    { kind: SpanKind.CONSUMER, attributes },
    continueTraceFrom(event.metadata),
    (span) => runInSpan(span, fn),
  );
};

/** Runs `fn` in a child span of the active context (a gateway call, a delivery). */
export const withSpan = <T>(
  tracer: Tracer | undefined,
  name: string,
  options: { readonly kind?: SpanKind; readonly attributes?: Attributes },
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> => {
  if (tracer === undefined) return fn(undefined);
  return tracer.startActiveSpan(name, options, (span) => runInSpan(span, fn));
};

/** Runs `fn` with `traceparent` (if valid) as the active parent, without a span of its own. */
export const withRemoteParent = <T>(traceparent: unknown, fn: () => T): T =>
  context.with(contextFromTraceparent(traceparent), fn);

/**
 * Records, after the fact, one short span per handled event as a child of
 * each event's trace (projections apply events in batches; one span per
 * event keeps each booking's trace whole). Events without a traceparent are
 * skipped: there is no trace to continue.
 */
export const recordEventSpans = (
  tracer: Tracer | undefined,
  name: string,
  events: readonly TracedEvent[],
  startTime: number,
  attributes: Attributes = {},
): void => {
  if (tracer === undefined) return;
  const end = Date.now();
  for (const event of events) {
    const parent = continueTraceFrom(event.metadata);
    if (!trace.getSpanContext(parent)) continue;
    tracer
      .startSpan(
        name,
        {
          kind: SpanKind.CONSUMER,
          startTime,
          attributes: {
            ...attributes,
            ...(event.type === undefined ? {} : { 'event.type': event.type }),
            ...(event.stream === undefined ? {} : { 'event.stream': event.stream }),
          },
        },
        parent,
      )
      .end(end);
  }
};

export { SpanKind };
