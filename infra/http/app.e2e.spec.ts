import { expect } from 'chai';
import { z } from 'zod';
import {
  ConcurrencyError,
  ConflictError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  IllegalStateError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from '../../domain/shared/errors.ts';
import { defineRoute } from '../../commands/shared/route.ts';
import { bearer, postJson, startTestApp, type TestApp } from './testing.ts';

const throwers: Record<string, () => never> = {
  validation: () => {
    throw new ValidationError('quantity must be positive (got -1).');
  },
  unauthenticated: () => {
    throw new UnauthenticatedError('No credentials.');
  },
  forbidden: () => {
    throw new ForbiddenError('Not yours.');
  },
  notFound: () => {
    throw new NotFoundError('No booking b-1.', { id: 'b-1' });
  },
  conflict: () => {
    throw new ConflictError('SLOT_UNAVAILABLE', 'The slot is taken.');
  },
  illegalState: () => {
    throw new IllegalStateError('Cancelled bookings cannot be confirmed.');
  },
  concurrency: () => {
    throw new ConcurrencyError('slot-1', '3', '4');
  },
  reused: () => {
    throw new IdempotencyKeyReusedError('Key reused.');
  },
  rateLimited: () => {
    throw new RateLimitedError('Slow down.', 7);
  },
  unavailable: () => {
    throw new UnavailableError('Payments are down.', 3);
  },
  bug: () => {
    throw new TypeError('cannot read properties of undefined (secret internals)');
  },
};

const routes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/test/throw/{kind}',
    summary: 'Throws the error named by kind.',
    auth: 'public',
    params: z.object({ kind: z.string() }),
    responses: { 200: { description: 'never' } },
    handler: ({ params }) => Promise.resolve(throwers[params.kind]?.() ?? { status: 200 }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/test/items/{id}',
    summary: 'Echoes a validated item.',
    auth: ['admin', 'partner'],
    params: z.object({ id: z.uuid() }),
    query: z.object({ dryRun: z.coerce.boolean().optional() }),
    body: z.object({ name: z.string().max(20), quantity: z.number().int().positive() }),
    responses: {
      201: {
        description: 'Created.',
        body: z.object({ id: z.uuid(), name: z.string(), quantity: z.number(), by: z.string() }),
      },
    },
    handler: ({ params, body, principal }) =>
      Promise.resolve({
        status: 201,
        body: { id: params.id, ...body, by: principal.role },
        headers: { Location: `/x/${params.id}` },
      }),
  }),
];

const ID = '0b5a4b6e-5e42-4b8e-9a57-1e7d1e6c8f00';

