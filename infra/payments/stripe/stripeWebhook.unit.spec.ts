import { expect } from 'chai';
import Stripe from 'stripe';
import { ValidationError } from '../../../domain/shared/errors.ts';
import { verifyStripeWebhook } from './stripeWebhook.ts';

const secret = 'whsec_test_local_only_not_a_real_secret';
const payload = JSON.stringify({
  id: 'evt_local_1',
  object: 'event',
  type: 'payment_intent.amount_capturable_updated',
  created: 1_767_225_600,
  livemode: false,
  data: { object: { id: 'pi_local_1', object: 'payment_intent', amount_capturable: 5000 } },
});
const sign = (body: string, options: { secret?: string; timestamp?: number } = {}): string =>
  Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: options.secret ?? secret,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });

const refusal = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the webhook to be rejected, but it verified');
};

describe('verifyStripeWebhook', () => {
  it('accepts a body signed the way Stripe signs it (t=…,v1=…)', () => {
    const header = sign(payload);
    expect(header).to.match(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = verifyStripeWebhook(payload, header, secret);
    expect(event).to.deep.equal({
      id: 'evt_local_1',
      type: 'payment_intent.amount_capturable_updated',
      created: 1_767_225_600,
      livemode: false,
      object: { id: 'pi_local_1', object: 'payment_intent', amount_capturable: 5000 },
    });
    expect(verifyStripeWebhook(Buffer.from(payload), header, secret).id).to.equal('evt_local_1');
  });

  it('rejects a tampered body', () => {
    const header = sign(payload);
    const tampered = payload.replace('5000', '500000');
    const error = refusal(() => verifyStripeWebhook(tampered, header, secret));
    expect(error)
      .to.be.instanceOf(ValidationError)
      .with.property('code', 'WEBHOOK_SIGNATURE_INVALID');
  });

  it('rejects re-serialised JSON, another secret, a stale signature and a missing header', () => {
    const reserialised = JSON.stringify(JSON.parse(payload) as unknown, null, 2);
    const cases = [
      () => verifyStripeWebhook(reserialised, sign(payload), secret),
      () => verifyStripeWebhook(payload, sign(payload, { secret: 'whsec_other' }), secret),
      () =>
        verifyStripeWebhook(
          payload,
          sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
          secret,
        ),
      () => verifyStripeWebhook(payload, undefined, secret),
    ];
    for (const run of cases) {
      expect(refusal(run))
        .to.be.instanceOf(ValidationError)
        .with.property('code', 'WEBHOOK_SIGNATURE_INVALID');
    }
  });
});
