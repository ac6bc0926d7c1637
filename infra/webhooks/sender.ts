import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isBlockedAddress, type WebhookTargetGuard } from './urlGuard.ts';

/** How much of a receiver's answer is kept in the delivery log. */
export const RESPONSE_EXCERPT_CHARS = 256;

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SendOutcome {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly responseExcerpt: string | null;
  readonly durationMs: number;
}

export type WebhookSender = (request: WebhookRequest) => Promise<SendOutcome>;

/**
 * POSTs a webhook: a 2xx within `timeoutMs` is success; redirects are not
 * followed; only the first RESPONSE_EXCERPT_CHARS of the answer are read and
 * kept. Connections go only to addresses the guard accepts at connect time.
 */
export const createWebhookSender = (
  guard: WebhookTargetGuard,
  options: { readonly timeoutMs?: number } = {},
): WebhookSender => {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
  };
  return (request) =>
    new Promise<SendOutcome>((resolve) => {
      const started = Date.now();
      const done = (outcome: Omit<SendOutcome, 'durationMs'>) =>
        resolve({ ...outcome, durationMs: Date.now() - started });
      let target: { url: URL; allowListed: boolean };
      try {
        target = guard.checkForm(request.url);
      } catch (error) {
        return done({
          ok: false,
          statusCode: null,
          error: String((error as Error).message),
          responseExcerpt: null,
        });
      }
      const host = target.url.hostname.replace(/^\[|\]$/g, '');
      if (!target.allowListed && isIP(host) !== 0 && isBlockedAddress(host)) {
        return done({
          ok: false,
          statusCode: null,
          error: `${host} is an address webhooks may not reach.`,
          responseExcerpt: null,
        });
      }
      const client = target.url.protocol === 'https:' ? https : http;
      const req = client.request(target.url, {
        method: 'POST',
        agent: target.url.protocol === 'https:' ? agents.https : agents.http,
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body).toString(),
          'user-agent': 'booking-ledger-webhooks/1',
        },
        ...(target.allowListed ? {} : { lookup: guard.lookup }),
      });
      const timer = setTimeout(() => {
        req.destroy(new Error(`No answer within ${timeoutMs} ms.`));
      }, timeoutMs);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        let excerpt = '';
        res.setEncoding('utf8');
        const finish = () => {
          clearTimeout(timer);
          done({
            ok: status >= 200 && status < 300,
            statusCode: status,
            error: status >= 200 && status < 300 ? null : `HTTP ${status}`,
            responseExcerpt: excerpt.slice(0, RESPONSE_EXCERPT_CHARS),
          });
        };
        res.on('data', (chunk: string) => {
          excerpt += chunk;
          if (excerpt.length >= RESPONSE_EXCERPT_CHARS) {
            res.destroy();
            finish();
          }
        });
        res.on('end', finish);
        res.on('error', finish);
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        done({ ok: false, statusCode: null, error: error.message, responseExcerpt: null });
      });
      req.end(request.body);
    });
};
