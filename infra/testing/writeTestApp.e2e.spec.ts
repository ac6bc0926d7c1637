import { expect } from 'chai';
import { bearer } from '../http/testing.ts';
import { startWriteTestApp, type WriteTestApp } from './writeTestApp.ts';

describe('the write-side test harness', () => {
  let app: WriteTestApp;
  before(async () => {
    app = await startWriteTestApp();
  });
  after(async () => app.close());

  it('issues working partner and vendor credentials', async () => {
    const partner = await app.createPartnerKey();
    const vendor = await app.createVendorToken();
    for (const credential of [partner.key, vendor.token]) {
      // An admin-only route: an authenticated non-admin gets 403, never 401.
      const response = await fetch(`${app.baseUrl}/api/v1/admin/api-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(credential) },
        body: JSON.stringify({ role: 'partner', partnerId: 'x', label: 'x' }),
      });
      expect(response.status).to.equal(403);
    }
  });

  it('moves its clock only when told', () => {
    const before = app.clock.now().getTime();
    app.clock.advance(60_000);
    expect(app.clock.now().getTime() - before).to.equal(60_000);
  });
});
