import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getWriteRoutes } from '../commands/routes.ts';
import { domainEventCodec } from '../commands/shared/eventCodec.ts';
import type { WriteSide } from '../commands/shared/writeSide.ts';
import { getReadRoutes } from '../queries/routes.ts';
import { getAuthRoutes } from '../infra/auth/authRoutes.ts';
import { createAuthService } from '../infra/auth/authService.ts';
import { createPaymentSagaDeps, getPaymentRoutes } from '../infra/composition/payments.ts';
import { createNotificationParts } from '../infra/composition/notifications.ts';
import { cryptoIds, systemClock } from '../infra/composition/systemPorts.ts';
import { loadConfig } from '../infra/config/config.ts';
import { getInMemoryEventStore } from '../infra/eventStore/memory/inMemoryEventStore.ts';
import { API_INFO, createOpenApiDocument } from '../infra/http/openapi.ts';
import { createLogger } from '../infra/observability/logger.ts';
import { createPool } from '../infra/postgres/pool.ts';
import { createReadSide } from '../infra/readSide/readSide.ts';
import { getOperatorRoutes } from '../infra/console/operatorRoutes.ts';
import { createStallStore } from '../infra/subscribers/stalls.ts';
import { runCli } from './runCli.ts';

/**
 * Writes the OpenAPI document the api role serves, without a server or a
 * database: the routes are built over a pool that never connects (defining a
 * route runs no query) and an in-memory log. `make check` lints its output.
 * Usage: tsx scripts/openapi.ts [<file>] (default: stdout).
 */
await runCli(async () => {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
  });
  const logger = createLogger('silent');
  const pool = createPool({
    connectionString: config.DATABASE_URL ?? '',
    schema: 'public',
    max: 1,
  });
  const writeSide: WriteSide = {
    store: getInMemoryEventStore(),
    codec: domainEventCodec,
    ids: cryptoIds,
    clock: systemClock,
  };
  const readSide = createReadSide({
    pool,
    redis: undefined,
    store: writeSide.store,
    clock: systemClock,
  });
  const routes = [
    ...getAuthRoutes(createAuthService({ pool, jwtSecret: Buffer.alloc(32) })),
    ...getWriteRoutes(writeSide),
    ...getReadRoutes(readSide.deps),
    ...getPaymentRoutes(createPaymentSagaDeps({ config, pool, writeSide, logger }), config, pool),
    ...createNotificationParts(config, pool, logger).routes(writeSide),
    ...getOperatorRoutes({
      db: pool,
      projections: { status: () => Promise.resolve([]) },
      stalls: createStallStore(pool),
      writeSide,
    }),
  ];
  const json = `${JSON.stringify(createOpenApiDocument(routes, API_INFO), null, 2)}\n`;
  const [file] = process.argv.slice(2);
  if (file === undefined) process.stdout.write(json);
  else {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, json);
  }
  await pool.end();
});
