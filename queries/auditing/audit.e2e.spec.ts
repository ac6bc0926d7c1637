import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import { historyTo } from '../../domain/reservation/testing/fixtures.ts';
import { signerFromPem } from '../../infra/audit/signingKey.ts';
import { getAnalystRoutes } from '../../infra/composition/analysts.ts';
import { getPostgresEventStore } from '../../infra/eventStore/postgres/postgresEventStore.ts';
import { bearer, postJson, startTestApp, type TestApp } from '../../infra/http/testing.ts';

const run = promisify(execFile);
const VERIFIER = new URL('../../scripts/verify-audit-export.mjs', import.meta.url).pathname;

interface AuditEventBody {
  revision: number;
  schemaVersion: number;
  type: string;
  hash: string;
  previousHash: string;
  recordedAt: string;
}

/**
 * The audit API over a reservation whose first event is stored at schema
 * version 1 (read through the upcaster), appended one event per transaction
 * so every event has its own instant.
 */
describe('audit API (auditors and admins)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let store: EventStore;
  let auditor: Record<string, string>;
  const stream = 'reservation-audit-1';

  const get = (path: string, headers = auditor) => fetch(`${app.baseUrl}${path}`, { headers });
  const json = async <T>(path: string, status = 200): Promise<T> => {
    const response = await get(path);
    expect(response.status, path).to.equal(status);
    return (await response.json()) as T;
  };
  const key = async (role: string, extra: Record<string, string> = {}) => {
    const response = await postJson(
      `${app.baseUrl}/api/v1/admin/api-keys`,
      { role, label: role, ...extra },
      bearer(app.adminKey),
    );
    return bearer(((await response.json()) as { apiKey: string }).apiKey);
  };
  const events = () =>
    json<{ events: AuditEventBody[] }>(`/api/v1/audit/streams/${stream}/events?limit=500`);

  before(async () => {
    const pem = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    app = await startTestApp({
      routes: (db) => {
        store = getPostgresEventStore(db.pool, {
          schema: db.schema,
          connectionString: db.connectionString,
        });
        return getAnalystRoutes({
          pool: db.pool,
          schema: db.schema,
          store,
          signer: signerFromPem(pem),
        });
      },
    });
    auditor = await key('auditor');
    const history = historyTo('CONFIRMED').events;
    let last = 0;
    for (const [revision, event] of history.entries()) {
      // Distinct instants: wait for the clock to move past the previous event's.
      while (Date.now() <= last + 2) await new Promise((resolve) => setImmediate(resolve));
      const data: Record<string, unknown> = { ...event.data, reservationId: 'audit-1' };
      if (event.type === 'ReservationRequested') {
        // The v1 shape: no tax status; the registry's upcaster adds it on read.
        const guest = data['guest'] as Record<string, unknown>;
        data['guest'] = { guestId: guest['guestId'], persons: guest['persons'] };
        delete data['promoCode'];
      }
      await store.append([
        {
          stream,
          expectedRevision: revision === 0 ? 'no_stream' : revision - 1,
          events: [
            {
              eventId: randomUUID(),
              type: event.type,
              schemaVersion: 1,
              data,
            },
          ],
        },
      ]);
      last = Date.now();
    }
  });
  after(async () => app?.close());

  it('pages a stream by revision, each event with its hash and the previous one', async () => {
    const first = await json<{ events: AuditEventBody[]; nextRevision: number | null }>(
      `/api/v1/audit/streams/${stream}/events?limit=2`,
    );
    expect(first.events.map((e) => e.revision)).to.deep.equal([0, 1]);
    expect(first.nextRevision).to.equal(2);
    expect(first.events[0]?.previousHash).to.equal('');
    expect(first.events[1]?.previousHash).to.equal(first.events[0]?.hash);
    const all = (await events()).events;
    expect(all.length).to.be.greaterThan(3);
    const rest = await json<{ events: AuditEventBody[]; nextRevision: number | null }>(
      `/api/v1/audit/streams/${stream}/events?fromRevision=2&limit=500`,
    );
    expect(rest.nextRevision).to.equal(null);
    expect(rest.events.map((e) => e.revision)).to.deep.equal(all.slice(2).map((e) => e.revision));
  });

  it('state as of instants between events equals the state at the revision before, through the upcaster', async () => {
    const all = (await events()).events;
    expect(all[0]?.schemaVersion).to.equal(1);
    const states: unknown[] = [];
    for (let revision = 0; revision < all.length; revision++) {
      const at = await json<{ state: unknown; revision: number }>(
        `/api/v1/audit/streams/${stream}/state?asOf=${revision}`,
      );
      expect(at.revision).to.equal(revision);
      states.push(at.state);
    }
    for (let i = 0; i + 1 < all.length; i++) {
      const a = Date.parse(all[i]?.recordedAt ?? '');
      const b = Date.parse(all[i + 1]?.recordedAt ?? '');
      const between = new Date(Math.floor((a + b) / 2)).toISOString();
      expect(
        between > (all[i]?.recordedAt ?? '') && between < (all[i + 1]?.recordedAt ?? ''),
      ).to.equal(true);
      const then = await json<{ state: unknown; revision: number; events: number }>(
        `/api/v1/audit/streams/${stream}/state?asOf=${encodeURIComponent(between)}`,
      );
      expect(then.revision, between).to.equal(i);
      expect(then.state, between).to.deep.equal(states[i]);
    }
    // The upcaster filled v2's tax status into the v1 request.
    expect(JSON.stringify(states[0])).to.include(
      '"taxStatus":{"citizenships":[],"israeliVisa":null}',
    );
    expect(states[1]).to.not.deep.equal(states[0]);
    const before = await json<{ events: number; revision: number | null }>(
      `/api/v1/audit/streams/${stream}/state?asOf=2000-01-01T00:00:00Z`,
    );
    expect(before).to.include({ events: 0, revision: null });
  });

  it('a signed export re-verifies with the standalone script; a changed byte does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'audit-export-'));
    try {
      const response = await get('/api/v1/audit/export?fromPosition=0&limit=10000');
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/^application\/x-ndjson/);
      const text = await response.text();
      const key = await json<{ publicKeyPem: string; keyId: string }>('/api/v1/audit/public-key');
      await writeFile(join(dir, 'export.jsonl'), text);
      await writeFile(join(dir, 'key.pem'), key.publicKeyPem);
      const { stdout } = await run('node', [
        VERIFIER,
        join(dir, 'export.jsonl'),
        join(dir, 'key.pem'),
      ]);
      expect(JSON.parse(stdout)).to.include({ ok: true, keyId: key.keyId });
      expect((JSON.parse(stdout) as { events: number }).events).to.equal(
        (await events()).events.length,
      );
      const altered = text.replace('"quantity":1', '"quantity":2');
      expect(altered).to.not.equal(text);
      await writeFile(join(dir, 'altered.jsonl'), altered);
      const refused = await run('node', [
        VERIFIER,
        join(dir, 'altered.jsonl'),
        join(dir, 'key.pem'),
      ]).then(
        () => undefined,
        (error: { code: number; stdout: string }) => error,
      );
      expect(refused?.code).to.equal(1);
      expect(refused?.stdout).to.include('bodySha256');
      const other = generateKeyPairSync('ed25519').publicKey.export({
        type: 'spki',
        format: 'pem',
      });
      await writeFile(join(dir, 'other.pem'), other);
      const wrongKey = await run('node', [
        VERIFIER,
        join(dir, 'export.jsonl'),
        join(dir, 'other.pem'),
      ]).then(
        () => undefined,
        (error: { code: number }) => error,
      );
      expect(wrongKey?.code).to.equal(1);
      expect(await readFile(join(dir, 'export.jsonl'), 'utf8')).to.equal(text);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad input with 4xx envelopes and other roles with 403', async () => {
    const cases: [string, number][] = [
      ['/api/v1/audit/streams/reservation-nope/events', 404],
      ['/api/v1/audit/streams/reservation-nope/state', 404],
      ['/api/v1/audit/streams/reservation-a%00b/events', 400],
      ['/api/v1/audit/streams/NoCategory/events', 400],
      [`/api/v1/audit/streams/${stream}/state?asOf=yesterday`, 400],
      [`/api/v1/audit/streams/${stream}/events?limit=100000`, 400],
      [`/api/v1/audit/streams/${stream}/events?fromRevision=-1`, 400],
      ['/api/v1/audit/export?limit=1000000', 400],
      ['/api/v1/audit/export?fromPosition=abc', 400],
      [`/api/v1/audit/verify/not-a-uuid`, 400],
      [`/api/v1/audit/verify/${randomUUID()}`, 404],
    ];
    for (const [path, status] of cases) {
      const response = await get(path);
      expect(response.status, path).to.equal(status);
      const body = (await response.json()) as { error?: { code: string } };
      expect(body.error?.code, path).to.be.a('string');
    }
    for (const [role, extra] of [
      ['analyst', {}],
      ['partner', { partnerId: 'p' }],
    ] as const) {
      expect(
        (await get(`/api/v1/audit/streams/${stream}/events`, await key(role, extra))).status,
      ).to.equal(403);
    }
    expect((await get(`/api/v1/audit/streams/${stream}/events`, {})).status).to.equal(401);
    expect(
      (await get(`/api/v1/audit/streams/${stream}/events`, bearer(app.adminKey))).status,
    ).to.equal(200);
  });

  it('verify is a job: progress and a result; a tampered event is named', async () => {
    const poll = async (jobId: string) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const job = await json<{
          status: string;
          checked: number;
          result: Record<string, unknown>;
        }>(`/api/v1/audit/verify/${jobId}`);
        if (job.status !== 'running' || Date.now() > deadline) return job;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const start = async (body: object) => {
      const response = await postJson(`${app.baseUrl}/api/v1/audit/verify`, body, auditor);
      expect(response.status).to.equal(202);
      return (await response.json()) as { jobId: string; status: string };
    };
    const total = (await events()).events.length;
    const whole = await poll((await start({})).jobId);
    expect(whole).to.deep.include({ status: 'succeeded', checked: total });
    expect(whole.result).to.deep.include({ ok: true, checked: total });
    await app.db.pool.query(
      `UPDATE events SET data = jsonb_set(data, '{quantity}', '5') WHERE stream_name = $1 AND stream_revision = 0`,
      [stream],
    );
    const broken = await poll((await start({ stream })).jobId);
    expect(broken.status).to.equal('failed');
    expect(broken.result).to.deep.include({ ok: false, stream, revision: 0 });
    const missing = await postJson(
      `${app.baseUrl}/api/v1/audit/verify`,
      { stream: 'payment-none' },
      auditor,
    );
    expect(missing.status).to.equal(404);
    const extra = await postJson(
      `${app.baseUrl}/api/v1/audit/verify`,
      { stream, extra: 1 },
      auditor,
    );
    expect(extra.status).to.equal(400);
  });
});
