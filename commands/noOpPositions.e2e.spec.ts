import { expect } from 'chai';
import { sampleNightly, sampleTimed } from '../domain/resource/testing/sampleResources.ts';
import { startReadTestApp, type ReadTestApp } from '../infra/readSide/testing/readTestApp.ts';
import { registerResource } from './shared/testing/reservationFixtures.ts';

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const POSITION = /^\d+:\d+$/;

/**
 * Issue 9 item 7: a write that changes nothing (the same payment method again,
 * the same busy time, closing closed slots, an empty resource change) must
 * still answer a `position` the caller can pass as `X-Min-Position` — before,
 * such no-ops answered `"position": null` (or `""`).
 */
describe('every write answers a usable position, no-ops included', () => {
  let app: ReadTestApp;
  let partnerKey: string;
  let nightly: string;
  let timed: string;
  before(async () => {
    app = await startReadTestApp();
    partnerKey = (await app.createPartnerKey()).key;
    nightly = await registerResource(app.writeSide, sampleNightly());
    timed = await registerResource(app.writeSide, sampleTimed());
  });
  after(async () => app.close());

  const send = async (
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
    key = partnerKey,
  ): Promise<Answer> => {
    const response = await fetch(`${app.expressUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** Sends the same write twice; the second changes nothing and must still answer a position. */
  const twice = async (send2: () => Promise<Answer>): Promise<[Answer, Answer]> => {
    const first = await send2();
    const again = await send2();
    expect(first.status, JSON.stringify(first.body)).to.be.within(200, 299);
    expect(again.status, JSON.stringify(again.body)).to.equal(first.status);
    expect(again.body['position'], 'no-op position').to.match(POSITION);
    return [first, again];
  };

  const hold = async (checkIn: string, checkOut: string): Promise<string> => {
    const answer = await send('POST', '/api/v1/reservations', {
      resourceId: nightly,
      checkIn,
      checkOut,
      guest: { name: 'Ada' },
      requesterId: 'r-noop',
    });
    expect(answer.status).to.equal(201);
    return String(answer.body['reservationId']);
  };

  it('authorize with the same payment method again: a position that reads the write back', async () => {
    const id = await hold('2026-12-20', '2026-12-21');
    const path = `/api/v1/reservations/${id}/authorize`;
    const [first, again] = await twice(() => send('POST', path, { paymentMethod: 'pm_card_visa' }));
    expect(again.body['version']).to.equal(first.body['version']);
    expect(again.body['position']).to.equal(first.body['position']);
    const read = await fetch(`${app.expressUrl}/api/v1/bookings/${id}`, {
      headers: {
        authorization: `Bearer ${partnerKey}`,
        'x-min-position': String(again.body['position']),
      },
    });
    expect(read.status).to.equal(200);
    const booking = (await read.json()) as { stale: boolean; paymentMethodProvided?: boolean };
    expect(booking.stale).to.equal(false);
  });

  it('confirm (another key, the same payment method) answers a position, not null', async () => {
    const id = await hold('2026-12-22', '2026-12-23');
    const path = `/api/v1/reservations/${id}/confirm`;
    let n = 0;
    await twice(() =>
      send(
        'POST',
        path,
        { paymentMethod: 'pm_card_visa' },
        { 'idempotency-key': `c-${id}-${++n}` },
      ),
    );
  });

  it('importing the same busy time again answers a position, not ""', async () => {
    const body = {
      source: 'google:primary',
      blocks: [{ start: '2026-12-07T15:00:00Z', end: '2026-12-07T16:00:00Z' }],
    };
    await twice(() => send('POST', `/api/v1/resources/${timed}/busy-time`, body, {}, app.adminKey));
  });

  it('closing closed slots, and an empty resource change, answer a position', async () => {
    const close = { dates: { from: '2027-01-10', to: '2027-01-11' }, reason: 'works' };
    await twice(() =>
      send('POST', `/api/v1/resources/${nightly}/slots/close`, close, {}, app.adminKey),
    );
    await twice(() => send('PATCH', `/api/v1/resources/${nightly}`, {}, {}, app.adminKey));
  });
});
