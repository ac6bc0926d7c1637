import { loadConfig } from '../infra/config/config.ts';
import { startServer } from '../infra/main.ts';
import { createLogger } from '../infra/observability/logger.ts';
import { runCli } from './runCli.ts';

await runCli(async () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  const server = await startServer(config, logger);
  process.stdout.write(
    `booking-ledger is up:\n  health  ${server.url}/health\n  ready   ${server.url}/ready\n  metrics ${server.url}/metrics\n`,
  );
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
});
