import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { money, type Money } from '../../../domain/shared/money.ts';
import {
  PaymentDeclinedError,
  PaymentIdempotencyMismatchError,
  PaymentInvalidRequestError,
  PaymentProviderUnavailableError,
  type AuthorizeRequest,
  type Authorization,
  type PaymentGateway,
  type PaymentOperation,
  type ProviderPayments,
} from '../paymentGateway.ts';

/**
 * Test support: the behaviour every PaymentGateway adapter promises (docs/payments.md
 * "The port"), written once and run against each adapter by its own spec file.
 */

/** Ways to make the provider misbehave once, where the adapter under test can. */
export interface GatewayFaults {
  /** The next `operation` answers 5xx before doing anything. */
  failNext(operation: PaymentOperation): void;
  /** The next `operation` does its work, then the answer is lost (a timeout). */
  timeoutAfterEffectNext(operation: PaymentOperation): void;
}

export interface GatewayUnderTest {
  readonly gateway: PaymentGateway;
  /** Absent when the provider cannot be made to fail on demand (Stripe test mode). */
  readonly faults?: GatewayFaults;
  /** Whether transfers can run (Stripe test mode needs a funded connected account). */
  readonly transfers: boolean;
  /** A connected account that accepts transfers. */
  readonly destinationAccount: string;
  /** How long `listPayments` may lag a write (Stripe search: seconds); 0 when immediate. */
  readonly listLagMs: number;
  /**
   * Plays the payer's browser answering a 3-D Secure challenge; absent where that
   * needs a real browser (Stripe test mode).
   */
  readonly authenticate?: (
    authorizationId: string,
    outcome: 'succeeded' | 'failed',
  ) => Promise<void>;
  dispose(): Promise<void>;
}

/** The error a promise rejects with; fails the test when it resolves. */
export const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be rejected, but it resolved');
};

const EUR = (amount: number): Money => money(amount, 'EUR');

/**
 * Registers the contract suite. `factory` runs once before the suite; returning
 * a string instead skips the suite and prints why (e.g. no Stripe key).
 */
