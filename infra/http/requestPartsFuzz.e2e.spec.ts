import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import fc from 'fast-check';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { registerResource } from '../../commands/shared/testing/reservationFixtures.ts';
import { startReadTestApp, type ReadTestApp } from '../readSide/testing/readTestApp.ts';

/**
 * Every header and query parameter the OpenAPI document lists (plus
 * Idempotency-Key and X-Request-Id everywhere), and every path parameter, fed
 * hostile values — NUL, `%ff`, huge and negative numbers, far dates, overflowing
 * positions, long strings, injections — on every operation, through the HTTP
 * layer. Reads answer 2xx or a 4xx envelope; writes (whose bodies are
 * invalid by construction) only a 4xx envelope; nothing is ever appended and
 * nothing is a 5xx.
 */
interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
}
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly hasBody: boolean;
}

const RUNS_PER_OPERATION = 15;
const HOSTILE = [
  '\u0000',
  'a\u0000b',
  '%ff',
  '%00',
  '99999999999999999999',
  '9223372036854775808',
  '1000000000:99999999999999999999',
  '9223372036854775808:1',
  '-1',
  '0',
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '0x10',
  '9999-12-31',
  '0000-01-01',
  '2026-02-30',
  '2026-12-24/9999-12-31',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  "'; DROP TABLE events; --",
  '../../etc/passwd',
  'x'.repeat(4_000),
  '',
  ' ',
  '\ud800',
  '[[[[[[[[[[',
];
/** Plausible values by parameter name, so hostile ones meet code past validation of the rest. */
const plausible = (
  name: string,
  path: string,
  ids: { resource: string; reservation: string; vendor: string },
): string => {
  if (name === 'id' && path.startsWith('/api/v1/vendors/')) return ids.vendor;
  if (name === 'id' && path.startsWith('/api/v1/resources/')) return ids.resource;
  if (/^(checkIn|booking_date|from|date)$/i.test(name)) return '2026-12-24';
  if (/^(checkOut|end_date|to)$/i.test(name)) return '2026-12-26';
  if (/^(startTime|slotStart)$/i.test(name)) return '2026-12-07T14:00:00Z';
  if (/^(endTime|slotEnd)$/i.test(name)) return '2026-12-07T16:00:00Z';
  if (/^dates$/i.test(name)) return '2026-12-24/2026-12-26';
  if (/^(quantity|limit|persons|slotDuration)$/i.test(name)) return '1';
  if (/^(resourceId|sku|venue_id)$/i.test(name)) return ids.resource;
  if (/^(id|value)$/.test(name)) return ids.reservation;
  // A fresh key per request: a reused one would answer 422 before the rest is read.
  if (/^idempotency-key$/i.test(name)) return `fuzz-${Math.random().toString(36).slice(2)}`;
  return 'x';
};
/** Percent-encoding; a lone surrogate (which encodeURIComponent refuses) goes as its CESU-8 bytes. */
const percent = (value: string): string => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};
/** What a header value may carry on the wire (node:http refuses the rest client-side). */
const isHeaderSafe = (value: string): boolean => /^[\x20-\x7e]*$/.test(value);

interface Answer {
  readonly status: number;
  readonly text: string;
}
const send = (
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });

