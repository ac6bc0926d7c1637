import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly id: string;
  readonly signature: string;
  readonly version: string;
  /** The W3C trace context the delivery carried, if any. */
  readonly traceparent: string | undefined;
  readonly body: string;
  readonly event: {
    readonly id: string;
    readonly type: string;
    readonly reservationId?: string;
    readonly reservationVersion?: number;
  };
}

export interface Receiver {
  readonly url: string;
  /** `host:port`, for the allow-list. */
  readonly hostPort: string;
  /** Every request, including those answered with a failure. */
  readonly requests: ReceivedWebhook[];
  /** Requests answered 2xx. */
  readonly accepted: ReceivedWebhook[];
  /** Resolves when `predicate` holds for the accepted requests (polled on each request; bounded). */
  waitFor(
    predicate: (accepted: readonly ReceivedWebhook[]) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1:0. `answer` decides each status (default
 * 200) from the request and how many requests came before; it may also wait.
 */
export const startReceiver = async (
  answer: (request: ReceivedWebhook, index: number) => number | Promise<number> = () => 200,
): Promise<Receiver> => {
  const requests: ReceivedWebhook[] = [];
  const accepted: ReceivedWebhook[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: ReceivedWebhook = {
        id: String(req.headers['webhook-id']),
        signature: String(req.headers['webhook-signature']),
        version: String(req.headers['x-webhook-version']),
        traceparent:
          typeof req.headers['traceparent'] === 'string' ? req.headers['traceparent'] : undefined,
        body,
        event: JSON.parse(body) as ReceivedWebhook['event'],
      };
      const index = requests.length;
      requests.push(received);
      void Promise.resolve(answer(received, index)).then((status) => {
        if (status >= 200 && status < 300) accepted.push(received);
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status >= 300 ? `failure ${'x'.repeat(1000)}` : 'ok');
        waiters.forEach((wake) => wake());
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    hostPort: `127.0.0.1:${port}`,
    requests,
    accepted,
    waitFor: (predicate, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(accepted)) return resolve();
        const check = () => {
          if (!predicate(accepted)) return;
          cleanup();
          resolve();
        };
        const timeout = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `receiver: condition not met within ${timeoutMs} ms (${accepted.length} accepted, ${requests.length} requests)`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timeout);
          waiters.delete(check);
        };
        waiters.add(check);
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
