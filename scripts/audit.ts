import { parseArgs } from 'node:util';
import { domainEventCodec } from '../commands/shared/eventCodec.ts';
import { replayProjection } from '../infra/audit/replay.ts';
import { parseAsOf, stateAsOf } from '../infra/audit/stateAsOf.ts';
import { findPostgresProjection, POSTGRES_PROJECTIONS } from '../projections/catalog.ts';
import { loadConfig } from '../infra/config/config.ts';
import { openDatabase } from '../infra/database.ts';
import { getPostgresEventStore } from '../infra/eventStore/postgres/postgresEventStore.ts';
import { verifyLog, verifyStream } from '../infra/eventStore/postgres/verify.ts';
import { createLogger } from '../infra/observability/logger.ts';
import { runCli } from './runCli.ts';

const USAGE = `Usage: booking-ledger audit verify [<stream>]        walk the hash chain; names the first broken event
       booking-ledger audit history <stream>         every event of a stream, oldest first (JSON lines)
       booking-ledger audit state <stream> [--as-of <revision|ISO instant>]
       booking-ledger audit replay <projection>      rebuild in a scratch schema, diff row by row with the live one
Reads DATABASE_URL and DATABASE_SCHEMA like the server.`;

const print = (value: unknown): void => {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
  );
};

await runCli(async () => {
  const { positionals, values } = parseArgs({
    options: { 'as-of': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  const [command, stream] = positionals;
  if (values.help === true || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const needsStream = command === 'history' || command === 'state' || command === 'replay';
  if (
    !['verify', 'history', 'state', 'replay'].includes(command ?? '') ||
    (needsStream && !stream)
  ) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const asOf = parseAsOf(values['as-of']);
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  const store = getPostgresEventStore(database.pool, {
    schema: database.schema,
    connectionString: database.connectionString,
  });
  let failed = false;
  try {
    if (command === 'verify') {
      const result = stream
        ? await verifyStream(database.pool, stream)
        : await verifyLog(database.pool);
      print(result);
      failed = !result.ok;
    } else if (command === 'replay' && stream) {
      const projection = findPostgresProjection(stream);
      if (!projection) {
        process.stderr.write(
          `Unknown projection "${stream}"; one of ${POSTGRES_PROJECTIONS.map((p) => p.name).join(', ')}.\n`,
        );
        process.exit(2);
      }
      const result = await replayProjection(database.pool, database.schema, projection);
      print(result);
      failed = !result.equal;
    } else if (command === 'history' && stream) {
      for (const event of await store.readStream(stream)) print(event);
    } else if (stream) {
      print(await stateAsOf(store, domainEventCodec, stream, asOf));
    }
  } finally {
    await database.close();
  }
  // An explicit code: a broken chain must fail scripts that run the audit.
  process.exit(failed ? 1 : 0);
});
