import { expect } from 'chai';
import fc from 'fast-check';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { startWriteTestApp, type WriteTestApp } from '../testing/writeTestApp.ts';
import { bearer, postJson } from './testing.ts';

/**
 * Bad input of every kind against every write endpoint in the app's own
 * OpenAPI document (so routes added later are fuzzed too): only 4xx in the
 * seed-004 envelope, never a 5xx, and not one event appended. Every request
 * is invalid by construction (a broken body, a wrong content type, an
 * unknown top-level field, a bad id, …) so a 2xx is a real failure.
 */
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly hasBody: boolean;
  readonly properties: Readonly<Record<string, { type?: unknown }>>;
}

const RUNS_PER_OPERATION = 40;
const INJECTIONS = [
  "'; DROP TABLE events; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '../../etc/passwd',
  '\u0000\u0001\u001f',
  '\ud800',
  '𝕏'.repeat(50),
];
const BAD_IDS = ['a.b', 'x'.repeat(300), "' OR 1=1", '%00', '..', 'ü', '%2F..%2Fetc', ' '];
const BAD_SCALARS: unknown[] = [
  -1,
  0,
  0.5,
  -0.0001,
  1e308,
  2 ** 53,
  'NaN',
  '2026-02-30',
  '2026-13-01',
  '2026-12-24T25:00:00Z',
  '9999-99-99',
  '',
  'x'.repeat(20_000),
  true,
  null,
  [],
  {},
  ...INJECTIONS,
];

const wrongTypeFor = (schema: { type?: unknown } | undefined): unknown => {
  switch (schema?.type) {
    case 'string':
      return 12345;
    case 'number':
    case 'integer':
      return 'twelve';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return ['not', 'an', 'object'];
    default:
      return Symbol.for('unknown');
  }
};

/** A JSON body that no strict schema accepts. */
const badBody = (op: Operation): fc.Arbitrary<unknown> => {
  const names = Object.keys(op.properties);
  const known = names.length > 0 ? fc.constantFrom(...names) : fc.constant('field');
  const badValues = fc.oneof(fc.constantFrom(...BAD_SCALARS), fc.anything({ maxDepth: 2 }));
  return fc.oneof(
    // Not an object at all.
    fc.oneof(
      fc.integer(),
      fc.string(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
    ),
    // Every known field of the wrong type, plus an unknown one.
    fc.constant(
      JSON.parse(
        JSON.stringify({
          ...Object.fromEntries(names.map((n) => [n, wrongTypeFor(op.properties[n])])),
          __unknown: 1,
        }),
      ) as unknown,
    ),
    // Bad values for known fields, an unknown field beside them.
    fc
      .dictionary(known, badValues, { minKeys: 1, maxKeys: 4 })
      .chain((fields) =>
        fc
          .string({ minLength: 1, maxLength: 12 })
          .map((extra) => ({ ...fields, [`zz_${extra}`]: 'x' })),
      ),
    // Missing every field.
    fc.constant({ __unknown: true }),
  );
};

type Attempt =
  | { kind: 'json'; id: string; body: unknown }
  | { kind: 'raw'; id: string; contentType: string; text: string };

const attempts = (op: Operation, validId: string): fc.Arbitrary<Attempt> => {
  const ids =
    op.pathParams.length === 0
      ? fc.constant(validId)
      : fc.oneof(fc.constantFrom(...BAD_IDS), fc.constant(validId), fc.uuid());
  const raw = fc.record({
    kind: fc.constant('raw' as const),
    id: ids,
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ),
    text: fc.oneof(
      fc.constantFrom(
        '{"a":',
        '{',
        '[1,2',
        '{"quantity": 1,}',
        "{'single': 1}",
        'null x',
        '\u0000',
      ),
      fc.constant(`{"pad":"${'x'.repeat(300_000)}"}`),
    ),
  });
  // Bad ids must be refused whatever the body: pair them with an otherwise odd body too.
  const json = fc.record({ kind: fc.constant('json' as const), id: ids, body: badBody(op) });
  return op.hasBody
    ? fc.oneof(json, json, raw)
    : fc.record({
        kind: fc.constant('json' as const),
        id: fc.oneof(fc.constantFrom(...BAD_IDS), fc.uuid()),
        body: fc.constant({}),
      });
};

