import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { defineRoute } from '../../commands/shared/route.ts';
import { bearer, postJson, startTestApp, TEST_REDIS_URL, type TestApp } from '../http/testing.ts';
import { redisKeys } from '../redisKeys.ts';
import { createRedisRateLimiter } from './rateLimiter.ts';

const ping = defineRoute({
  method: 'post',
  path: '/api/v1/test/ping',
  summary: 'Answers pong.',
  auth: ['admin', 'partner'],
  body: z.object({}),
  responses: { 200: { description: 'pong' } },
  idempotent: true,
  handler: () => Promise.resolve({ status: 200, body: { pong: true } }),
});

describe('rate limits (int)', () => {
  describe('over HTTP with Redis up', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({
        routes: [ping],
        perPrincipal: { limit: 3, windowSeconds: 60 },
        perIp: { limit: 6, windowSeconds: 60 },
      });
    });
    after(() => app.close());

    it('counts per principal with X-RateLimit-* headers, then 429 with Retry-After', async () => {
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await postJson(`${app.baseUrl}/api/v1/test/ping`, {}, bearer(app.adminKey));
        expect(res.status).to.equal(200);
        expect(res.headers.get('x-ratelimit-limit')).to.equal('3');
        expect(Number(res.headers.get('x-ratelimit-reset'))).to.be.within(1, 60);
        remaining.push(res.headers.get('x-ratelimit-remaining'));
      }
      expect(remaining).to.deep.equal(['2', '1', '0']);
      const refused = await postJson(`${app.baseUrl}/api/v1/test/ping`, {}, bearer(app.adminKey));
      expect(refused.status).to.equal(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).to.be.within(1, 120);
      expect(await refused.json()).to.deep.nested.include({
        'error.code': 'RATE_LIMITED',
        'error.retryable': true,
        'error.retryAfter': retryAfter,
      });
    });

    it('limits per IP in front of authentication', async () => {
      // Four requests so far from this IP; two more pass, then even bad credentials get 429.
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (
            await postJson(
              `${app.baseUrl}/api/v1/test/ping`,
              {},
              bearer('bl_not_a_key_000000000000'),
            )
          ).status,
        );
      }
      expect(statuses).to.deep.equal([401, 401, 429]);
    });
  });

  describe('the limiter itself', () => {
    let redis: Redis;
    before(() => {
      redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    });
    after(() => redis.disconnect());
    const logger = pino({ level: 'silent' });

    it('acquire() admits exactly `limit` of many concurrent callers', async () => {
      const limiter = createRedisRateLimiter({
        redis,
        logger,
        registry: new Registry(),
        keys: redisKeys(`test:${randomBytes(6).toString('hex')}:`),
      });
      const decisions = await Promise.all(
        Array.from({ length: 25 }, () => limiter.acquire('holds:partner-1', 10, 60)),
      );
      expect(decisions.filter((d) => d?.allowed)).to.have.length(10);
      expect((await limiter.acquire('holds:partner-2', 10, 60))?.allowed).to.equal(true);
    });

    it('slides: the previous window still counts, weighted by what is left of it', async () => {
      const keys = redisKeys(`test:${randomBytes(6).toString('hex')}:`);
      const limiter = createRedisRateLimiter({ redis, logger, registry: new Registry(), keys });
      const [seconds] = await redis.time();
      const windowMs = 60_000;
      const index = Math.floor((Number(seconds) * 1000) / windowMs);
      // Pretend the previous window used the whole limit: little of it may have slid out yet.
      await redis.hset(keys.rateLimit('custom', 'k'), { w: index - 1, c: 10, p: 0 });
      const elapsedShare = ((Number(seconds) * 1000) % windowMs) / windowMs;
      const expectedAllowed = Math.max(0, Math.floor(10 - 10 * (1 - elapsedShare) - 0.0001));
      let allowed = 0;
      for (let i = 0; i < 12; i++) if ((await limiter.acquire('k', 10, 60))?.allowed) allowed++;
      expect(allowed).to.be.within(Math.max(0, expectedAllowed - 1), expectedAllowed + 1);
      expect(allowed).to.be.lessThan(10);
    });
  });

  describe('with Redis down', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({
        routes: [ping],
        redis: 'down',
        perPrincipal: { limit: 1, windowSeconds: 60 },
      });
    });
    after(() => app.close());

    it('fails open: requests pass, a warning is logged and a metric counts it', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await postJson(`${app.baseUrl}/api/v1/test/ping`, {}, bearer(app.adminKey));
        expect(res.status).to.equal(200);
        expect(res.headers.get('x-ratelimit-limit')).to.equal(null);
      }
      expect(app.logs.some((line) => line.includes('fail open'))).to.equal(true);
      const metrics = await app.registry.metrics();
      expect(metrics).to.match(/rate_limit_fail_open_total \d+/);
      expect(Number(/rate_limit_fail_open_total (\d+)/.exec(metrics)?.[1])).to.be.at.least(6);
    });

    it('stays ready (Redis reported down) and replays idempotent requests from Postgres', async () => {
      const res = await fetch(`${app.baseUrl}/ready`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.nested.include({
        'checks.redis.ok': false,
        'checks.postgres.ok': true,
      });
    });
  });
});
