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
};

const [command] = process.argv.splice(2, 1);
const entry = command === undefined ? undefined : COMMANDS[command];
if (!entry) {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  process.stderr.write(`Usage: booking-ledger <command>\n${lines.join('\n')}\n`);
  process.exit(command === undefined || command === 'help' ? 0 : 2);
}
await import(entry.script);
