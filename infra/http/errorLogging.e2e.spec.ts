import { expect } from 'chai';
import { UnavailableError } from '../../domain/shared/errors.ts';
import { defineRoute } from '../../commands/shared/route.ts';
import { startTestApp, type TestApp } from './testing.ts';

/**
 * Issue 9 item 14: a known 503 (a setting or dependency missing, such as an
 * unconfigured STRIPE_WEBHOOK_SECRET) is logged as a warning with its code,
 * not as "unhandled error (a bug)"; a real bug still is.
 */
describe('5xx logging tells a missing setting from a bug', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      routes: [
        defineRoute({
          method: 'post',
          path: '/api/v1/test/unconfigured',
          summary: 'throws what an unconfigured webhook secret throws',
          auth: 'public',
          responses: { 503: { description: 'unconfigured' } },
          handler: () => {
            throw new UnavailableError(
              'Stripe webhooks are not configured on this server: set STRIPE_WEBHOOK_SECRET.',
              3600,
            );
          },
        }),
        defineRoute({
          method: 'post',
          path: '/api/v1/test/bug',
          summary: 'a bug',
          auth: 'public',
          responses: { 500: { description: 'bug' } },
          handler: () => Promise.reject(new TypeError('x is undefined')),
        }),
      ],
    });
  });
  after(async () => app.close());

  const linesFor = async (path: string): Promise<{ status: number; lines: string[] }> => {
    const before = app.logs.length;
    const response = await fetch(`${app.baseUrl}${path}`, { method: 'POST' });
    await response.text();
    return { status: response.status, lines: app.logs.slice(before) };
  };

  it('logs the 503 of a missing setting as a warning with its code, not as a bug', async () => {
    const { status, lines } = await linesFor('/api/v1/test/unconfigured');
    expect(status).to.equal(503);
    expect(lines.join('\n')).not.to.include('a bug');
    const warning = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['code']);
    expect(warning).to.include({ level: 40, code: 'SERVICE_UNAVAILABLE', status: 503 });
  });

  it('still logs an unknown error as a bug', async () => {
    const { status, lines } = await linesFor('/api/v1/test/bug');
    expect(status).to.equal(500);
    expect(lines.join('\n')).to.include('unhandled error (a bug)');
  });
});