export const describePaymentGatewayContract = (
  name: string,
  factory: () => Promise<GatewayUnderTest | string>,
): void => {
  describe(`PaymentGateway contract: ${name}`, function () {
    this.timeout(150_000);
    let subject: GatewayUnderTest | undefined;
    let reservationId = '';
    const gateway = (): PaymentGateway => {
      if (!subject) throw new Error('the factory has not run');
      return subject.gateway;
    };
    const request = (overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest => ({
      idempotencyKey: `requester-auth-${reservationId}-1`,
      amount: EUR(5_000),
      paymentMethod: 'pm_card_visa',
      metadata: {
        reservationId,
        bookingReference: `BK-${reservationId.slice(0, 8)}`,
        partnerId: 'partner-9',
        attempt: 1,
      },
      ...overrides,
    });
    const authorize = (overrides: Partial<AuthorizeRequest> = {}): Promise<Authorization> =>
      gateway().authorize(request(overrides));
    const key = (step: string, n = 1): string => `${step}-${reservationId}-${n}`;
    const listed = async (
      ready: (found: ProviderPayments) => boolean,
    ): Promise<ProviderPayments> => {
      const deadline = Date.now() + (subject?.listLagMs ?? 0);
      for (;;) {
        const found = await gateway().listPayments({
          reservationId,
          transferGroup: request().metadata.bookingReference,
        });
        if (ready(found) || Date.now() >= deadline) return found;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    };

    before(async function () {
      const made = await factory();
      if (typeof made === 'string') {
        console.log(`      ${made}`);
        this.skip();
      }
      subject = made;
    });
    after(async () => {
      await subject?.dispose();
    });
    beforeEach(() => {
      // Provider keys live 24 h: every test needs its own.
      reservationId = randomUUID();
    });

    describe('money movements', () => {
      it('authorizes for manual capture, then captures in full', async () => {
        const auth = await authorize();
        expect(auth).to.deep.equal({
          authorizationId: auth.authorizationId,
          status: 'authorized',
          amount: EUR(5_000),
        });
        expect(await gateway().retrievePayment(auth.authorizationId)).to.deep.include({
          status: 'authorized',
          amount: EUR(5_000),
          captured: EUR(0),
          reservationId,
        });
        const capture = await gateway().capture({
          idempotencyKey: key('requester-capture'),
          authorizationId: auth.authorizationId,
        });
        expect(capture).to.deep.include({
          authorizationId: auth.authorizationId,
          status: 'captured',
          amount: EUR(5_000),
        });
        expect(capture.captureId).to.be.a('string').and.not.equal('');
        expect(await gateway().retrievePayment(auth.authorizationId)).to.deep.include({
          status: 'captured',
          captured: EUR(5_000),
          refunded: EUR(0),
        });
      });

      it('captures part of an authorization once, and never more than authorized', async () => {
        const auth = await authorize();
        const tooMuch = await rejection(
          gateway().capture({
            idempotencyKey: key('c', 1),
            authorizationId: auth.authorizationId,
            amount: EUR(5_001),
          }),
        );
        expect(tooMuch)
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'amount_too_large');
        const capture = await gateway().capture({
          idempotencyKey: key('c', 2),
          authorizationId: auth.authorizationId,
          amount: EUR(3_200),
        });
        expect(capture.amount).to.deep.equal(EUR(3_200));
        const again = await rejection(
          gateway().capture({
            idempotencyKey: key('c', 3),
            authorizationId: auth.authorizationId,
            amount: EUR(1_000),
          }),
        );
        expect(again)
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'unexpected_state');
        expect((await gateway().retrievePayment(auth.authorizationId)).captured).to.deep.equal(
          EUR(3_200),
        );
      });

      it('cancels an open authorization; no capture after cancel, no cancel after capture', async () => {
        const first = await authorize();
        expect(
          await gateway().cancelAuthorization({
            idempotencyKey: key('x', 1),
            authorizationId: first.authorizationId,
          }),
        ).to.deep.equal({ authorizationId: first.authorizationId, status: 'cancelled' });
        expect((await gateway().retrievePayment(first.authorizationId)).status).to.equal(
          'cancelled',
        );
        const capture = await rejection(
          gateway().capture({
            idempotencyKey: key('c', 1),
            authorizationId: first.authorizationId,
          }),
        );
        expect(capture)
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'unexpected_state');

        const second = await authorize({ idempotencyKey: key('requester-auth', 2) });
        await gateway().capture({
          idempotencyKey: key('c', 2),
          authorizationId: second.authorizationId,
        });
        const cancel = await rejection(
          gateway().cancelAuthorization({
            idempotencyKey: key('x', 2),
            authorizationId: second.authorizationId,
          }),
        );
        expect(cancel)
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'unexpected_state');
      });

      it('refunds by authorization, partially then the rest, and no more', async () => {
        const auth = await authorize();
        const uncaptured = await rejection(
          gateway().refund({ idempotencyKey: key('r', 0), authorizationId: auth.authorizationId }),
        );
        expect(uncaptured)
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'unexpected_state');
        await gateway().capture({
          idempotencyKey: key('c'),
          authorizationId: auth.authorizationId,
        });
        const part = await gateway().refund({
          idempotencyKey: key('r', 1),
          authorizationId: auth.authorizationId,
          amount: EUR(1_500),
        });
        expect(part).to.deep.include({
          authorizationId: auth.authorizationId,
          status: 'succeeded',
          amount: EUR(1_500),
        });
        expect(part.refundId).to.be.a('string').and.not.equal('');
        const tooMuch = await rejection(
          gateway().refund({
            idempotencyKey: key('r', 2),
            authorizationId: auth.authorizationId,
            amount: EUR(3_501),
          }),
        );
        expect(tooMuch)
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'amount_too_large');
        const rest = await gateway().refund({
          idempotencyKey: key('r', 3),
          authorizationId: auth.authorizationId,
        });
        expect(rest.amount).to.deep.equal(EUR(3_500));
        const again = await rejection(
          gateway().refund({ idempotencyKey: key('r', 4), authorizationId: auth.authorizationId }),
        );
        expect(again)
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'already_refunded');
        const seen = await gateway().retrievePayment(auth.authorizationId);
        expect(seen).to.deep.include({ captured: EUR(5_000), refunded: EUR(5_000) });
        expect(seen.refunds.map((r) => r.amount.amount).sort()).to.deep.equal([1_500, 3_500]);
      });

      it("transfers to a connected account within the booking's transfer group", async function () {
        if (!subject?.transfers) this.skip();
        const destination = subject?.destinationAccount ?? '';
        const transfer = await gateway().transfer({
          idempotencyKey: key('payout'),
          amount: EUR(4_250),
          destinationAccount: destination,
          transferGroup: request().metadata.bookingReference,
          metadata: request().metadata,
        });
        expect(transfer).to.deep.include({
          destinationAccount: destination,
          transferGroup: request().metadata.bookingReference,
          amount: EUR(4_250),
        });
        expect(transfer.transferId).to.be.a('string').and.not.equal('');
        const found = await listed((f) => f.transfers.length > 0);
        expect(found.transfers.map((t) => [t.transferId, t.amount.amount])).to.deep.equal([
          [transfer.transferId, 4_250],
        ]);
      });

      it('reports an unknown authorization as not found', async () => {
        const error = await rejection(
          gateway().cancelAuthorization({
            idempotencyKey: key('x'),
            authorizationId: 'pi_missing',
          }),
        );
        expect(error)
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'not_found');
        expect(await rejection(gateway().retrievePayment('pi_missing')))
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'not_found');
      });

      it("lists a booking's authorizations by the reservation id in their metadata", async () => {
        const kept = await authorize();
        const other = await authorize({
          idempotencyKey: key('vendor-auth'),
          amount: EUR(700),
        });
        await gateway().capture({
          idempotencyKey: key('c'),
          authorizationId: kept.authorizationId,
        });
        const found = await listed((f) => f.payments.length >= 2);
        const byId = new Map(found.payments.map((p) => [p.authorizationId, p]));
        expect([...byId.keys()].sort()).to.deep.equal(
          [kept.authorizationId, other.authorizationId].sort(),
        );
        expect(byId.get(kept.authorizationId)).to.deep.include({
          status: 'captured',
          captured: EUR(5_000),
        });
        expect(byId.get(other.authorizationId)).to.deep.include({
          status: 'authorized',
          amount: EUR(700),
        });
      });
    });

    describe('idempotency', () => {
      it('replays the first result for the same key and parameters, with one effect', async () => {
        const first = await authorize();
        expect(await authorize()).to.deep.equal(first);
        const capture = {
          idempotencyKey: key('c'),
          authorizationId: first.authorizationId,
          amount: EUR(2_500),
        };
        expect(await gateway().capture(capture)).to.deep.equal(await gateway().capture(capture));
        expect((await gateway().retrievePayment(first.authorizationId)).captured).to.deep.equal(
          EUR(2_500),
        );
        const found = await listed((f) => f.payments.length >= 1);
        expect(found.payments.map((p) => p.authorizationId)).to.deep.equal([first.authorizationId]);
      });

      it('replays a final refusal too', async () => {
        const auth = await authorize();
        const tooMuch = {
          idempotencyKey: key('c'),
          authorizationId: auth.authorizationId,
          amount: EUR(20_000),
        };
        expect(await rejection(gateway().capture(tooMuch))).to.be.instanceOf(
          PaymentInvalidRequestError,
        );
        expect(await rejection(gateway().capture(tooMuch)))
          .to.be.instanceOf(PaymentInvalidRequestError)
          .with.property('reason', 'amount_too_large');
      });

      it('refuses the same key with different parameters or for another operation', async () => {
        const auth = await authorize();
        expect(await rejection(authorize({ amount: EUR(5_001) })))
          .to.be.instanceOf(PaymentIdempotencyMismatchError)
          .with.property('idempotencyKey', key('requester-auth'));
        expect(
          await rejection(
            gateway().cancelAuthorization({
              idempotencyKey: key('requester-auth'),
              authorizationId: auth.authorizationId,
            }),
          ),
        ).to.be.instanceOf(PaymentIdempotencyMismatchError);
        expect((await gateway().retrievePayment(auth.authorizationId)).status).to.equal(
          'authorized',
        );
      });

      it('makes at most one effect from concurrent calls with one key', async () => {
        const outcomes = await Promise.allSettled([authorize(), authorize(), authorize()]);
        const ids = new Set<string>();
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled') ids.add(outcome.value.authorizationId);
          // Stripe answers a concurrent duplicate 409 (retryable); never a second effect.
          else expect(outcome.reason).to.be.instanceOf(PaymentProviderUnavailableError);
        }
        const auth = await authorize();
        expect([...ids].filter((id) => id !== auth.authorizationId)).to.deep.equal([]);
        const found = await listed((f) => f.payments.length >= 1);
        expect(found.payments.map((p) => p.authorizationId)).to.deep.equal([auth.authorizationId]);
      });

      it('lets only one of two concurrent captures with different keys win', async () => {
        const auth = await authorize();
        const outcomes = await Promise.allSettled([
          gateway().capture({ idempotencyKey: key('c', 1), authorizationId: auth.authorizationId }),
          gateway().capture({ idempotencyKey: key('c', 2), authorizationId: auth.authorizationId }),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length.at.most(1);
        expect((await gateway().retrievePayment(auth.authorizationId)).captured).to.deep.equal(
          outcomes.some((o) => o.status === 'fulfilled') ? EUR(5_000) : EUR(0),
        );
      });
    });

    describe('failures', () => {
      it('declines a declining test card finally, with its decline code', async () => {
        const error = await rejection(
          authorize({ paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' }),
        );
        expect(error)
          .to.be.instanceOf(PaymentDeclinedError)
          .with.property('declineCode', 'insufficient_funds');
        expect((error as PaymentDeclinedError).retryable).to.equal(false);
        const generic = await rejection(
          authorize({
            idempotencyKey: key('requester-auth', 2),
            paymentMethod: 'pm_card_chargeDeclined',
          }),
        );
        expect(generic)
          .to.be.instanceOf(PaymentDeclinedError)
          .with.property('declineCode', 'generic_decline');
      });

      it('declines a card that needs 3-D Secure off session with authentication_required', async () => {
        const error = await rejection(
          authorize({ paymentMethod: 'pm_card_threeDSecure2Required' }),
        );
        expect(error)
          .to.be.instanceOf(PaymentDeclinedError)
          .with.property('declineCode', 'authentication_required');
      });

      it('answers requires_action with a client secret on session; nothing is capturable until the payer authenticates', async function () {
        const auth = await authorize({
          paymentMethod: 'pm_card_threeDSecure2Required',
          onSession: true,
        });
        expect(auth.status).to.equal('requires_action');
        if (auth.status !== 'requires_action') return;
        expect(auth.nextAction.clientSecret).to.match(
          new RegExp(`^${auth.authorizationId}_secret_`),
        );
        expect(auth.nextAction.type).to.be.a('string').and.not.equal('');
        const replay = await authorize({
          paymentMethod: 'pm_card_threeDSecure2Required',
          onSession: true,
        });
        expect(replay.authorizationId).to.equal(auth.authorizationId);
        expect((await gateway().retrievePayment(auth.authorizationId)).status).to.equal(
          'requires_action',
        );
        expect(
          await rejection(
            gateway().capture({ idempotencyKey: key('c'), authorizationId: auth.authorizationId }),
          ),
        ).to.be.instanceOf(PaymentInvalidRequestError);
        const authenticate = subject?.authenticate;
        if (!authenticate) {
          // Without a browser the challenge stays open: release it.
          await gateway().cancelAuthorization({
            idempotencyKey: key('x'),
            authorizationId: auth.authorizationId,
          });
          this.skip();
        }
        await authenticate?.(auth.authorizationId, 'succeeded');
        expect((await gateway().retrievePayment(auth.authorizationId)).status).to.equal(
          'authorized',
        );
        const captured = await gateway().capture({
          idempotencyKey: key('c', 2),
          authorizationId: auth.authorizationId,
        });
        expect(captured.amount).to.deep.equal(EUR(5_000));
      });

      it('leaves nothing to capture after a failed authentication', async function () {
        const authenticate = subject?.authenticate;
        if (!authenticate) this.skip();
        const auth = await authorize({
          paymentMethod: 'pm_card_threeDSecure2Required',
          onSession: true,
        });
        await authenticate?.(auth.authorizationId, 'failed');
        const seen = await gateway().retrievePayment(auth.authorizationId);
        expect(seen.status).to.equal('failed');
        expect(seen.captured).to.deep.equal(EUR(0));
        expect(
          await rejection(
            gateway().capture({ idempotencyKey: key('c'), authorizationId: auth.authorizationId }),
          ),
        ).to.be.instanceOf(PaymentInvalidRequestError);
      });

      it('answers a 5xx as retryable unavailable; the same key then succeeds', async function () {
        const faults = subject?.faults;
        if (!faults) this.skip();
        const auth = await authorize();
        faults?.failNext('capture');
        const error = await rejection(
          gateway().capture({ idempotencyKey: key('c'), authorizationId: auth.authorizationId }),
        );
        expect(error)
          .to.be.instanceOf(PaymentProviderUnavailableError)
          .with.property('reason', 'server_error');
        expect((error as PaymentProviderUnavailableError).retryable).to.equal(true);
        expect((await gateway().retrievePayment(auth.authorizationId)).status).to.equal(
          'authorized',
        );
        const retried = await gateway().capture({
          idempotencyKey: key('c'),
          authorizationId: auth.authorizationId,
        });
        expect(retried.amount).to.deep.equal(EUR(5_000));
      });

      it('survives a timeout that hid a success: the same key replays it, charged once', async function () {
        const faults = subject?.faults;
        if (!faults) this.skip();
        const auth = await authorize();
        faults?.timeoutAfterEffectNext('capture');
        const capture = {
          idempotencyKey: key('c'),
          authorizationId: auth.authorizationId,
          amount: EUR(2_000),
        };
        expect(await rejection(gateway().capture(capture)))
          .to.be.instanceOf(PaymentProviderUnavailableError)
          .with.property('reason', 'timeout');
        expect((await gateway().retrievePayment(auth.authorizationId)).captured).to.deep.equal(
          EUR(2_000),
        );
        expect((await gateway().capture(capture)).amount).to.deep.equal(EUR(2_000));
        expect((await gateway().retrievePayment(auth.authorizationId)).captured).to.deep.equal(
          EUR(2_000),
        );
      });
    });
  });
};
