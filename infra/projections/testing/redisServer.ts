import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free TCP port on 127.0.0.1 (asks the OS, then releases it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/**
 * A redis-server of the test's own, as a child process it can stop, kill and
 * start again on the same port. With `persistence: 'aof'` (default) it appends
 * every write with fsync always, so a SIGKILL loses nothing and a restart shows
 * whether a projection resumes from the checkpoint it kept in Redis; with
 * `'none'` it comes back empty, the way a cache node that lost its memory does.
 */
export const createRedisServer = async (
  options: { readonly persistence?: 'aof' | 'none' } = {},
) => {
  const port = await freePort();
  const persistence =
    options.persistence === 'none'
      ? ['--appendonly', 'no']
      : ['--appendonly', 'yes', '--appendfsync', 'always'];
  const dir = mkdtempSync(join(tmpdir(), 'bl-redis-'));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...persistence,
        '--dir',
        dir,
        '--daemonize',
        'no',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    probe.disconnect();
    throw new Error(`redis-server did not start on port ${port}.`);
  };

  const signal = async (name: 'SIGKILL' | 'SIGTERM'): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(name);
    });
  };
  const kill = () => signal('SIGKILL');

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    kill,
    /** A clean shutdown (SIGTERM). */
    stop: () => signal('SIGTERM'),
    dispose: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** A client that fails fast while Redis is down and reconnects every 100 ms. */
export const createFastFailRedis = (port: number): Redis => {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 100,
  });
  // Down is a state these tests create on purpose; commands report it.
  redis.on('error', () => undefined);
  return redis;
};
