import { parseArgs } from 'node:util';
import { loadConfig } from '../infra/config/config.ts';
import { startServer } from '../infra/main.ts';
import { createLogger } from '../infra/observability/logger.ts';
import { runCli } from './runCli.ts';

await runCli(async () => {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(
      'Usage: booking-ledger serve [--role api,projector,saga,scheduler]\n' +
        'Serves with the environment of README.md "Configuration" (default: every role).\n',
    );
    return;
  }
  const config = loadConfig({ ...process.env, ...(values.role ? { ROLES: values.role } : {}) });
  const logger = createLogger(config.LOG_LEVEL);
  const server = await startServer(config, logger);
  if (server.url) {
    process.stdout.write(
      [
        'booking-ledger is up:',
        `  api      ${server.url}/api/v1`,
        `  openapi  ${server.url}/api/v1/openapi.json`,
        `  health   ${server.url}/health  ready ${server.url}/ready  metrics ${server.url}/metrics`,
        ...(server.adminApiKeyFile
          ? [`  admin key (Authorization: Bearer …) is in ${server.adminApiKeyFile}`]
          : []),
        ...(server.seededResources.length > 0
          ? [`  demo resources: ${server.seededResources.join(', ')}`]
          : []),
        '',
      ].join('\n'),
    );
  }
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
});
