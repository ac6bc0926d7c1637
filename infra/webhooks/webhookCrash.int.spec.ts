import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { getPostgresWebhookEndpoints } from './endpointStore.ts';
import { appendLifecycle } from './testing/lifecycle.ts';
import { startReceiver, type Receiver } from './testing/receiver.ts';

const CHILD = fileURLToPath(new URL('./testing/webhookChild.ts', import.meta.url));
const PER_LIFECYCLE = 19;

describe('the webhooks role killed with SIGKILL between a delivery and its record', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let hook: Receiver;
  const children: ChildProcess[] = [];
  let current: ChildProcess | undefined;
  let killAt = 5;

  const startChild = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        WEBHOOK_DATABASE_URL: db.connectionString,
        WEBHOOK_SCHEMA: db.schema,
        WEBHOOK_ALLOWED_HOSTS: hook.hostPort,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    current = child;
    return child;
  };

  before(async () => {
    db = await createTestDatabase({ max: 3, prefix: 'whcrash' });
    // The receiver handles the 6th request, then the role dies before it hears the answer.
    hook = await startReceiver(async (_request, index) => {
      if (index === killAt && current) {
        const child = current;
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
      return 200;
    });
  });
  after(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await hook.close();
    await db.dispose();
  });

  it('redelivers at most once, with the same Webhook-Id, and loses nothing', async () => {
    const endpoints = getPostgresWebhookEndpoints(db.pool);
    await endpoints.create({
      owner: { role: 'partner', id: 'p-1' },
      url: hook.url,
      events: ['*'],
      description: null,
      reservationId: null,
    });
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const reservationId = `r-${randomUUID().slice(0, 8)}`;
    await appendLifecycle(store, { reservationId, partnerId: 'p-1', vendorId: 'v-1' });
    const first = startChild();
    const [, signal] = (await once(first, 'exit')) as [number | null, string | null];
    expect(signal).to.equal('SIGKILL');
    killAt = -1;
    startChild();
    await hook.waitFor(
      (accepted) => new Set(accepted.map((r) => r.id)).size >= PER_LIFECYCLE,
      60_000,
    );
    const counts = new Map<string, number>();
    for (const request of hook.requests) counts.set(request.id, (counts.get(request.id) ?? 0) + 1);
    const duplicated = [...counts].filter(([, n]) => n > 1);
    expect(counts.size).to.equal(PER_LIFECYCLE);
    expect(duplicated).to.have.length(1);
    expect(duplicated[0]?.[1]).to.equal(2);
    expect(duplicated[0]?.[0]).to.equal(hook.requests[5]?.id);
    const versions = [...counts.keys()].map(
      (id) => hook.requests.find((r) => r.id === id)?.event.reservationVersion ?? 0,
    );
    expect(versions).to.deep.equal([...versions].sort((x, y) => x - y));
  });
});
