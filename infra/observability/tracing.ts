import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** The process's tracer, built once by the composition root (docs/tracing.md). */
export interface Tracing {
  readonly tracer: Tracer;
  /** Flushes and stops the exporters. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** `service.name` of every span (OTEL_SERVICE_NAME, default `booking-ledger`). */
  readonly serviceName: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<url>/v1/traces`. Unset → not exported. */
  readonly otlpEndpoint?: string | undefined;
  /** Tests: an extra exporter fed span by span (e.g. the SDK's InMemorySpanExporter). */
  readonly exporter?: SpanExporter | undefined;
}

const propagator = new W3CTraceContextPropagator();

/**
 * Context travels with async work through AsyncLocalStorage. OpenTelemetry
 * keeps the context manager process-wide by design; the first one set stays
 * (a second call is a no-op), and every tracer provider shares it.
 */
const ensureContextManager = (): void => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
};

/**
 * Spans are always made, so every write records a `traceparent` in its events'
 * metadata; they leave the process only when an endpoint (or a test exporter)
 * is configured. The provider is not registered globally: two servers in one
 * process (the tests) keep their own tracers.
 */
export const createTracing = (options: TracingOptions): Tracing => {
  ensureContextManager();
  const spanProcessors: SpanProcessor[] = [];
  if (options.exporter) spanProcessors.push(new SimpleSpanProcessor(options.exporter));
  if (options.otlpEndpoint !== undefined) {
    const url = `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors,
  });
  return {
    tracer: provider.getTracer('booking-ledger'),
    shutdown: () => provider.shutdown(),
  };
};

/**
 * The context a W3C `traceparent` names, as a remote parent of `base`; a
 * missing or malformed value gives `base` unchanged (by default the root: a
 * new trace starts), never an error.
 */
export const contextFromTraceparent = (
  traceparent: unknown,
  base: Context = ROOT_CONTEXT,
): Context =>
  typeof traceparent === 'string' && traceparent.length <= 128
    ? propagator.extract(base, { traceparent }, defaultTextMapGetter)
    : base;

/** The `traceparent` of a context's span, or undefined when it has no valid span. */
export const traceparentOf = (ctx: Context = context.active()): string | undefined => {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  return carrier['traceparent'];
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
