import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  readonly raw: string;
  readonly parsed: ParsedMail;
  /** The X-Booking-Ledger-Dedup header as the server received it. */
  readonly dedup: string | undefined;
  readonly to: readonly string[];
}

export interface SmtpTestServer {
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Decides each RCPT TO: throw-free; return an error message to refuse (a 550). */
  refuse: ((address: string) => string | undefined) | undefined;
  waitFor(
    what: string,
    predicate: (mail: ReceivedMail) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** A real SMTP server on an ephemeral port (npm smtp-server) that keeps every message. */
export const startSmtpTestServer = async (): Promise<SmtpTestServer> => {
  const received: ReceivedMail[] = [];
  const state: { refuse: SmtpTestServer['refuse'] } = { refuse: undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = state.refuse?.(address.address);
      if (refusal) {
        const error = Object.assign(new Error(refusal), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            const header = parsed.headers.get('x-booking-ledger-dedup');
            received.push({
              raw,
              parsed,
              dedup: typeof header === 'string' ? header : undefined,
              to: session.envelope.rcptTo.map((r) => r.address),
            });
            callback();
          })
          .catch((error: unknown) => callback(error as Error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get refuse() {
      return state.refuse;
    },
    set refuse(value) {
      state.refuse = value;
    },
    waitFor: async (what, predicate, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`Timed out waiting for mail: ${what}.`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The calendar part of a received mail (nodemailer's icalEvent alternative). */
export const calendarOf = (mail: ReceivedMail): string | undefined => {
  const alternative = (mail.parsed.attachments ?? []).find((a) =>
    a.contentType.startsWith('text/calendar'),
  );
  if (alternative) return alternative.content.toString('utf8');
  const match = /Content-Type: text\/calendar[\s\S]*?\r\n\r\n([\s\S]*?)\r\n--/i.exec(mail.raw);
  return match?.[1];
};
