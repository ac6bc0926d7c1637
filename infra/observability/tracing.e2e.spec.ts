import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import { DEMO_RESOURCES } from '../composition/demoCatalog.ts';
import { loadConfig } from '../config/config.ts';
import { startServer, type RunningServer } from '../main.ts';
import { createPool, quoteIdentifier, type Pool } from '../postgres/pool.ts';
import { TEST_DATABASE_URL } from '../postgres/testing.ts';
import { startReceiver, type Receiver } from '../webhooks/testing/receiver.ts';
import { createTracing } from './tracerProvider.ts';
import type { Tracing } from './tracing.ts';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const traceIdOf = (traceparent: unknown): string | undefined =>
  typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent)?.[1] : undefined;

const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/**
 * Issue 13 "Shown by": one trace id from the HTTP request through the
 * saga's gateway calls, with an in-memory exporter on the composed server
 * (every role in one process), the projections and webhook deliveries in it.
 */
describe('tracing: one trace from the HTTP request through the saga, projections and webhooks', function () {
  this.timeout(60_000);
  const schema = `trace_${hex(5)}`;
  const adminKey = randomBytes(24).toString('base64url');
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: RunningServer;
  let receiver: Receiver;
  let pool: Pool;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` };
  const resourceId = `r-${hex(4)}`;

  const hold = (extra: Record<string, string>, checkIn: string, checkOut: string) =>
    fetch(`${server.url}/api/v1/reservations`, {
      method: 'POST',
      headers: { ...headers, ...extra },
      body: JSON.stringify({
        resourceId,
        checkIn,
        checkOut,
        quantity: 1,
        guest: { name: 'Ada', guestId: 'ada' },
        requesterId: 'ada',
      }),
    });
  const metadataOf = async (reservationId: string) => {
    const { rows } = await pool.query<{ type: string; metadata: { traceparent?: string } }>(
      `SELECT event_type AS type, metadata FROM ${quoteIdentifier(schema)}.events
       WHERE stream_name = $1 ORDER BY stream_revision`,
      [`reservation-${reservationId}`],
    );
    return rows;
  };
  const stateOf = async (id: string) => {
    const response = await fetch(`${server.url}/api/v1/reservations/${id}`, { headers });
    return String(((await response.json()) as { state?: unknown }).state);
  };
  const spansOf = (traceId: string): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);

  before(async () => {
    receiver = await startReceiver();
    tracing = await createTracing({ serviceName: 'booking-ledger-test', exporter });
    const config = loadConfig({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_SIZE: '6',
      ADMIN_API_KEY: adminKey,
      PORT: '0',
      WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
    });
    server = await startServer(config, pino({ level: 'silent' }), { tracing });
    pool = createPool({ connectionString: TEST_DATABASE_URL, max: 2 });
    const registered = await fetch(`${server.url}/api/v1/resources`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ resourceId, ...DEMO_RESOURCES['demo-tlv-sea-view'] }),
    });
    expect(registered.status, await registered.clone().text()).to.equal(201);
    const hook = await fetch(`${server.url}/api/v1/webhooks/endpoints`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ url: receiver.url, events: ['reservation.*'] }),
    });
    expect(hook.status, await hook.clone().text()).to.equal(201);
  });

  after(async () => {
    await server.close();
    await tracing.shutdown();
    await receiver.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  it('keeps the caller’s trace from the hold through authorization and capture at the gateway', async () => {
    const traceId = hex(16);
    const held = await hold(
      { traceparent: `00-${traceId}-${hex(8)}-01` },
      '2027-04-10',
      '2027-04-12',
    );
    expect(held.status, await held.clone().text()).to.equal(201);
    expect(traceIdOf(held.headers.get('traceparent')), 'echoed in the response').to.equal(traceId);
    const { reservationId } = (await held.json()) as { reservationId: string };

    const [requested] = await metadataOf(reservationId);
    expect(traceIdOf(requested?.metadata.traceparent), 'kept in the event metadata').to.equal(
      traceId,
    );
    await waitFor('the saga to ask for the requester’s payment', async () =>
      (await stateOf(reservationId)) === 'AWAITING_REQUESTER_AUTH' ? true : undefined,
    );

    // The client carries the booking's trace on its next request too.
    const paid = await fetch(`${server.url}/api/v1/reservations/${reservationId}/confirm`, {
      method: 'POST',
      headers: {
        ...headers,
        'idempotency-key': `confirm-${reservationId}`,
        traceparent: `00-${traceId}-${hex(8)}-01`,
      },
      body: JSON.stringify({ paymentMethod: 'pm_card_visa' }),
    });
    expect(paid.status, await paid.clone().text()).to.equal(202);
    await waitFor('the booking to be confirmed', async () =>
      (await stateOf(reservationId)) === 'CONFIRMED' ? true : undefined,
    );

    const gatewayCalls = await waitFor('the gateway spans', () => {
      const names = spansOf(traceId)
        .filter((span) => span.name.startsWith('payment.'))
        .map((span) => span.name);
      return Promise.resolve(names.includes('payment.capture') ? names : undefined);
    });
    expect(gatewayCalls).to.include.members(['payment.authorize', 'payment.capture']);
    const names = spansOf(traceId).map((span) => span.name);
    expect(names).to.include('POST /api/v1/reservations');
    expect(names).to.include('POST /api/v1/reservations/{id}/confirm');
    expect(names.some((name) => name.startsWith('payment-saga '))).to.equal(true);
    expect(names.some((name) => name.startsWith('projection '))).to.equal(true);
    // Every event of the reservation, the saga's included, is in the same trace.
    for (const event of await metadataOf(reservationId))
      expect(traceIdOf(event.metadata.traceparent), event.type).to.equal(traceId);

    await receiver.waitFor((accepted) =>
      accepted.some(
        (r) => r.event.reservationId === reservationId && r.event.type === 'reservation.committed',
      ),
    );
    const deliveries = receiver.accepted.filter((r) => r.event.reservationId === reservationId);
    expect(deliveries.length).to.be.greaterThan(0);
    for (const delivery of deliveries)
      expect(traceIdOf(delivery.traceparent), `${delivery.event.type} delivery`).to.equal(traceId);
    expect(spansOf(traceId).some((span) => span.name.startsWith('webhook deliver '))).to.equal(
      true,
    );
  });

  for (const [label, malformed] of [
    ['garbage', 'not-a-traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${hex(8)}-01`],
    ['a bad version', `ff-${hex(16)}-${hex(8)}-01`],
    ['too long', `00-${hex(16)}-${hex(8)}-01-${'x'.repeat(300)}`],
  ] as const) {
    const day = 10 + (label.length % 15);
    it(`ignores a malformed traceparent (${label}) and starts a new trace`, async () => {
      const held = await hold({ traceparent: malformed }, `2027-05-${day}`, `2027-05-${day + 1}`);
      expect(held.status, await held.clone().text()).to.equal(201);
      const echoed = held.headers.get('traceparent');
      const traceId = traceIdOf(echoed);
      expect(traceId, 'a new, valid trace').to.be.a('string');
      expect(malformed).to.not.include(traceId);
      const { reservationId } = (await held.json()) as { reservationId: string };
      const [requested] = await metadataOf(reservationId);
      expect(traceIdOf(requested?.metadata.traceparent)).to.equal(traceId);
    });
  }
});
