import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const TEST_NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const NATS_SERVER_BINARY = '/usr/sbin/nats-server';
export const hasNatsServerBinary = (): boolean => existsSync(NATS_SERVER_BINARY);

export interface StreamMessage {
  readonly seq: number;
  readonly subject: string;
  readonly msgId: string;
  readonly ce: Readonly<Record<string, string>>;
  readonly event: { id: string; type: string; reservationId: string; reservationVersion: number };
}

/** Every message of `stream`, in stream order (direct reads by sequence; for small test streams). */
export const readStreamMessages = async (
  nc: NatsConnection,
  stream: string,
): Promise<StreamMessage[]> => {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const messages: StreamMessage[] = [];
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages > 0;
    seq++
  ) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (!message) continue;
    const ce: Record<string, string> = {};
    for (const key of ['ce-specversion', 'ce-id', 'ce-source', 'ce-type', 'ce-time', 'ce-subject'])
      ce[key] = message.header.get(key);
    messages.push({
      seq,
      subject: message.subject,
      msgId: message.header.get('Nats-Msg-Id'),
      ce,
      event: message.json(),
    });
  }
  return messages;
};

export const deleteStreamQuietly = async (url: string, stream: string): Promise<void> => {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
};

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** A nats-server with JetStream of our own (so it can be stopped), on `port`, storing in `dir`. */
export const startOwnNatsServer = async (port: number, dir: string): Promise<ChildProcess> => {
  const child = spawn(
    NATS_SERVER_BINARY,
    ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir],
    {
      stdio: 'ignore',
    },
  );
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
};

export const stopNatsServer = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
};