describe('HTTP app (e2e)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ routes, bodyLimit: '2kb' });
  });
  after(() => app.close());

  const expected: [string, number, string, boolean][] = [
    ['validation', 400, 'INVALID_REQUEST', false],
    ['unauthenticated', 401, 'UNAUTHENTICATED', false],
    ['forbidden', 403, 'FORBIDDEN', false],
    ['notFound', 404, 'NOT_FOUND', false],
    ['conflict', 409, 'SLOT_UNAVAILABLE', false],
    ['illegalState', 409, 'ILLEGAL_STATE', false],
    ['concurrency', 409, 'VERSION_MISMATCH', true],
    ['reused', 422, 'IDEMPOTENCY_KEY_REUSED', false],
    ['rateLimited', 429, 'RATE_LIMITED', true],
    ['unavailable', 503, 'SERVICE_UNAVAILABLE', true],
    ['bug', 500, 'INTERNAL_ERROR', true],
  ];
  for (const [kind, status, code, retryable] of expected) {
    it(`maps ${kind} to ${status} ${code} in the envelope`, async () => {
      const res = await fetch(`${app.baseUrl}/api/v1/test/throw/${kind}`);
      expect(res.status).to.equal(status);
      const body = (await res.json()) as { error: Record<string, unknown> };
      expect(body.error).to.include({ code, retryable });
      expect(body.error['message']).to.be.a('string').and.not.empty;
      expect(body.error['details']).to.be.an('object');
    });
  }

  it('sets Retry-After and retryAfter for 429 and 503', async () => {
    for (const [kind, seconds] of [
      ['rateLimited', 7],
      ['unavailable', 3],
    ] as const) {
      const res = await fetch(`${app.baseUrl}/api/v1/test/throw/${kind}`);
      expect(res.headers.get('retry-after')).to.equal(String(seconds));
      expect(((await res.json()) as { error: { retryAfter: number } }).error.retryAfter).to.equal(
        seconds,
      );
    }
  });

  it('hides a 500 behind the request id and logs it with the stack', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/test/throw/bug`, {
      headers: { 'x-request-id': 'req-bug-1' },
    });
    const text = await res.text();
    expect(text).to.not.include('secret internals');
    expect(text).to.include('req-bug-1');
    const logged = app.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(
      logged.some(
        (l) => l['reqId'] === 'req-bug-1' && JSON.stringify(l['err']).includes('secret internals'),
      ),
    ).to.equal(true);
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const sane = await fetch(`${app.baseUrl}/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(sane.headers.get('x-request-id')).to.equal('abc-123');
    const unsafe = await fetch(`${app.baseUrl}/health`, {
      headers: { 'x-request-id': 'a b;<script>' },
    });
    expect(unsafe.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with 404 ROUTE_NOT_FOUND', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/nope`);
    expect(res.status).to.equal(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal(
      'ROUTE_NOT_FOUND',
    );
  });

  it('validates params, query and body with every issue in details (400)', async () => {
    const res = await postJson(
      `${app.baseUrl}/api/v1/test/items/not-a-uuid`,
      { name: 5, quantity: -1, extra: 1 },
      bearer(app.adminKey),
    );
    expect(res.status).to.equal(400);
    const { error } = (await res.json()) as {
      error: { code: string; details: { issues: { path: string }[] } };
    };
    expect(error.code).to.equal('INVALID_REQUEST');
    const paths = error.details.issues.map((issue) => issue.path);
    expect(paths).to.include.members(['params.id', 'body.name', 'body.quantity']);
    expect(JSON.stringify(error.details.issues)).to.include('extra');
  });

  it('runs a valid request and returns status, headers and body', async () => {
    const res = await postJson(
      `${app.baseUrl}/api/v1/test/items/${ID}?dryRun=true`,
      { name: 'a', quantity: 2 },
      bearer(app.adminKey),
    );
    expect(res.status).to.equal(201);
    expect(res.headers.get('location')).to.equal(`/x/${ID}`);
    expect(await res.json()).to.deep.equal({ id: ID, name: 'a', quantity: 2, by: 'admin' });
  });

  it('refuses broken JSON (400), a non-JSON body (415) and a too large body (413)', async () => {
    const url = `${app.baseUrl}/api/v1/test/items/${ID}`;
    const broken = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(app.adminKey) },
      body: '{"name": "a",',
    });
    expect(broken.status).to.equal(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).to.equal(
      'MALFORMED_JSON',
    );
    const text = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer(app.adminKey) },
      body: 'name=a',
    });
    expect(text.status).to.equal(415);
    expect(((await text.json()) as { error: { code: string } }).error.code).to.equal(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const huge = await postJson(url, { name: 'x'.repeat(5000), quantity: 1 }, bearer(app.adminKey));
    expect(huge.status).to.equal(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).to.equal(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('serves /health, /ready and /metrics', async () => {
    expect((await fetch(`${app.baseUrl}/health`)).status).to.equal(200);
    const ready = await fetch(`${app.baseUrl}/ready`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.include({ ready: true });
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).to.include('http_request_duration_seconds_bucket');
    expect(metrics).to.include('route="/api/v1/test/throw/{kind}"');
  });

  it('publishes an OpenAPI 3.1 document with every route and its schemas', async () => {
    const doc = (await (await fetch(`${app.baseUrl}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<
                string,
                { schema: { properties: object; additionalProperties: boolean } }
              >;
            };
            parameters: { name: string; in: string }[];
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    expect(doc.openapi).to.equal('3.1.0');
    expect(Object.keys(doc.paths)).to.include.members([
      '/api/v1/test/items/{id}',
      '/api/v1/auth/login',
      '/api/v1/auth/token_refresh',
      '/api/v1/admin/users',
      '/api/v1/admin/api-keys',
    ]);
    const op = doc.paths['/api/v1/test/items/{id}']?.['post'];
    const schema = op?.requestBody?.content['application/json']?.schema;
    expect(schema?.properties).to.have.keys(['name', 'quantity']);
    expect(schema?.additionalProperties).to.equal(false);
    expect(op?.parameters.map((p) => `${p.in}:${p.name}`)).to.include.members([
      'path:id',
      'query:dryRun',
    ]);
    expect(op?.responses).to.include.keys(['201', '400', '401', '403', '415', '429']);
  });

  it('never logs emails, passwords, tokens or the Authorization header', async () => {
    const email = 'pii.person@example.org';
    const password = 'very-secret-password-123';
    const created = await postJson(
      `${app.baseUrl}/api/v1/admin/users`,
      { email, password, role: 'admin' },
      bearer(app.adminKey),
    );
    expect(created.status).to.equal(201);
    const login = await postJson(`${app.baseUrl}/api/v1/auth/login?email=${email}`, {
      email,
      password,
    });
    expect(login.status).to.equal(200);
    const { accessToken, refreshToken } = (await login.json()) as {
      accessToken: string;
      refreshToken: string;
    };
    await postJson(`${app.baseUrl}/api/v1/auth/login`, { email, password: 'wrong-password' });
    await fetch(`${app.baseUrl}/api/v1/test/throw/notFound`, { headers: bearer(accessToken) });
    const logs = app.logs.join('\n');
    expect(logs).to.include('request completed');
    for (const secret of [
      email,
      password,
      accessToken,
      refreshToken,
      app.adminKey,
      'wrong-password',
    ]) {
      expect(logs).to.not.include(secret);
    }
  });
});