describe('request-parts fuzz: every header, query and path parameter of every operation', function () {
  this.timeout(300_000);
  let app: ReadTestApp;
  let key: string;
  let operations: Operation[];
  const ids = { resource: '', reservation: '', vendor: sampleNightly().vendorId };

  before(async () => {
    app = await startReadTestApp({ perIp: { limit: 1_000_000, windowSeconds: 60 } });
    ids.resource = await registerResource(app.writeSide, sampleNightly());
    key = (await app.createPartnerKey()).key;
    const held = await send(
      app.expressUrl,
      'POST',
      '/api/v1/reservations',
      { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      JSON.stringify({
        resourceId: ids.resource,
        checkIn: '2026-12-24',
        checkOut: '2026-12-26',
        guest: { name: 'Ada' },
        requesterId: 'r-fuzz',
      }),
    );
    expect(held.status, held.text).to.equal(201);
    ids.reservation = (JSON.parse(held.text) as { reservationId: string }).reservationId;
    const doc = JSON.parse(
      (await send(app.expressUrl, 'GET', '/api/v1/openapi.json', {})).text,
    ) as {
      paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: unknown }>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, spec]) => ({
        method: method.toUpperCase(),
        path,
        parameters: spec.parameters ?? [],
        hasBody: spec.requestBody !== undefined,
      })),
    );
  });
  after(async () => app.close());

  const eventCount = async (): Promise<number> => {
    const result = await app.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${app.db.schema}".events`,
    );
    return Number(result.rows[0]?.n);
  };

  type Server = 'expressUrl';
  interface Request {
    readonly path: string;
    readonly headers: Record<string, string>;
    readonly server: Server;
  }

  /** The operation's parameters, plus the two headers every route reads. */
  const namedOf = (op: Operation): Parameter[] =>
    [
      ...op.parameters,
      { name: 'Idempotency-Key', in: 'header' as const },
      { name: 'X-Request-Id', in: 'header' as const },
    ].filter(
      (p, i, all) => all.findIndex((q) => q.name.toLowerCase() === p.name.toLowerCase()) === i,
    );

  const build = (
    op: Operation,
    values: readonly (string | undefined)[],
    server: Server,
    rawEscape: boolean,
  ): Request => {
    // The admin may call every route, so no role check stops a request before its parameters are read.
    const headers: Record<string, string> = { authorization: `Bearer ${app.adminKey}` };
    const query: string[] = [];
    let path = op.path;
    // `%ff`/`%00` are also sent as typed, not re-encoded, to reach the URL decoder as-is.
    const encoded = (v: string) => (rawEscape && /^%[0-9a-f]{2}$/i.test(v) ? v : percent(v));
    namedOf(op).forEach((p, i) => {
      const v = values[i];
      if (p.in === 'path')
        path = path.replace(`{${p.name}}`, encoded(v === undefined || v === '' ? 'x' : v));
      else if (v === undefined) return;
      else if (p.in === 'query') query.push(`${percent(p.name)}=${encoded(v)}`);
      else if (isHeaderSafe(v)) headers[p.name.toLowerCase()] = v;
    });
    return { path: query.length > 0 ? `${path}?${query.join('&')}` : path, headers, server };
  };

  /** Random requests: each parameter plausible, hostile or (when optional) absent. */
  const requests = (op: Operation): fc.Arbitrary<Request> => {
    const value = (p: Parameter) =>
      fc.oneof(
        { weight: 2, arbitrary: fc.constant(null).map(() => plausible(p.name, op.path, ids)) },
        { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
    return fc
      .record({
        values: fc.tuple(...namedOf(op).map(value)),
        server: fc.constant<Server>('expressUrl'),
        rawEscape: fc.boolean(),
      })
      .map(({ values, server, rawEscape }) => build(op, values, server, rawEscape));
  };

  /** Every hostile value in every parameter, the others plausible: nothing left to chance. */
  const sweep = (op: Operation): Request[] => {
    const named = namedOf(op);
    return named.flatMap((_, i) =>
      HOSTILE.map((hostile, h) =>
        build(
          op,
          // The others valid or absent, so the hostile value is what the route has to answer.
          named.map((p, j) =>
            j === i ? hostile : p.required ? plausible(p.name, op.path, ids) : undefined,
          ),
          'expressUrl',
          h % 4 < 2,
        ),
      ),
    );
  };

  /** Reads: 2xx or a 4xx envelope; writes (an unknown body field) only a 4xx envelope. */
  const check = async (op: Operation, request: Request): Promise<void> => {
    const write = op.method !== 'GET';
    const answer = await send(
      app[request.server],
      op.method,
      request.path,
      write ? { ...request.headers, 'content-type': 'application/json' } : request.headers,
      write ? '{"__fuzz":1}' : undefined,
    );
    const label = `${op.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers).slice(0, 200)} via ${request.server} → ${answer.status} ${answer.text.slice(0, 300)}`;
    expect(answer.status, label).to.be.below(500);
    if (write) expect(answer.status, label).to.be.within(400, 499);
    if (answer.status >= 400) {
      const envelope = JSON.parse(answer.text) as { error?: Record<string, unknown> };
      expect(envelope.error?.['code'], label).to.be.a('string');
      expect(envelope.error?.['message'], label).to.be.a('string');
    }
  };

  it('finds header and query parameters in the document', () => {
    const names = new Set(
      operations.flatMap((o) => o.parameters.filter((p) => p.in !== 'path').map((p) => p.name)),
    );
    expect([...names]).to.include.members(['x-min-position', 'checkIn', 'checkOut', 'dates']);
  });

  it('sweeps every hostile value through every parameter: never a 5xx, writes only 4xx, nothing appended', async () => {
    const before = await eventCount();
    for (const op of operations) for (const request of sweep(op)) await check(op, request);
    expect(await eventCount()).to.equal(before);
    expect(app.logs.filter((line) => line.includes('unhandled error'))).to.deep.equal([]);
  });

  it('mixes hostile, plausible and absent values at random: the same answers', async () => {
    const before = await eventCount();
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(requests(op), (request) => check(op, request)),
        { numRuns: RUNS_PER_OPERATION, seed: 9011 },
      );
    }
    expect(await eventCount()).to.equal(before);
    expect(app.logs.filter((line) => line.includes('unhandled error'))).to.deep.equal([]);
  });
});
