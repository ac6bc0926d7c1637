import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Tracing } from './tracing.ts';

export interface TracingOptions {
  /** `service.name` of every span (OTEL_SERVICE_NAME, default `booking-ledger`). */
  readonly serviceName: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<url>/v1/traces`. Unset → not exported. */
  readonly otlpEndpoint?: string | undefined;
  /** Tests: an extra exporter fed span by span (e.g. the SDK's InMemorySpanExporter). */
  readonly exporter?: SpanExporter | undefined;
}

/**
 * Spans are always made, so every write records a `traceparent` in its events'
 * metadata; they leave the process only when an endpoint (or a test exporter)
 * is configured — the OTLP exporter is loaded only then. The provider is not
 * registered globally: two servers in one process (the tests) keep their own
 * tracers. The context manager (AsyncLocalStorage) is process-wide by
 * OpenTelemetry's design; the first one set stays, and all providers share it.
 */
export const createTracing = async (options: TracingOptions): Promise<Tracing> => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const spanProcessors: SpanProcessor[] = [];
  if (options.exporter) spanProcessors.push(new SimpleSpanProcessor(options.exporter));
  if (options.otlpEndpoint !== undefined) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
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
