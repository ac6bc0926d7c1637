import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { createMailer, createOutboxSms, dedupIdOf } from './mailer.ts';

const CLI = fileURLToPath(new URL('../../scripts/cli.ts', import.meta.url));

describe('the .eml outbox (no SMTP_URL) and `booking-ledger notifications list`', function () {
  this.timeout(30_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outbox-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one .eml per dedup key (a resend overwrites) and the CLI lists it', async () => {
    const mailer = createMailer({ outboxDir: dir, from: { name: 'bl', email: 'b@ledger.test' } });
    const message = {
      to: { name: 'דנה', address: 'dana@guest.test' },
      subject: 'ההזמנה אושרה: Sea View',
      text: 'שלום',
      html: '<html lang="he" dir="rtl"><body>שלום</body></html>',
      language: 'he',
      invite: { method: 'REQUEST' as const, ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' },
    };
    await mailer.send(message, 'confirmation:e1:guest');
    await mailer.send(message, 'confirmation:e1:guest');
    await createOutboxSms(dir).send({ to: '+972500000000', text: 'hi' }, 'reminder:r1:guest');
    const files = (await readdir(dir)).sort();
    expect(files).to.deep.equal(
      [
        `${dedupIdOf('confirmation:e1:guest')}.eml`,
        `${dedupIdOf('reminder:r1:guest')}.sms.txt`,
      ].sort(),
    );
    const parsed = await simpleParser(
      await readFile(join(dir, `${dedupIdOf('confirmation:e1:guest')}.eml`)),
    );
    expect(parsed.subject).to.equal(message.subject);
    expect(parsed.headers.get('x-booking-ledger-dedup')).to.equal(
      dedupIdOf('confirmation:e1:guest'),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', CLI, 'notifications', 'list'],
      { env: { ...process.env, NOTIFY_OUTBOX_DIR: dir } },
    );
    const lines = stdout.trim().split('\n');
    expect(lines).to.have.length(2);
    expect(stdout).to.contain('ההזמנה אושרה: Sea View');
    expect(stdout).to.contain('dana@guest.test');
    expect(stdout).to.contain('+972500000000');
  });
});
