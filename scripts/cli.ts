/**
 * `booking-ledger <command> …`: one entry point for operators and auditors.
 * Each command is its own script; this only dispatches.
 */
const COMMANDS: Readonly<Record<string, { script: string; summary: string }>> = {
  serve: {
    script: './serve.ts',
    summary: 'run the service (--role api,projector,saga,scheduler,webhooks)',
  },
  migrate: { script: './migrate.ts', summary: 'apply pending SQL migrations' },
  projections: { script: './projections.ts', summary: 'status | rebuild <name>' },
  audit: { script: './audit.ts', summary: 'verify [<stream>] | history <stream> | state <stream>' },
  payments: { script: './payments.ts', summary: 'reconcile [<reservationId> …]' },
  notifications: { script: './notifications.ts', summary: 'list [--limit N] (the .eml outbox)' },
};

const HELP = new Set(['help', '--help', '-h']);
const usage = (): string =>
  [
    'Usage: booking-ledger <command> [--help]',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`),
    'Reads the same environment as the server (DATABASE_URL, or the embedded PostgreSQL in',
    'EMBEDDED_PG_DIR: while `make run` serves it, commands join that running database).',
    '',
  ].join('\n');

const [command] = process.argv.splice(2, 1);
if (command === undefined || HELP.has(command)) {
  process.stdout.write(usage());
  process.exit(0);
}
const entry = COMMANDS[command];
if (!entry) {
  process.stderr.write(`Unknown command "${command}".\n${usage()}`);
  process.exit(2);
}
await import(entry.script);
