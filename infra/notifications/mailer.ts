import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type {
  Mailer,
  OutgoingEmail,
  OutgoingSms,
  SmsSender,
} from '../../commands/notifying/ports.ts';

/** The header carrying the de-duplication key: a receiver drops a second copy by it. */
export const DEDUP_HEADER = 'X-Booking-Ledger-Dedup';

/** Deterministic per dedup key: every attempt of one message has the same Message-ID. */
export const dedupIdOf = (dedupKey: string): string =>
  createHash('sha256').update(dedupKey).digest('hex').slice(0, 40);
export const messageIdOf = (dedupKey: string): string =>
  `<${dedupIdOf(dedupKey)}@booking-ledger.notifications>`;

export interface MailerOptions {
  /** SMTP (smtp:// or smtps://); absent: .eml files under `outboxDir`. */
  readonly smtpUrl?: string | undefined;
  readonly outboxDir: string;
  readonly from: { readonly name: string; readonly email: string };
  /** SMTP connection, greeting and socket timeouts, ms. Default 10 000. */
  readonly timeoutMs?: number;
}

const mailOf = (options: MailerOptions, message: OutgoingEmail, dedupKey: string) => ({
  from: { name: options.from.name, address: options.from.email },
  to: { name: message.to.name, address: message.to.address },
  subject: message.subject,
  text: message.text,
  html: message.html,
  messageId: messageIdOf(dedupKey),
  headers: { [DEDUP_HEADER]: dedupIdOf(dedupKey), 'Content-Language': message.language },
  ...(message.invite
    ? {
        icalEvent: {
          method: message.invite.method,
          filename: message.invite.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
          content: message.invite.ics,
        },
      }
    : {}),
});

/** Writes a file atomically (temp file, then rename), so a listing never shows half a message. */
const writeAtomically = async (dir: string, name: string, content: Buffer | string) => {
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${name}.tmp`);
  await writeFile(temp, content);
  await rename(temp, join(dir, name));
};

/**
 * Email delivery with nodemailer: over SMTP to SMTP_URL, or, on the embedded
 * default, as `.eml` files in the outbox directory (one per dedup key, so a
 * resend overwrites rather than duplicates).
 */
export const createMailer = (options: MailerOptions): Mailer => {
  const timeout = options.timeoutMs ?? 10_000;
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport({
      url: options.smtpUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 2,
    });
    return {
      send: async (message, dedupKey) => {
        const info = await transport.sendMail(mailOf(options, message, dedupKey));
        if (info.rejected.length > 0)
          throw new Error(`The SMTP server rejected the recipient (${info.response}).`);
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });
  return {
    send: async (message, dedupKey) => {
      const info = await transport.sendMail(mailOf(options, message, dedupKey));
      await writeAtomically(
        options.outboxDir,
        `${dedupIdOf(dedupKey)}.eml`,
        info.message as Buffer,
      );
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
};

/** The SMS port's adapter: no provider here; each message is a file in the outbox. */
export const createOutboxSms = (outboxDir: string): SmsSender => ({
  send: async (message: OutgoingSms, dedupKey: string) => {
    const id = dedupIdOf(dedupKey);
    await writeAtomically(
      outboxDir,
      `${id}.sms.txt`,
      `Date: ${new Date().toUTCString()}\nTo: ${message.to}\nX-Booking-Ledger-Dedup: ${id}\n\n${message.text}\n`,
    );
    return { messageId: `sms-${id}` };
  },
});

export interface OutboxEntry {
  readonly file: string;
  readonly date: string;
  readonly to: string;
  readonly subject: string;
}

const headerOf = (raw: string, name: string): string => {
  const match = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw);
  return (match?.[1] ?? '').replace(/\r?\n[ \t]+/g, ' ').trim();
};

/** Decodes RFC 2047 encoded words (=?UTF-8?B?…?= / ?Q?) in a header value. */
const decodeWords = (value: string): string =>
  value.replace(
    /=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g,
    (_all, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) =>
                String.fromCharCode(parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
  );

/** The outbox's messages (newest first, at most `limit`): what `booking-ledger notifications list` prints. */
export const listOutbox = async (outboxDir: string, limit = 100): Promise<OutboxEntry[]> => {
  let names: string[];
  try {
    names = await readdir(outboxDir);
  } catch {
    return [];
  }
  const entries: OutboxEntry[] = [];
  for (const file of names.filter((n) => n.endsWith('.eml') || n.endsWith('.sms.txt'))) {
    const raw = (await readFile(join(outboxDir, file), 'utf8')).split(/\r?\n\r?\n/)[0] ?? '';
    entries.push({
      file,
      date: headerOf(raw, 'Date'),
      to: decodeWords(headerOf(raw, 'To')),
      subject: file.endsWith('.sms.txt') ? '(SMS)' : decodeWords(headerOf(raw, 'Subject')),
    });
  }
  entries.sort((a, b) => Date.parse(b.date || '0') - Date.parse(a.date || '0'));
  return entries.slice(0, limit);
};
