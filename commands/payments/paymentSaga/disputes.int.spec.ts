import { expect } from 'chai';
import { checkLedger } from '../../../infra/processManagers/testing/ledgerCheck.ts';
import {
  createSagaHarness,
  expectNoSagaErrors,
  type SagaHarness,
} from '../../../infra/processManagers/testing/sagaHarness.ts';
import { receiveStripeEvent, type WebhookInbox } from '../../receivingStripeWebhook/handler.ts';
import { placeBooking, reservationCommand } from './testing/sagaFixtures.ts';

const HOUR = 3_600_000;

const memoryInbox = (): WebhookInbox => {
  const processed = new Set<string>();
  return {
    receive: (event) => Promise.resolve(processed.has(event.id)),
    markProcessed: (id) => {
      processed.add(id);
      return Promise.resolve();
    },
  };
};

describe('payment saga: disputes freeze the payout and settle when closed', function () {
  this.timeout(40_000);
  let h: SagaHarness;
  let inbox: WebhookInbox;
  beforeEach(async () => {
    h = await createSagaHarness({ disputeWindowHours: 24 });
    inbox = memoryInbox();
    h.start();
  });
  afterEach(async () => h.dispose());
  const now = () => h.clock.now().toISOString();

  /** Booked (44 720 captured), checked in and completed: the payout waits for the 24 h window. */
  const completed = async (id: string) => {
    await placeBooking(h.write, h.clock, {
      reservationId: id,
      resourceId: `room-${id}`,
      policy: 'instant',
      deposit: null,
    });
    await h.waitForStatus(id, 'CONFIRMED', 30_000);
    await reservationCommand(h.write, { type: 'CheckIn', reservationId: id, now: now() });
    await reservationCommand(h.write, { type: 'Complete', reservationId: id, now: now() });
    const saga = await h.waitForSaga(id, (s) => s.steps.payout?.status === 'pending');
    const auth = saga.steps['requester-auth'];
    return auth?.status === 'succeeded' ? auth.providerId : '';
  };
  /** What Stripe sends: the dispute names the PaymentIntent, not our metadata. */
  const dispute = (
    n: number,
    type: 'charge.dispute.created' | 'charge.dispute.closed',
    paymentIntent: string,
    amount: number,
    status: string,
  ) =>
    receiveStripeEvent(
      { saga: h.deps, inbox },
      {
        id: `evt_dp_${paymentIntent}_${n}`,
        livemode: false,
        type,
        object: {
          id: `dp_${paymentIntent}`,
          object: 'dispute',
          amount,
          currency: 'eur',
          charge: 'ch_x',
          payment_intent: paymentIntent,
          reason: 'fraudulent',
          status,
        },
      },
    );
  const transfers = async (id: string) =>
    (await h.gateway.listOperations(id))
      .filter((o) => o.operation === 'transfer')
      .map((o) => o.amount.amount);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 600));
  /** The rebuilt ledger once it reflects the payout (the log's read-all may trail the saga's stream by a moment under load). */
  const ledgerAfterPayout = async (id: string, escrow: number) => {
    for (let i = 0; i < 40; i += 1) {
      const balances = await checkLedger(h.db.pool, h.write.store, id);
      if (balances['escrow_held'] === escrow) return balances;
      await settle();
    }
    return checkLedger(h.db.pool, h.write.store, id);
  };

  it('won: the payout is frozen past the dispute window while open, the amount held apart in the ledger, then paid in full once', async () => {
    const id = 'r-dispute-won';
    const pi = await completed(id);
    expect(await dispute(1, 'charge.dispute.created', pi, 44_720, 'needs_response')).to.include({
      outcome: 'fed',
    });
    const open = await h.waitForSaga(id, (s) => s.settlement.disputes.length === 1);
    expect(open.settlement.disputes[0]).to.include({ status: 'open', amount: 44_720 });
    expect(await checkLedger(h.db.pool, h.write.store, id)).to.include({
      disputed: 44_720,
      escrow_held: 0,
    });

    h.clock.advance(25 * HOUR);
    await settle();
    expect(await transfers(id)).to.deep.equal([]);
    expect((await h.waitForSaga(id, () => true)).steps.payout?.status).to.equal('pending');

    await dispute(2, 'charge.dispute.closed', pi, 44_720, 'won');
    await h.waitForSaga(id, (s) => s.steps.payout?.status === 'succeeded');
    expect(await transfers(id)).to.deep.equal([40_000]);
    // A redelivered close changes nothing.
    expect(await dispute(2, 'charge.dispute.closed', pi, 44_720, 'won')).to.include({
      duplicate: true,
    });
    expect(await dispute(3, 'charge.dispute.closed', pi, 44_720, 'won')).to.include({
      outcome: 'ignored',
    });
    await settle();
    expect(await transfers(id)).to.deep.equal([40_000]);
    expect(await ledgerAfterPayout(id, 4_720)).to.include({
      disputed: 0,
      escrow_held: 4_720,
      vendor_payable: 0,
    });
    expectNoSagaErrors(h);
  });

  it('lost: the disputed amount is debited, the vendor paid its share of what is left', async () => {
    const id = 'r-dispute-lost';
    const pi = await completed(id);
    await dispute(1, 'charge.dispute.created', pi, 11_180, 'needs_response');
    await h.waitForSaga(id, (s) => s.settlement.disputes.length === 1);
    h.clock.advance(25 * HOUR);
    await settle();
    expect(await transfers(id)).to.deep.equal([]);
    await dispute(2, 'charge.dispute.closed', pi, 11_180, 'lost');
    const paid = await h.waitForSaga(id, (s) => s.steps.payout?.status === 'succeeded', 30_000);
    expect(paid.settlement.disputes[0]).to.include({ status: 'lost' });
    // 40 000 / 44 720 of the 33 540 kept.
    expect(await transfers(id)).to.deep.equal([30_000]);
    expect(await ledgerAfterPayout(id, 3_540)).to.include({
      disputed: 0,
      escrow_held: 3_540,
      vendor_payable: 0,
      platform_revenue: -3_000,
      tax_payable: -540,
    });
    expectNoSagaErrors(h);
  });
});
