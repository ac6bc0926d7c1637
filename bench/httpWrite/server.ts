import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { getWriteRoutes } from '../../commands/routes.ts';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import { testIds } from '../../commands/shared/testing/fixedIds.ts';
import { createResourceCache } from '../../commands/shared/resourceCache.ts';
import { createStreamLanes } from '../../commands/shared/streamLanes.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { getAuthRoutes } from '../../infra/auth/authRoutes.ts';
import { createAuthService } from '../../infra/auth/authService.ts';
import { ensureAdminApiKey } from '../../infra/auth/credentialStore.ts';
import { getPostgresEventStore } from '../../infra/eventStore/postgres/postgresEventStore.ts';
import { createHttpApp } from '../../infra/http/app.ts';
import { createReadinessCheck } from '../../infra/http/readiness.ts';
import { bearer, postJson } from '../../infra/http/testing.ts';
import { createIdempotency } from '../../infra/idempotency/idempotency.ts';
import { createTestDatabase } from '../../infra/postgres/testing.ts';
import { createUnlimitedRateLimiter } from '../../infra/rateLimit/rateLimiter.ts';

/**
 * The server side of bench/httpWrite.ts, in its own process so the load
 * generator does not share its event loop: the write app (every write route,
 * the PostgreSQL event store over a fresh schema, idempotency in PostgreSQL,
 * real clock, no Redis and no rate limiter, logs at warn) plus a bare
 * node:http server answering a fixed JSON body. Prints one JSON line with
 * the URLs and credentials once seeded; exits on `exit` or stdin EOF.
 */
const RESOURCES = Number(process.env['BENCH_WRITE_RESOURCES'] ?? 200);

const db = await createTestDatabase({ max: 20, prefix: 'benchw' });
const logger = pino({ level: 'warn' });
const store = getPostgresEventStore(db.pool, {
  schema: db.schema,
  connectionString: db.connectionString,
});
const writeSide: WriteSide = {
  store,
  codec: domainEventCodec,
  ids: testIds,
  clock: { now: () => new Date() },
  resourceCache: createResourceCache(),
  lanes: createStreamLanes(),
};
const auth = createAuthService({
  pool: db.pool,
  jwtSecret: randomBytes(32),
  passwordCost: { N: 1024, r: 8, p: 1 },
});
const adminKey = `admin-${randomBytes(24).toString('base64url')}`;
await ensureAdminApiKey(db.pool, adminKey);
const app = createHttpApp({
  logger,
  registry: new Registry(),
  routes: [...getAuthRoutes(auth), ...getWriteRoutes(writeSide)],
  auth,
  idempotency: createIdempotency({ pool: db.pool }),
  rateLimiter: createUnlimitedRateLimiter(),
  readiness: createReadinessCheck({ db: db.pool, redis: undefined }),
});
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const admin = bearer(adminKey);
const keyResponse = await postJson(
  `${url}/api/v1/admin/api-keys`,
  { role: 'partner', partnerId: 'bench-partner', label: 'bench' },
  admin,
);
const partner = ((await keyResponse.json()) as { apiKey: string }).apiKey;
for (let i = 0; i < RESOURCES; i++) {
  const response = await postJson(
    `${url}/api/v1/resources`,
    { resourceId: `bench-w-${i}`, ...sampleNightly({ capacity: 1000, horizonDays: 730 }) },
    admin,
  );
  if (response.status !== 201) throw new Error(`Seeding failed: ${await response.text()}`);
}

const fixed = Buffer.from(JSON.stringify({ status: 'ok', items: [1, 2, 3] }));
const bare = createServer((_req, res) => {
  res
    .writeHead(200, { 'content-type': 'application/json', 'content-length': fixed.length })
    .end(fixed);
});
bare.listen(0, '127.0.0.1');
await once(bare, 'listening');
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

process.stdout.write(`${JSON.stringify({ url, bareUrl, partner, resources: RESOURCES })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'exit') break;
}
server.closeAllConnections();
server.close();
bare.close();
await db.dispose();
process.exit(0);
