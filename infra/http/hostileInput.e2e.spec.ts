import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { registerResource } from '../../commands/shared/testing/reservationFixtures.ts';
import { startReadTestApp, type ReadTestApp } from '../readSide/testing/readTestApp.ts';
import { bearer } from './testing.ts';

interface Answer {
  readonly status: number;
  readonly code: string | undefined;
  readonly text: string;
}

/** A raw HTTP/1.1 request: fetch would normalize or refuse some of what an attacker sends. */
const raw = (
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers, insecureHTTPParser: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let code: string | undefined;
          try {
            code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
          } catch {
            code = undefined;
          }
          resolve({ status: res.statusCode ?? 0, code, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const TOO_BIG = '1000000000:99999999999999999999';
const OVER_INT64 = '9223372036854775808:1';

/**
 * Issue 9 items 2 and 12: hostile input anywhere in a request is a 4xx in the
 * envelope.
 */
describe('hostile input is a 4xx in the envelope, never a 500 or a bare status', () => {
  let app: ReadTestApp;
  let key: string;
  let resourceId: string;
  before(async () => {
    app = await startReadTestApp();
    key = (await app.createPartnerKey()).key;
    resourceId = await registerResource(app.writeSide, sampleNightly());
  });
  after(async () => app.close());

  const json = { 'content-type': 'application/json' };

  for (const base of ['expressUrl'] as const) {
    describe(`through ${base}`, () => {
      const call = (method: string, path: string, headers: Record<string, string>, body?: string) =>
        raw(app[base], method, path, { ...bearer(key), ...headers }, body);

      it('refuses an X-Min-Position whose halves overflow a bigint (400), on every read that takes it', async () => {
        const reads: [string, string, string?][] = [
          [
            'GET',
            `/api/v1/vendors/${sampleNightly().vendorId}/availability?startTime=2026-12-24T00:00:00Z&endTime=2026-12-25T00:00:00Z`,
          ],
          ['GET', `/api/v1/search?checkIn=2026-12-24&checkOut=2026-12-26`],
          [
            'GET',
            `/api/v1/pricing/quote?resourceId=${resourceId}&checkIn=2026-12-24&checkOut=2026-12-26`,
          ],
          ['GET', `/api/v1/inventory/query?sku=${resourceId}&dates=2026-12-24/2026-12-26`],
          ['GET', '/api/v1/bookings/some-id'],
          ['GET', '/api/v1/bookings/reference/BR-1'],
          ['GET', '/api/v1/bookings/guest/g-1'],
          ['GET', `/api/v1/bookings/venue/${resourceId}`],
          [
            'POST',
            '/api/v1/bookings/availability/check',
            JSON.stringify({
              venue_id: resourceId,
              booking_date: '2026-12-24',
              end_date: '2026-12-26',
            }),
          ],
        ];
        for (const [method, path, body] of reads) {
          for (const position of [TOO_BIG, OVER_INT64]) {
            const answer = await call(method, path, { ...json, 'x-min-position': position }, body);
            expect(answer.status, `${method} ${path} ${position}: ${answer.text}`).to.equal(400);
            expect(answer.code).to.equal('INVALID_REQUEST');
          }
        }
      });

      it('refuses a NUL byte in a path id, a query or a body (400 INVALID_CHARACTER)', async () => {
        const paths = [
          '/api/v1/bookings/a%00b',
          '/api/v1/bookings/reference/a%00b',
          '/api/v1/bookings/guest/a%00b',
          '/api/v1/bookings/venue/a%00b',
          '/api/v1/reservations/a%00b',
          '/api/v1/search?checkIn=2026-12-24&checkOut=2026-12-26&q=a%00b',
          `/api/v1/inventory/query?sku=${resourceId}&dates=2026-12-24%00`,
        ];
        for (const path of paths) {
          const answer = await call('GET', path, {});
          expect(answer.status, `${path}: ${answer.text}`).to.equal(400);
          expect(answer.code, path).to.equal('INVALID_CHARACTER');
        }
        const hold = await call(
          'POST',
          '/api/v1/reservations',
          json,
          JSON.stringify({
            resourceId,
            checkIn: '2026-12-24',
            checkOut: '2026-12-26',
            guest: { name: 'Ada\u0000' },
            requesterId: 'r-1',
          }),
        );
        expect(hold.status, hold.text).to.equal(400);
        expect(hold.code).to.equal('INVALID_CHARACTER');
      });

      it('refuses a path parameter that is not UTF-8 (%ff) with 400 MALFORMED_URL', async () => {
        for (const [method, path] of [
          ['GET', '/api/v1/reservations/%ff'],
          ['GET', '/api/v1/bookings/%ff'],
          ['GET', '/api/v1/bookings/reference/%ff'],
          ['GET', '/api/v1/vendors/%ff/availability'],
          ['POST', '/api/v1/reservations/%ff/confirm'],
          ['PATCH', '/api/v1/resources/%ff'],
        ] as const) {
          const answer = await call(method, path, json, method === 'GET' ? undefined : '{}');
          expect(answer.status, `${method} ${path}: ${answer.text}`).to.equal(400);
          expect(answer.code, path).to.equal('MALFORMED_URL');
        }
      });

      it('answers a 20 KB URL or header with 431 in the envelope', async () => {
        const longUrl = await call('GET', `/api/v1/search?q=${'x'.repeat(20_000)}`, {});
        const longHeader = await raw(app[base], 'GET', '/health', { 'x-big': 'x'.repeat(20_000) });
        for (const answer of [longUrl, longHeader]) {
          expect(answer.status).to.equal(431);
          expect(answer.code).to.equal('REQUEST_HEADERS_TOO_LARGE');
        }
      });

      it('refuses a body nested 5,000 levels deep with an Idempotency-Key (400 INPUT_TOO_DEEP)', async () => {
        const deep = `{"resourceId":"${resourceId}","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
        for (const [method, path] of [
          ['POST', '/api/v1/reservations'],
          ['POST', '/api/v1/bookings'],
          ['POST', '/api/v1/inventory/reserve'],
          ['POST', '/api/v1/resources'],
          ['POST', '/api/v1/reservations/r-1/confirm'],
          ['PATCH', '/api/v1/bookings/r-1'],
        ] as const) {
          const answer = await call(method, path, { ...json, 'idempotency-key': 'deep-1' }, deep);
          expect(answer.status, `${method} ${path}: ${answer.text}`).to.equal(400);
          expect(answer.code).to.equal('INPUT_TOO_DEEP');
        }
      });
    });
  }

  describe('afterwards', () => {
    it('logged none of these as a bug', () => {
      expect(app.logs.filter((line) => line.includes('unhandled error'))).to.deep.equal([]);
    });
  });
});
