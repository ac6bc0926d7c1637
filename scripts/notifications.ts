import { loadConfig } from '../infra/config/config.ts';
import { listOutbox } from '../infra/notifications/mailer.ts';
import { runCli } from './runCli.ts';

const USAGE = `Usage: booking-ledger notifications list [--limit N]
Lists the messages written to the outbox (NOTIFY_OUTBOX_DIR, default .data/outbox):
what the notifier sends when SMTP_URL is unset, and every SMS. Newest first, one
tab-separated line each: date, recipient, subject, file.`;

await runCli(async () => {
  const [command, flag, value] = process.argv.slice(2);
  const limit = flag === '--limit' ? Number(value) : 100;
  if (
    command !== 'list' ||
    (flag !== undefined && flag !== '--limit') ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > 10_000
  ) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = loadConfig(process.env);
  const entries = await listOutbox(config.NOTIFY_OUTBOX_DIR, limit);
  for (const entry of entries)
    process.stdout.write(`${entry.date}\t${entry.to}\t${entry.subject}\t${entry.file}\n`);
  process.stderr.write(`${entries.length} message(s) in ${config.NOTIFY_OUTBOX_DIR}\n`);
});
