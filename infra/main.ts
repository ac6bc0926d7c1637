import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/config.ts';
import { openDatabase } from './database.ts';
import type { Logger } from './observability/logger.ts';
import { createMetricsRegistry } from './observability/metrics.ts';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The composition root: builds every client once and injects it. Until the
 * HTTP APIs land it serves the operational endpoints only.
 */
export const startServer = async (config: Config, logger: Logger): Promise<RunningServer> => {
  const database = await openDatabase(config, logger);
  const registry = createMetricsRegistry();
  const ready = async (): Promise<boolean> => {
    try {
      await database.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  };
  const server = http.createServer((request, response) => {
    const send = (status: number, body: unknown, type = 'application/json'): void => {
      response.writeHead(status, { 'content-type': type });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (request.url === '/health') return send(200, { status: 'ok' });
    if (request.url === '/ready') {
      void ready().then((ok) => send(ok ? 200 : 503, { ready: ok }));
      return;
    }
    if (request.url === '/metrics') {
      void registry.metrics().then((text) => send(200, text, registry.contentType));
      return;
    }
    send(404, {
      error: { code: 'NOT_FOUND', message: 'No such route.', details: {}, retryable: false },
    });
  });
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url, embeddedDatabase: database.embedded }, 'booking-ledger is serving');
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
};
