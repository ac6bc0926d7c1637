import { domainEventCodec } from '../commands/shared/eventCodec.ts';
import {
  createPaymentReconciliation,
  createPaymentSagaDeps,
} from '../infra/composition/payments.ts';
import { cryptoIds, systemClock } from '../infra/composition/systemPorts.ts';
import { loadConfig } from '../infra/config/config.ts';
import { openDatabase } from '../infra/database.ts';
import { getPostgresEventStore } from '../infra/eventStore/postgres/postgresEventStore.ts';
import { createLogger } from '../infra/observability/logger.ts';
import { runCli } from './runCli.ts';

const USAGE = `Usage: booking-ledger payments reconcile [<reservationId> …]
Compares the ledger and payment sagas with the payment provider (the due bookings,
or the ones named), repairs what is safe, prints one JSON line per repair or
difference and a summary. Exit 1 when differences remain. Reads the server's
environment (DATABASE_URL, DATABASE_SCHEMA, STRIPE_SECRET_KEY).`;

await runCli(async () => {
  const [command, ...ids] = process.argv.slice(2);
  if (command !== 'reconcile' || ids.some((id) => !/^[A-Za-z0-9_-]{1,128}$/.test(id))) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  try {
    const store = getPostgresEventStore(database.pool, {
      schema: database.schema,
      connectionString: database.connectionString,
    });
    const saga = createPaymentSagaDeps({
      config,
      pool: database.pool,
      logger,
      writeSide: { store, codec: domainEventCodec, ids: cryptoIds, clock: systemClock },
    });
    const reconciliation = createPaymentReconciliation({
      saga,
      pool: database.pool,
      schema: database.schema,
      logger,
    });
    const { run, findings } = await reconciliation.runOnce(
      'cli',
      ids.length === 0 ? undefined : ids,
    );
    for (const finding of findings) process.stdout.write(`${JSON.stringify(finding)}\n`);
    process.stdout.write(
      `reconciliation run ${run.runId}: ${run.checked} bookings checked, ${run.repaired} repaired, ${run.findings} differences left\n`,
    );
    if (run.findings > 0) process.exitCode = 1;
  } finally {
    await database.close();
  }
});
