import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ConflictError } from '../../domain/shared/errors.ts';
import { defineRoute } from '../../commands/shared/route.ts';
import { bearer, postJson, startTestApp, type TestApp } from '../http/testing.ts';

/** A route whose executions are counted, with scripted outcomes. */
const createCountingRoutes = () => {
  const executions: string[] = [];
  let failNext = false;
  const routes = [
    defineRoute({
      method: 'post',
      path: '/api/v1/test/holds',
      summary: 'Counts executions.',
      auth: ['admin', 'partner'],
      body: z.object({
        slot: z.string(),
        delayMs: z.number().int().max(2000).default(0),
        refuse: z.boolean().default(false),
      }),
      responses: { 201: { description: 'Held.' } },
      idempotent: true,
      handler: async ({ body, idempotencyKey }) => {
        executions.push(body.slot);
        await sleep(body.delayMs);
        if (failNext) {
          failNext = false;
          throw new Error('database connection reset');
        }
        if (body.refuse) throw new ConflictError('SLOT_UNAVAILABLE', `Slot ${body.slot} is full.`);
        return {
          status: 201,
          body: { holdId: `hold-${executions.length}`, slot: body.slot, idempotencyKey },
          headers: { Location: `/holds/${executions.length}` },
        };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/test/strict',
      summary: 'Demands a key.',
      auth: ['admin'],
      body: z.object({ a: z.number() }),
      responses: { 200: { description: 'ok' } },
      idempotent: 'required',
      handler: () => Promise.resolve({ status: 200, body: { ok: true } }),
    }),
  ];
  return { routes, executions, failNextExecution: () => void (failNext = true) };
};

for (const redis of ['up', 'none'] as const) {
  describe(`idempotency keys (e2e, Redis ${redis})`, () => {
    let app: TestApp;
    let counting: ReturnType<typeof createCountingRoutes>;
    const url = () => `${app.baseUrl}/api/v1/test/holds`;
    const hold = (key: string, body: Record<string, unknown>, credential = app.adminKey) =>
      postJson(url(), body, { ...bearer(credential), 'idempotency-key': key });

    beforeEach(async () => {
      counting = createCountingRoutes();
      app = await startTestApp({ routes: counting.routes, redis, idempotency: { waitMs: 3000 } });
    });
    afterEach(() => app.close());

    it('replays status, headers and body of the first response', async () => {
      const first = await hold('k-1', { slot: 'a' });
      const second = await hold('k-1', { slot: 'a' });
      expect(counting.executions).to.deep.equal(['a']);
      expect(second.status).to.equal(201);
      expect(second.headers.get('location')).to.equal(first.headers.get('location'));
      expect(second.headers.get('idempotent-replayed')).to.equal('true');
      expect(first.headers.get('idempotent-replayed')).to.equal(null);
      const firstBody: unknown = await first.json();
      expect(firstBody).to.deep.include({ idempotencyKey: 'k-1' });
      expect(await second.json()).to.deep.equal(firstBody);
    });

    it('treats the same body with another field order as the same request', async () => {
      await hold('k-order', { slot: 'a', delayMs: 0 });
      expect((await hold('k-order', { delayMs: 0, slot: 'a' })).status).to.equal(201);
      expect(counting.executions).to.have.length(1);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
      await hold('k-2', { slot: 'a' });
      const res = await hold('k-2', { slot: 'b' });
      expect(res.status).to.equal(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal(
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(counting.executions).to.deep.equal(['a']);
    });

    it('scopes keys per principal', async () => {
      const keyRes = await postJson(
        `${app.baseUrl}/api/v1/admin/api-keys`,
        { role: 'partner', partnerId: 'p', label: 'p' },
        bearer(app.adminKey),
      );
      const { apiKey } = (await keyRes.json()) as { apiKey: string };
      await hold('shared', { slot: 'a' });
      expect((await hold('shared', { slot: 'b' }, apiKey)).status).to.equal(201);
      expect(counting.executions).to.deep.equal(['a', 'b']);
    });

    it('replays refusals (4xx) but not failures (5xx)', async () => {
      const refused = await hold('k-3', { slot: 'a', refuse: true });
      expect(refused.status).to.equal(409);
      const replay = await hold('k-3', { slot: 'a', refuse: true });
      expect(replay.status).to.equal(409);
      expect(replay.headers.get('idempotent-replayed')).to.equal('true');
      expect(counting.executions).to.have.length(1);

      counting.failNextExecution();
      expect((await hold('k-4', { slot: 'c' })).status).to.equal(500);
      const retry = await hold('k-4', { slot: 'c' });
      expect(retry.status).to.equal(201);
      expect(counting.executions).to.have.length(3);
    });

    it('executes once for 10 concurrent requests with one key', async () => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => hold('k-race', { slot: 'r', delayMs: 300 })),
      );
      expect(counting.executions).to.deep.equal(['r']);
      const bodies = await Promise.all(responses.map((res) => res.json()));
      expect(responses.map((res) => res.status)).to.deep.equal(Array(10).fill(201));
      expect(new Set(bodies.map((body) => JSON.stringify(body))).size).to.equal(1);
    });

    it('answers a retryable 409 IDEMPOTENCY_IN_PROGRESS when the first request outlasts the wait', async () => {
      await app.close();
      counting = createCountingRoutes();
      app = await startTestApp({ routes: counting.routes, redis, idempotency: { waitMs: 100 } });
      const slow = hold('k-slow', { slot: 's', delayMs: 800 });
      await sleep(100);
      const early = await hold('k-slow', { slot: 's', delayMs: 800 });
      expect(early.status).to.equal(409);
      expect(await early.json()).to.deep.nested.include({
        'error.code': 'IDEMPOTENCY_IN_PROGRESS',
        'error.retryable': true,
      });
      expect((await slow).status).to.equal(201);
      expect(counting.executions).to.have.length(1);
    });

    it('demands a sane key on routes that require one', async () => {
      const strict = `${app.baseUrl}/api/v1/test/strict`;
      const missing = await postJson(strict, { a: 1 }, bearer(app.adminKey), 'PUT');
      expect(missing.status).to.equal(400);
      expect(await missing.json()).to.deep.nested.include({
        'error.code': 'IDEMPOTENCY_KEY_REQUIRED',
      });
      const bad = await postJson(
        strict,
        { a: 1 },
        { ...bearer(app.adminKey), 'idempotency-key': 'x'.repeat(300) },
        'PUT',
      );
      expect(bad.status).to.equal(400);
      expect(
        (
          await postJson(
            strict,
            { a: 1 },
            { ...bearer(app.adminKey), 'idempotency-key': 'ok' },
            'PUT',
          )
        ).status,
      ).to.equal(200);
    });

    it('purges expired keys', async () => {
      await hold('k-old', { slot: 'a' });
      await app.db.pool.query(
        `UPDATE idempotency_keys SET expires_at = now() - interval '1 second'`,
      );
      expect(await app.purgeExpiredKeys()).to.equal(1);
      const { rows } = await app.db.pool.query('SELECT 1 FROM idempotency_keys');
      expect(rows).to.have.length(0);
    });
  });
}
