import { expect } from 'chai';
import type { Money } from '../shared/money.ts';
import { reconcile, type ProviderAuthorization, type ProviderBooks } from './reconciliation.ts';
import type { RunningSaga, StepState } from './sagaState.ts';
import { initialSettlement } from './settlementState.ts';

const EUR = (amount: number): Money => ({ amount, currency: 'EUR' });
const ok = (providerId: string, amount: number | null = null): StepState => ({
  status: 'succeeded',
  attempt: 1,
  amount: amount === null ? null : EUR(amount),
  providerId,
});
const waiting = (amount: number | null, attempt = 1, target = 'pi_r'): StepState => ({
  status: 'pending',
  attempt,
  amount: amount === null ? null : EUR(amount),
  target,
  idempotencyKey: `k-${attempt}`,
});
const saga = (
  steps: RunningSaga['steps'],
  commit: RunningSaga['commit'] = 'open',
): RunningSaga => ({
  status: 'RUNNING',
  reservationId: 'r1',
  bookingReference: 'BK-1',
  vendorId: 'v1',
  slots: [],
  confirmationPolicy: 'instant',
  vendorPayout: EUR(4_000),
  steps,
  requesterPaymentMethod: 'pm_card_visa',
  awaitingPaymentMethod: null,
  compensations: [],
  commit,
  settlement: initialSettlement(),
  actionRequired: null,
});
const pi = (over: Partial<ProviderAuthorization> = {}): ProviderAuthorization => ({
  authorizationId: 'pi_r',
  status: 'authorized',
  amount: EUR(5_000),
  captured: EUR(0),
  captureId: null,
  refunded: EUR(0),
  refunds: [],
  ...over,
});
const books = (
  authorizations: ProviderAuthorization[],
  transfers: ProviderBooks['transfers'] = [],
) => ({
  authorizations,
  transfers,
});
const captured = pi({ status: 'captured', captured: EUR(5_000), captureId: 'ch_r' });

