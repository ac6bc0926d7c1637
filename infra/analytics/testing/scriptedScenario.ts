import { reservationCommand } from '../../../commands/payments/paymentSaga/testing/sagaFixtures.ts';
import type { SagaHarness } from '../../processManagers/testing/sagaHarness.ts';
import {
  bookScripted,
  registerScripted,
  RESIDENT,
  TOURIST,
  type ScriptedResource,
} from './scriptedLog.ts';

export const TLV: ScriptedResource = {
  resourceId: 'tlv',
  vendorId: 'v-tlv',
  currency: 'ILS',
  zone: 'Asia/Jerusalem',
  capacity: 2,
  jurisdiction: { country: 'IL', eilatDealer: false },
};
export const EILAT: ScriptedResource = {
  resourceId: 'eilat',
  vendorId: 'v-eilat',
  currency: 'ILS',
  zone: 'Asia/Jerusalem',
  capacity: 1,
  jurisdiction: { country: 'IL', eilatDealer: true },
};
export const BER: ScriptedResource = {
  resourceId: 'ber',
  vendorId: 'v-ber',
  currency: 'EUR',
  zone: 'Europe/Berlin',
  capacity: 1,
  jurisdiction: { country: 'DE', eilatDealer: false },
};

/**
 * The scripted log of docs/analytics.md "Worked example", requested on
 * 2026-12-01 for Christmas nights:
 * - A  tlv, partner p1, tourist (B/2), 24+25 Dec, 500.00 ILS/night + 50.00 fee: completed, paid out;
 * - B  tlv, p2, resident, 24+25 Dec, same prices: cancelled 23 days ahead, 50 % refunded;
 * - C  tlv, p1, resident, 26 Dec: no-show (the no-show fee keeps everything);
 * - D  ber, p1, 24 Dec, 100.00 EUR + 10.00 fee (German 7 % / 19 %): confirmed;
 * - E  eilat, p2, resident, 24 Dec, 400.00 ILS + 40.00 fee (Eilat dealer exempt): confirmed;
 * - F  tlv, p2, 27 Dec: never paid, expired.
 */
export const scriptAnalyticsLog = async (h: SagaHarness): Promise<void> => {
  const { write, clock } = h;
  for (const r of [TLV, EILAT, BER]) await registerScripted(write, clock, r);
  const ils = { room: 50_000, fee: 5_000 };
  await bookScripted(write, clock, {
    reservationId: 'A',
    resource: TLV,
    partnerId: 'p1',
    guest: TOURIST,
    nights: ['2026-12-24', '2026-12-25'],
    ...ils,
  });
  await bookScripted(write, clock, {
    reservationId: 'B',
    resource: TLV,
    partnerId: 'p2',
    guest: RESIDENT,
    nights: ['2026-12-24', '2026-12-25'],
    ...ils,
  });
  await bookScripted(write, clock, {
    reservationId: 'C',
    resource: TLV,
    partnerId: 'p1',
    guest: RESIDENT,
    nights: ['2026-12-26'],
    ...ils,
  });
  await bookScripted(write, clock, {
    reservationId: 'D',
    resource: BER,
    partnerId: 'p1',
    guest: RESIDENT,
    nights: ['2026-12-24'],
    room: 10_000,
    fee: 1_000,
  });
  await bookScripted(write, clock, {
    reservationId: 'E',
    resource: EILAT,
    partnerId: 'p2',
    guest: RESIDENT,
    nights: ['2026-12-24'],
    room: 40_000,
    fee: 4_000,
  });
  await bookScripted(write, clock, {
    reservationId: 'F',
    resource: TLV,
    partnerId: 'p2',
    guest: RESIDENT,
    nights: ['2026-12-27'],
    ...ils,
    pay: false,
  });
  for (const id of ['A', 'B', 'C', 'D', 'E']) await h.waitForStatus(id, 'CONFIRMED');
  const now = () => clock.now().toISOString();
  await reservationCommand(write, {
    type: 'Cancel',
    reservationId: 'B',
    now: now(),
    by: 'guest',
    reason: 'plans changed',
  });
  await reservationCommand(write, { type: 'MarkNoShow', reservationId: 'C', now: now() });
  await reservationCommand(write, { type: 'CheckIn', reservationId: 'A', now: now() });
  await reservationCommand(write, { type: 'Complete', reservationId: 'A', now: now() });
  clock.advance(20 * 60_000);
  await reservationCommand(write, { type: 'Expire', reservationId: 'F', now: now() });
  await h.waitForSaga('A', (s) => s.steps.payout !== undefined);
  clock.advance(2 * 3_600_000);
  await h.waitForSaga('A', (s) => s.steps.payout?.status === 'succeeded');
  await h.waitForSaga('B', (s) => s.steps['settle-refund']?.status === 'succeeded');
  // A cancellation's and a no-show's payouts are requested once their refunds settled,
  // and run after the dispute window from then.
  for (const id of ['B', 'C']) await h.waitForSaga(id, (s) => s.steps.payout !== undefined);
  clock.advance(2 * 3_600_000);
  for (const id of ['B', 'C']) {
    await h.waitForSaga(id, (s) => s.steps.payout?.status === 'succeeded');
  }
  await h.waitForSaga('F', (s) => s.steps['release-hold']?.status === 'succeeded');
};
