import { loadConfig } from '../infra/config/config.ts';
import { openDatabase } from '../infra/database.ts';
import { createLogger } from '../infra/observability/logger.ts';
import { runCli } from './runCli.ts';

await runCli(async () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  logger.info({ schema: database.schema, embedded: database.embedded }, 'database is migrated');
  await database.close();
});