describe('write API fuzz: every write endpoint refuses bad input with a 4xx envelope and appends nothing', function () {
  this.timeout(60_000);
  let app: WriteTestApp;
  let operations: Operation[];
  before(async () => {
    app = await startWriteTestApp({
      perPrincipal: { limit: 1_000_000, windowSeconds: 60 },
      perIp: { limit: 1_000_000, windowSeconds: 60 },
    });
    await postJson(
      `${app.baseUrl}/api/v1/resources`,
      { resourceId: 'fz-room', ...sampleNightly() },
      bearer(app.adminKey),
    );
    const doc = (await (await fetch(`${app.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { in: string; name: string }[];
            requestBody?: {
              content: Record<string, { schema: { properties?: Operation['properties'] } }>;
            };
          }
        >
      >;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, spec]) => {
          const schema = spec.requestBody?.content['application/json']?.schema;
          const variants = (
            schema as { anyOf?: { properties?: Operation['properties'] }[] } | undefined
          )?.anyOf;
          return {
            method: method.toUpperCase(),
            path,
            pathParams: (spec.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
            hasBody: spec.requestBody !== undefined,
            properties: schema?.properties ?? variants?.find((v) => v.properties)?.properties ?? {},
          };
        }),
    );
  });
  after(async () => app.close());

  const eventCount = async (): Promise<number> => {
    // Straight from the table: readAll's visibility fence could hide a fresh append.
    const result = await app.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${app.db.schema}".events`,
    );
    return Number(result.rows[0]?.n);
  };

  const send = async (op: Operation, attempt: Attempt): Promise<Response> => {
    const path = op.pathParams.reduce(
      (p, name) => p.replace(`{${name}}`, encodeURIComponent(attempt.id)),
      op.path,
    );
    const headers = { ...bearer(app.adminKey) };
    return attempt.kind === 'json'
      ? postJson(`${app.baseUrl}${path}`, attempt.body, headers, op.method)
      : fetch(`${app.baseUrl}${path}`, {
          method: op.method,
          headers: { ...headers, 'content-type': attempt.contentType },
          body: attempt.text,
        });
  };

  it('finds the write endpoints in the OpenAPI document', () => {
    const ids = operations.map((o) => `${o.method} ${o.path}`);
    expect(ids).to.include.members([
      'POST /api/v1/resources',
      'PATCH /api/v1/resources/{id}',
      'POST /api/v1/resources/{id}/busy-time',
    ]);
    expect(operations.length).to.be.greaterThan(8);
  });

  it('answers every bad request with a 4xx envelope, appends nothing', async () => {
    const before = await eventCount();
    const seen = new Map<string, Set<number>>();
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(attempts(op, 'fz-room'), async (attempt) => {
          const response = await send(op, attempt);
          const text = await response.text();
          const label = `${op.method} ${op.path} ${JSON.stringify(attempt).slice(0, 300)} → ${response.status} ${text.slice(0, 300)}`;
          expect(response.status, label).to.be.within(400, 499);
          const body = JSON.parse(text) as { error?: Record<string, unknown> };
          expect(body.error, label).to.be.an('object');
          expect(body.error?.['code'], label).to.be.a('string');
          expect(body.error?.['message'], label).to.be.a('string');
          expect(body.error?.['details'], label).to.be.an('object');
          expect(body.error?.['retryable'], label).to.be.a('boolean');
          (
            seen.get(`${op.method} ${op.path}`) ??
            seen.set(`${op.method} ${op.path}`, new Set()).get(`${op.method} ${op.path}`)!
          ).add(response.status);
        }),
        { numRuns: RUNS_PER_OPERATION, seed: 4004 },
      );
      expect(await eventCount(), `${op.method} ${op.path} appended events`).to.equal(before);
    }
    expect(seen.size).to.equal(operations.length);
  });

  it('refuses impossible dates and quantities on the hold endpoint, appending nothing', async () => {
    const before = await eventCount();
    const base = { resourceId: 'fz-room', guest: { name: 'Ada' }, requesterId: 'r1', quantity: 1 };
    const cases = [
      { ...base, checkIn: '2026-02-30', checkOut: '2026-03-02' },
      { ...base, checkIn: '2026-12-26', checkOut: '2026-12-24' },
      { ...base, checkIn: '2026-12-24', checkOut: '2026-12-24' },
      ...[-1, 0, 1.5, 1e9].map((quantity) => ({
        ...base,
        checkIn: '2026-12-24',
        checkOut: '2026-12-26',
        quantity,
      })),
    ];
    for (const body of cases) {
      const response = await postJson(
        `${app.baseUrl}/api/v1/reservations`,
        body,
        bearer(app.adminKey),
      );
      expect(response.status, JSON.stringify(body)).to.be.within(400, 499);
    }
    expect(await eventCount()).to.equal(before);
  });
});