describe('reconciliation: the saga log against the provider', () => {
  it('agrees when both say the same', () => {
    const log = saga(
      { 'requester-auth': ok('pi_r'), 'requester-capture': ok('ch_r', 5_000) },
      'succeeded',
    );
    expect(reconcile(log, books([captured]))).to.deep.equal({ repairs: [], findings: [] });
  });

  it('repairs a capture the provider made while the log has it pending', () => {
    const log = saga({ 'requester-auth': ok('pi_r'), 'requester-capture': waiting(5_000, 2) });
    const result = reconcile(log, books([captured]));
    expect(result.findings).to.deep.equal([]);
    expect(result.repairs).to.have.length(1);
    expect(result.repairs[0]).to.include({
      step: 'requester-capture',
      attempt: 2,
      providerId: 'ch_r',
    });
  });

  it('repairs a pending cancellation, refund and payout the provider already did', () => {
    const cancelled = reconcile(
      saga({ 'vendor-auth': ok('pi_r'), 'vendor-auth-cancel': waiting(null) }),
      books([pi({ status: 'cancelled' })]),
    );
    expect(cancelled.repairs.map((r) => [r.step, r.providerId])).to.deep.equal([
      ['vendor-auth-cancel', 'pi_r'],
    ]);
    const refunded = reconcile(
      saga(
        {
          'requester-auth': ok('pi_r'),
          'requester-capture': ok('ch_r', 5_000),
          'requester-refund': waiting(1_500),
        },
        'succeeded',
      ),
      books([
        { ...captured, refunded: EUR(1_500), refunds: [{ refundId: 're_1', amount: EUR(1_500) }] },
      ]),
    );
    expect(refunded.repairs.map((r) => [r.step, r.providerId])).to.deep.equal([
      ['requester-refund', 're_1'],
    ]);
    const paid = reconcile(
      saga(
        {
          'requester-auth': ok('pi_r'),
          'requester-capture': ok('ch_r', 5_000),
          payout: waiting(4_000),
        },
        'succeeded',
      ),
      books([captured], [{ transferId: 'tr_1', amount: EUR(4_000), reversed: EUR(0) }]),
    );
    expect(paid.repairs.map((r) => [r.step, r.providerId])).to.deep.equal([['payout', 'tr_1']]);
    expect(paid.findings).to.deep.equal([]);
  });

  it('reports what it cannot safely repair', () => {
    const log = saga(
      { 'requester-auth': ok('pi_r'), 'requester-capture': ok('ch_r', 5_000) },
      'succeeded',
    );
    const kinds = (b: ProviderBooks, l = log) => reconcile(l, b).findings.map((f) => f.kind);
    expect(
      kinds(books([pi({ status: 'captured', captured: EUR(3_000), captureId: 'ch_r' })])),
    ).to.deep.equal(['captured_amount_differs']);
    expect(kinds(books([pi()]))).to.deep.equal(['capture_missing_at_provider']);
    expect(
      kinds(
        books([
          { ...captured, refunded: EUR(700), refunds: [{ refundId: 're_x', amount: EUR(700) }] },
        ]),
      ),
    ).to.deep.equal(['refunds_differ']);
    expect(
      kinds(books([captured, pi({ authorizationId: 'pi_other', amount: EUR(99) })])),
    ).to.deep.equal(['authorization_not_in_log']);
    expect(kinds(books([]))).to.deep.equal(['authorization_missing_at_provider']);
    expect(
      kinds(books([captured], [{ transferId: 'tr_x', amount: EUR(10), reversed: EUR(0) }])),
    ).to.deep.equal(['transfers_differ']);
    expect(
      kinds(books([pi({ status: 'cancelled' })]), saga({ 'requester-auth': ok('pi_r') })),
    ).to.deep.equal(['authorization_lapsed']);
  });

  it('never repairs a capture the log recorded as failed (compensation owns it)', () => {
    const failed: StepState = {
      status: 'failed',
      attempt: 5,
      amount: EUR(5_000),
      target: 'pi_r',
      idempotencyKey: 'k',
      retryable: true,
      reason: 'timeout',
    };
    const result = reconcile(
      saga({ 'requester-auth': ok('pi_r'), 'requester-capture': failed }, 'failed'),
      books([captured]),
    );
    expect(result.repairs).to.deep.equal([]);
    expect(result.findings.map((f) => f.kind)).to.deep.equal(['capture_not_in_log']);
  });

  describe('after a settlement of changes (settle-* steps)', () => {
    // Booked 5 000 on pi_r; extended by 2 000 (a second PaymentIntent pi_s, captured);
    // then shortened by 1 500 (refunded from pi_s, the latest charge first) and by 1 000 more
    // (500 left on pi_s, then 500 from pi_r).
    const settledSaga = (
      extraSteps: RunningSaga['steps'] = {},
      charges = [
        {
          authorizationId: 'pi_r',
          authorized: 5_000,
          captured: 5_000,
          refunded: 500,
          released: false,
        },
        {
          authorizationId: 'pi_s',
          authorized: 2_000,
          captured: 2_000,
          refunded: 2_000,
          released: false,
        },
      ],
    ): RunningSaga => ({
      ...saga(
        {
          'requester-auth': ok('pi_r'),
          'requester-capture': ok('ch_r', 5_000),
          'settle-auth': ok('pi_s', 2_000),
          'settle-capture': ok('ch_s', 2_000),
          'settle-refund': ok('re_3', 500),
          ...extraSteps,
        },
        'succeeded',
      ),
      settlement: { ...initialSettlement(), due: EUR(4_500), owed: EUR(4_500), charges },
    });
    const first = {
      ...captured,
      refunded: EUR(500),
      refunds: [{ refundId: 're_3', amount: EUR(500) }],
    };
    const second = pi({
      authorizationId: 'pi_s',
      status: 'captured',
      amount: EUR(2_000),
      captured: EUR(2_000),
      captureId: 'ch_s',
      refunded: EUR(2_000),
      refunds: [
        { refundId: 're_1', amount: EUR(1_500) },
        { refundId: 're_2', amount: EUR(500) },
      ],
    });

    it('a settled change reconciles clean: no false refund, capture or unknown-authorization difference', () => {
      expect(reconcile(settledSaga(), books([first, second]))).to.deep.equal({
        repairs: [],
        findings: [],
      });
    });

    it('repairs a difference capture the provider made while the log has it pending', () => {
      const log = settledSaga(
        {
          'settle-refund': ok('re_x', 0),
          'settle-capture': waiting(2_000, 3, 'pi_s'),
        },
        [
          {
            authorizationId: 'pi_r',
            authorized: 5_000,
            captured: 5_000,
            refunded: 0,
            released: false,
          },
          { authorizationId: 'pi_s', authorized: 2_000, captured: 0, refunded: 0, released: false },
        ],
      );
      const result = reconcile(
        log,
        books([captured, { ...second, refunded: EUR(0), refunds: [] }]),
      );
      expect(result.findings).to.deep.equal([]);
      expect(result.repairs.map((r) => [r.step, r.attempt, r.providerId])).to.deep.equal([
        ['settle-capture', 3, 'ch_s'],
      ]);
    });

    it('repairs a pending settle-refund, a pending release and a pending difference authorization', () => {
      const refund = reconcile(
        settledSaga({ 'settle-refund': waiting(500, 4, 'pi_r') }, [
          {
            authorizationId: 'pi_r',
            authorized: 5_000,
            captured: 5_000,
            refunded: 0,
            released: false,
          },
          {
            authorizationId: 'pi_s',
            authorized: 2_000,
            captured: 2_000,
            refunded: 2_000,
            released: false,
          },
        ]),
        books([first, second]),
      );
      expect(refund.findings).to.deep.equal([]);
      expect(refund.repairs.map((r) => [r.step, r.providerId])).to.deep.equal([
        ['settle-refund', 're_3'],
      ]);

      const open = {
        authorizationId: 'pi_s',
        authorized: 2_000,
        captured: 0,
        refunded: 0,
        released: false,
      };
      const release = reconcile(
        settledSaga({ 'settle-auth-cancel': waiting(null, 1, 'pi_s') }, [
          {
            authorizationId: 'pi_r',
            authorized: 5_000,
            captured: 5_000,
            refunded: 500,
            released: false,
          },
          open,
        ]),
        books([first, pi({ authorizationId: 'pi_s', amount: EUR(2_000), status: 'cancelled' })]),
      );
      expect(release.findings).to.deep.equal([]);
      expect(release.repairs.map((r) => [r.step, r.providerId])).to.deep.equal([
        ['settle-auth-cancel', 'pi_s'],
      ]);

      const authorize = reconcile(
        settledSaga({ 'settle-auth': waiting(2_000, 2) }, [
          {
            authorizationId: 'pi_r',
            authorized: 5_000,
            captured: 5_000,
            refunded: 500,
            released: false,
          },
        ]),
        books([first, pi({ authorizationId: 'pi_new', amount: EUR(2_000) })]),
      );
      expect(authorize.findings).to.deep.equal([]);
      expect(authorize.repairs.map((r) => [r.step, r.attempt, r.providerId])).to.deep.equal([
        ['settle-auth', 2, 'pi_new'],
      ]);
    });

    it('reports each way the settlement and the provider can disagree', () => {
      const kinds = (b: ProviderBooks, l = settledSaga()) =>
        reconcile(l, b).findings.map((f) => [
          f.kind,
          'authorizationId' in f ? f.authorizationId : '',
        ]);
      // A refund the log does not know on the first PaymentIntent.
      expect(
        kinds(
          books([
            {
              ...first,
              refunded: EUR(900),
              refunds: [...first.refunds, { refundId: 're_u', amount: EUR(400) }],
            },
            second,
          ]),
        ),
      ).to.deep.equal([['refunds_differ', 'pi_r']]);
      // The difference captured for another amount.
      expect(kinds(books([first, { ...second, captured: EUR(1_800) }]))).to.deep.equal([
        ['captured_amount_differs', 'pi_s'],
      ]);
      // The difference's capture the provider never made.
      expect(
        kinds(
          books([first, { ...second, captured: EUR(0), captureId: null, refunded: EUR(2_000) }]),
        ),
      ).to.deep.equal([['capture_missing_at_provider', 'pi_s']]);
      // The difference's PaymentIntent unknown to the provider.
      expect(kinds(books([first]))).to.deep.equal([['authorization_missing_at_provider', 'pi_s']]);
      // A second PaymentIntent for the booking the log never asked for.
      expect(
        kinds(books([first, second, pi({ authorizationId: 'pi_z', amount: EUR(300) })])),
      ).to.deep.equal([['authorization_not_in_log', 'pi_z']]);
      // An open difference authorization that lapsed at the provider.
      const openLog = settledSaga({}, [
        {
          authorizationId: 'pi_r',
          authorized: 5_000,
          captured: 5_000,
          refunded: 500,
          released: false,
        },
        { authorizationId: 'pi_s', authorized: 2_000, captured: 0, refunded: 0, released: false },
      ]);
      expect(
        kinds(
          books([first, pi({ authorizationId: 'pi_s', amount: EUR(2_000), status: 'cancelled' })]),
          openLog,
        ),
      ).to.deep.equal([['authorization_lapsed', 'pi_s']]);
    });
  });
});
