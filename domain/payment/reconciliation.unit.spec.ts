import { expect } from 'chai';
import type { Money } from '../shared/money.ts';
import { reconcile, type ProviderAuthorization, type ProviderBooks } from './reconciliation.ts';
import type { RunningSaga, StepState } from './sagaState.ts';

const EUR = (amount: number): Money => ({ amount, currency: 'EUR' });
const ok = (providerId: string, amount: number | null = null): StepState => ({
  status: 'succeeded',
  attempt: 1,
  amount: amount === null ? null : EUR(amount),
  providerId,
});
const waiting = (amount: number | null, attempt = 1): StepState => ({
  status: 'pending',
  attempt,
  amount: amount === null ? null : EUR(amount),
  target: 'pi_r',
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
});
