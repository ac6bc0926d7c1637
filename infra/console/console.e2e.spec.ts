import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_RESOURCES } from '../composition/demoCatalog.ts';
import { loadConfig } from '../config/config.ts';
import { startServer, type RunningServer } from '../main.ts';
import { createPool, quoteIdentifier } from '../postgres/pool.ts';
import { TEST_DATABASE_URL } from '../postgres/testing.ts';
import { launchChromium, seriousViolations } from './testing/browser.ts';
import { ensureConsoleBuilt } from './testing/buildConsole.ts';
import { CONSOLE_CSP } from './consoleStatic.ts';

/** Where the screenshots go: docs/console with CONSOLE_SCREENSHOTS=docs/console, else .data. */
const SHOTS = process.env['CONSOLE_SCREENSHOTS'] ?? '.data/console-screenshots';
const FROM = '2027-03-01';
const PASSWORD = 'console-password-1234';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 16 "Shown by": the console in Debian's Chromium against the composed
 * server (every role in one process, port 0): a vendor sees a partner's hold
 * appear on the heatmap and confirms the request; an operator retries a dead
 * letter; a reservation shows its timeline and a verified chain; a vendor never
 * sees another vendor's resources; axe finds no serious violation in any view.
 */
describe('the web console in a real Chromium', function () {
  this.timeout(180_000);
  const schema = `console_${randomBytes(5).toString('hex')}`;
  const adminKey = randomBytes(24).toString('base64url');
  let server: RunningServer;
  let browser: Browser;
  let partner: Record<string, string>;
  const admin = { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` };
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const api = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const must = async (
    what: string,
    call: Promise<{ status: number; body: Record<string, unknown> }>,
    status: number,
  ) => {
    const r = await call;
    expect(r.status, `${what}: ${JSON.stringify(r.body)}`).to.equal(status);
    return r.body;
  };
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
      await pause(150);
    }
  };
  const stateOf = async (id: string) =>
    String((await api('GET', `/api/v1/reservations/${id}`, admin)).body['state']);
  const register = (resourceId: string, base: string, overrides: Record<string, unknown>) =>
    must(
      `register ${resourceId}`,
      api('POST', '/api/v1/resources', admin, {
        resourceId,
        ...DEMO_RESOURCES[base],
        ...overrides,
      }),
      201,
    );
  const hold = async (resourceId: string, checkIn: string, checkOut: string) =>
    String(
      (
        await must(
          'hold',
          api('POST', '/api/v1/reservations', partner, {
            resourceId,
            checkIn,
            checkOut,
            quantity: 1,
            guest: { name: 'Ada', guestId: 'ada' },
            requesterId: 'ada',
          }),
          201,
        )
      )['reservationId'],
    );

  before(async () => {
    await ensureConsoleBuilt();
    server = await startServer(
      loadConfig({
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        DATABASE_POOL_SIZE: '8',
        ADMIN_API_KEY: adminKey,
        PORT: '0',
        LOG_LEVEL: 'silent',
        RATE_LIMIT_PER_PRINCIPAL: '100000',
        SUBSCRIBER_MAX_BACKOFF_MS: '1000',
        // The first refund is declined: a final failure, dead-lettered for the operator.
        PAYMENT_SIMULATOR_SCRIPT: JSON.stringify([
          { operation: 'refund', failure: 'decline', times: 1 },
        ]),
      }),
      pino({ level: 'silent' }),
    );
    const loft = DEMO_RESOURCES['demo-ber-loft'];
    await register('loft-a', 'demo-ber-loft', {
      vendorId: 'vendor-a',
      vendorDeposit: null,
      listing: { ...loft?.listing, name: 'Loft of vendor A' },
    });
    await register('walk-a', 'demo-ber-dog-walk', {
      vendorId: 'vendor-a',
      confirmationPolicy: 'instant',
      horizonDays: 365,
      listing: { ...DEMO_RESOURCES['demo-ber-dog-walk']?.listing, name: 'Walk of vendor A' },
    });
    await register('sea-b', 'demo-tlv-sea-view', {
      vendorId: 'vendor-b',
      listing: { ...DEMO_RESOURCES['demo-tlv-sea-view']?.listing, name: 'Sea room of vendor B' },
    });
    for (const [email, role, vendorId] of [
      ['a@vendor.test', 'vendor', 'vendor-a'],
      ['b@vendor.test', 'vendor', 'vendor-b'],
      ['ops@console.test', 'admin', undefined],
    ] as const) {
      await must(
        `user ${email}`,
        api('POST', '/api/v1/admin/users', admin, {
          email,
          password: PASSWORD,
          role,
          ...(vendorId ? { vendorId } : {}),
        }),
        201,
      );
    }
    const key = await must(
      'partner key',
      api('POST', '/api/v1/admin/api-keys', admin, {
        role: 'partner',
        partnerId: 'console-partner',
        label: 'console test partner',
      }),
      201,
    );
    partner = {
      'content-type': 'application/json',
      authorization: `Bearer ${String(key['apiKey'])}`,
    };
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    const pool = createPool({ connectionString: TEST_DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors, 'no script error and no CSP refusal in the page').to.deep.equal([]);
  });

  const openAs = async (email: string, path: string, lang = 'en'): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text()))
        pageErrors.push(message.text());
    });
    await page.goto(
      `${server.url}${path}${path.includes('?') ? '&' : '?'}from=${FROM}&lang=${lang}`,
    );
    await page.getByLabel(lang === 'he' ? 'דוא״ל' : 'Email').fill(email);
    await page.getByLabel(lang === 'he' ? 'סיסמה' : 'Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('main h1').waitFor();
    return page;
  };
  const expectAccessible = async (page: Page, view: string) => {
    const violations = await seriousViolations(page);
    expect(violations, `${view}: ${JSON.stringify(violations, null, 1)}`).to.deep.equal([]);
  };
  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('serves the console pre-built with CSP and cache headers, and deep links fall back to the app', async () => {
    const index = await fetch(`${server.url}/console/reservations/r-deep-link`);
    expect(index.status).to.equal(200);
    expect(index.headers.get('content-security-policy')).to.equal(CONSOLE_CSP);
    expect(index.headers.get('cache-control')).to.equal('no-cache');
    const html = await index.text();
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset, html).to.be.a('string');
    const js = await fetch(`${server.url}${asset ?? ''}`);
    expect(js.status).to.equal(200);
    expect(js.headers.get('cache-control')).to.include('immutable');
    expect((await fetch(`${server.url}/console/assets/missing.js`)).status).to.equal(404);
  });

  it('shows a vendor a partner’s hold live on the heatmap, and confirms the request from the console', async () => {
    const page = await openAs('a@vendor.test', '/console/vendor');
    const cell = page.locator('[data-resource="loft-a"] [data-slot="2027-03-03"]');
    await cell.waitFor();
    expect(await cell.getAttribute('data-held')).to.equal('0');

    const id = await hold('loft-a', '2027-03-03', '2027-03-05');
    await page.waitForSelector('[data-resource="loft-a"] [data-slot="2027-03-03"][data-held="1"]', {
      timeout: 15_000,
    });
    await waitFor('the request to await the vendor', async () =>
      (await stateOf(id)) === 'AWAITING_VENDOR_CONFIRMATION' ? true : undefined,
    );
    const row = page.locator(`[data-testid="pending"] [data-reservation="${id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await shoot(page, 'vendor');
    await expectAccessible(page, 'vendor view');

    // By keyboard: focus the row's Confirm button and press Enter.
    await row.getByRole('button', { name: /^Confirm/ }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByTestId('confirmation-outcome')
      .filter({ hasText: 'CONFIRMED_BY_VENDOR' })
      .waitFor();
    // The saga moves on to the requester's payment.
    await waitFor('the requester to be asked to pay', async () =>
      (await stateOf(id)) === 'AWAITING_REQUESTER_AUTH' ? true : undefined,
    );
    await row.waitFor({ state: 'detached', timeout: 15_000 });

    // Close the night from the grid: the cell turns closed.
    await page.locator('[data-resource="loft-a"] [data-slot="2027-03-10"]').click();
    await page.getByRole('group').getByRole('button', { name: 'Close' }).click();
    await page.waitForSelector(
      '[data-resource="loft-a"] [data-slot="2027-03-10"][data-closed="true"]',
    );
    // The timed resource's slot grid of the day: close 08:00 from it.
    const grid = page.locator('table.grid[data-resource="walk-a"]');
    const eight = grid.locator('[data-slot="2027-03-01T08:00"]');
    await eight.waitFor();
    expect(await eight.locator('td').first().textContent()).to.equal('1');
    await eight.getByRole('button').click();
    await page
      .getByRole('group', { name: /Walk of vendor A .* 08:00/ })
      .getByRole('button', { name: 'Close' })
      .click();
    await grid.locator('[data-slot="2027-03-01T08:00"].closed-row').waitFor();
    // …and a night's capacity changes from the heatmap's panel.
    await page.locator('[data-resource="loft-a"] [data-slot="2027-03-11"]').click();
    const night = page.getByRole('group', { name: /Loft of vendor A/ });
    await night.getByLabel('Capacity').fill('7');
    await night.getByRole('button', { name: 'Set capacity' }).click();
    await page.waitForSelector('[data-resource="loft-a"] [data-slot="2027-03-11"]:has-text("/7")');
  });

  it('never shows a vendor another vendor’s resources', async () => {
    const page = await openAs('b@vendor.test', '/console/vendor');
    await page.locator('[data-resource="sea-b"]').first().waitFor();
    const text = await page.getByTestId('vendor-resources').textContent();
    expect(text).to.include('Sea room of vendor B').and.not.include('Loft of vendor A');
    expect(await page.locator('[data-resource="loft-a"]').count()).to.equal(0);
    // Nor can it read the other vendor's inventory with its own token (the console's only door).
    const token = await must(
      'vendor b login',
      api(
        'POST',
        '/api/v1/auth/login',
        { 'content-type': 'application/json' },
        {
          email: 'b@vendor.test',
          password: PASSWORD,
        },
      ),
      200,
    );
    const other = await api('GET', `/api/v1/inventory/query?sku=loft-a&dates=${FROM}/2027-03-08`, {
      authorization: `Bearer ${String(token['accessToken'])}`,
    });
    expect(other.status).to.equal(403);
  });

  it('lets an operator see projections and retry a dead letter, which leaves the list', async () => {
    const id = await hold('sea-b', '2027-03-20', '2027-03-22');
    await waitFor('the saga to ask for payment', async () =>
      (await stateOf(id)) === 'AWAITING_REQUESTER_AUTH' ? true : undefined,
    );
    await must(
      'confirm',
      api(
        'POST',
        `/api/v1/reservations/${id}/confirm`,
        { ...partner, 'idempotency-key': `c-${id}` },
        {
          paymentMethod: 'pm_card_visa',
        },
      ),
      202,
    );
    await waitFor('the booking', async () =>
      (await stateOf(id)) === 'CONFIRMED' ? true : undefined,
    );
    await must(
      'cancel',
      api('POST', `/api/v1/bookings/${id}/cancel`, partner, { reason: 'Plans changed.' }),
      200,
    );

    const page = await openAs('ops@console.test', '/console/operator');
    await page.getByTestId('projections').locator('tbody tr').first().waitFor();
    const row = page.locator(`[data-testid="dead-letters"] [data-reservation="${id}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.textContent()).to.include('refund');
    await shoot(page, 'operator');
    await expectAccessible(page, 'operator view');

    const listed = await must(
      'dead letters',
      api('GET', '/api/v1/admin/payments/dead-letters', admin),
      200,
    );
    const dead = (
      listed['deadLetters'] as { reservationId: string; steps: { step: string }[] }[]
    ).find((d) => d.reservationId === id);
    const deadStep = dead?.steps[0]?.step ?? '';
    expect(deadStep).to.match(/refund$/);
    await row.getByRole('button', { name: /^Retry/ }).click();
    await page.getByTestId('retry-outcome').filter({ hasText: 'refund' }).waitFor();
    await row.waitFor({ state: 'detached', timeout: 20_000 });
    const refunds = await waitFor('the refund to succeed', async () => {
      const detail = await api('GET', `/api/v1/reservations/${id}`, admin);
      const state = detail.body['paymentState'] as { steps: Record<string, { status: string }> };
      const refunds = Object.entries(state.steps).filter(([step]) => step.endsWith('refund'));
      return refunds.length > 0 && refunds.every(([, s]) => s.status === 'succeeded')
        ? refunds
        : undefined;
    });
    expect(refunds.map(([step]) => step)).to.include(deadStep);
  });

  it('opens a reservation: timeline, quote with factors and taxes, ledger, events and a verified chain', async () => {
    const id = await hold('sea-b', '2027-03-24', '2027-03-26');
    await waitFor('the saga to ask for payment', async () =>
      (await stateOf(id)) === 'AWAITING_REQUESTER_AUTH' ? true : undefined,
    );
    await must(
      'confirm',
      api(
        'POST',
        `/api/v1/reservations/${id}/confirm`,
        { ...partner, 'idempotency-key': `c-${id}` },
        {
          paymentMethod: 'pm_card_visa',
        },
      ),
      202,
    );
    await waitFor('the booking', async () =>
      (await stateOf(id)) === 'CONFIRMED' ? true : undefined,
    );
    const page = await openAs('ops@console.test', `/console/reservations/${id}`);
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    expect(await timeline.locator('li').count()).to.be.greaterThan(0);
    const states = await timeline.locator('li strong').allTextContents();
    expect(states[0]).to.equal('HELD');
    expect(states).to.include('CONFIRMED');
    await page.getByTestId('ledger').locator('tbody tr').first().waitFor();
    await page
      .getByTestId('chain-badge')
      .filter({ hasText: 'Chain verified' })
      .waitFor({ timeout: 30_000 });
    const quote = await page.getByTestId('quote').textContent();
    expect(quote).to.include('vat').and.include('accommodation').and.include('₪');
    expect(await page.getByTestId('events').locator('tbody tr').count()).to.be.greaterThan(0);
    await shoot(page, 'reservation');
    await expectAccessible(page, 'reservation page');
  });

  it('names a subscriber stalled on a poison event in the operator view until the event is fixed', async () => {
    const pool = createPool({ connectionString: TEST_DATABASE_URL, schema, max: 1 });
    try {
      const poisonId = randomUUID();
      await pool.query(
        `INSERT INTO events (stream_name, category, stream_revision, event_id, event_type, schema_version, data, metadata)
         VALUES ('slot-poison-x.2027-05-01', 'slot', 0, $1, 'SlotOpened', 1, '{"bogus": true}', '{}')`,
        [poisonId],
      );
      const page = await openAs('ops@console.test', '/console/operator');
      const stalls = page.getByTestId('stalls');
      await stalls.filter({ hasText: poisonId }).waitFor({ timeout: 30_000 });
      expect(await stalls.textContent())
        .to.include('availability')
        .and.include('SlotOpened')
        .and.include('slot-poison-x.2027-05-01');
      await page.locator('tr.stalled', { hasText: 'availability' }).waitFor();
      await expectAccessible(page, 'operator view with a stall');
      // The fix: the row is corrected; the subscriber's next retry passes and the list empties.
      await pool.query('UPDATE events SET data = $2 WHERE event_id = $1', [
        poisonId,
        {
          resourceId: 'poison-x',
          slotKey: '2027-05-01',
          capacity: 1,
          openedAt: '2027-04-20T10:00:00.000Z',
        },
      ]);
      await page.getByText('No subscriber is stalled.').waitFor({ timeout: 60_000 });
    } finally {
      await pool.end();
    }
  });

  it('lays out right to left in Hebrew and stays usable at 200% zoom', async () => {
    const page = await openAs('a@vendor.test', '/console/vendor', 'he');
    expect(await page.evaluate('document.documentElement.dir')).to.equal('rtl');
    expect(await page.evaluate('document.documentElement.lang')).to.equal('he');
    await page.locator('[data-resource="loft-a"]').first().waitFor();
    await shoot(page, 'vendor-he');
    await expectAccessible(page, 'vendor view (he)');

    // 200% zoom: half the CSS viewport at twice the pixel density.
    const zoomed = await browser.newContext({
      viewport: { width: 640, height: 900 },
      deviceScaleFactor: 2,
    });
    contexts.push(zoomed);
    const small = await zoomed.newPage();
    await small.goto(`${server.url}/console/?from=${FROM}`);
    await small.getByLabel('Email').fill('a@vendor.test');
    await small.getByLabel('Password').fill(PASSWORD);
    await small.getByRole('button', { name: 'Log in' }).click();
    await small.locator('[data-resource="loft-a"]').first().waitFor();
    const overflow = await small.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow, 'no page-wide horizontal scrolling at 200%').to.be.at.most(0);
    await small.screenshot({ path: join(SHOTS, 'vendor-200.png') });
  });
});
