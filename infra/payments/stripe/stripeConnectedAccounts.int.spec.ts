import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import {
  getPayoutAccount,
  registerPayoutAccount,
  type PayoutAccountDeps,
} from '../../../commands/managingPayoutAccounts/handler.ts';
import { domainEventCodec } from '../../../commands/shared/eventCodec.ts';
import { createManualClock, testIds } from '../../../commands/shared/testing/fixedIds.ts';
import { DEFAULT_SAGA_OPTIONS } from '../../../domain/payment/sagaDecider.ts';
import { getInMemoryEventStore } from '../../eventStore/memory/inMemoryEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { getPostgresPayoutAccounts } from '../payoutAccounts/postgresPayoutAccounts.ts';
import { startLocalStripeServer, type LocalStripeServer } from './localStripeServer.ts';
import { getStripeConnectedAccounts } from './stripeConnectedAccounts.ts';
import { createStripeClient } from './stripePaymentGateway.ts';

describe('Stripe Connect onboarding through the real SDK against the local Stripe double', () => {
  let server: LocalStripeServer;
  let db: TestDatabase;
  let deps: PayoutAccountDeps;
  const urls = {
    refreshUrl: 'https://vendors.example.test/payout/refresh',
    returnUrl: 'https://vendors.example.test/payout/done',
  };

  before(async () => {
    server = await startLocalStripeServer();
    db = await createTestDatabase({ max: 3, prefix: 'connect' });
    const stripe = createStripeClient({
      secretKey: 'sk_test_local_double',
      host: server.host,
      port: server.port,
      protocol: 'http',
    });
    deps = {
      store: getPostgresPayoutAccounts(db.pool),
      provider: getStripeConnectedAccounts(stripe),
      retry: {
        write: { store: getInMemoryEventStore(), codec: domainEventCodec, ids: testIds },
        clock: createManualClock('2026-12-01T09:00:00.000Z'),
        options: DEFAULT_SAGA_OPTIONS,
      },
    };
  });
  after(async () => {
    await server.close();
    await db.dispose();
  });

  it('creates one Express account per vendor, links to hosted onboarding, and turns active when Stripe enables payouts', async () => {
    const vendorId = `vendor-${randomUUID().slice(0, 8)}`;
    const first = await registerPayoutAccount(deps, vendorId, urls, 'admin');
    expect(first.created).to.equal(true);
    expect(first.account).to.include({ provider: 'stripe', status: 'onboarding' });
    expect(first.account.accountId).to.match(/^acct_/);
    expect(first.onboarding?.url).to.match(/^https:\/\/connect\.stripe\.test\/setup\//);
    const created = server.requests().filter((r) => r.path === '/v1/accounts');
    expect(created).to.have.length(1);
    expect(created[0]?.idempotencyKey).to.equal(`connect-account-${vendorId}`);
    expect(created[0]?.params).to.deep.include({
      type: 'express',
      metadata: { vendor_id: vendorId },
    });
    expect(created[0]?.params['capabilities']).to.deep.equal({
      transfers: { requested: 'true' },
    });
    const link = server.requests().filter((r) => r.path === '/v1/account_links')[0];
    expect(link?.params).to.deep.equal({
      account: first.account.accountId,
      type: 'account_onboarding',
      refresh_url: urls.refreshUrl,
      return_url: urls.returnUrl,
    });

    const again = await registerPayoutAccount(deps, vendorId, urls, 'admin');
    expect(again.created).to.equal(false);
    expect(again.account.accountId).to.equal(first.account.accountId);
    expect(server.requests().filter((r) => r.path === '/v1/accounts')).to.have.length(1);
    expect((await getPayoutAccount(deps, vendorId, 'admin')).account.status).to.equal('onboarding');

    server.completeOnboarding(first.account.accountId ?? '');
    const active = await getPayoutAccount(deps, vendorId, 'admin');
    expect(active.account.status).to.equal('active');
    expect((await deps.store.get(vendorId))?.status).to.equal('active');
    const done = await registerPayoutAccount(deps, vendorId, undefined, 'admin');
    expect(done.onboarding).to.equal(undefined);
  });

  it('asks for the onboarding URLs while the account is onboarding', async () => {
    const vendorId = `vendor-${randomUUID().slice(0, 8)}`;
    await registerPayoutAccount(deps, vendorId, urls, 'admin');
    const error = await registerPayoutAccount(deps, vendorId, undefined, 'admin').catch(
      (e: unknown) => e,
    );
    expect(error).to.have.property('code', 'INVALID_REQUEST');
  });
});
