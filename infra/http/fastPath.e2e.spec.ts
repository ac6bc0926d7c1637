import { expect } from 'chai';
import { sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { startReadTestApp, type ReadTestApp } from '../readSide/testing/readTestApp.ts';
import { bearer, postJson } from './testing.ts';

/** Headers a client can act on; Date and the connection headers differ per response by nature. */
const HEADERS_THAT_MATTER = [
  'content-type',
  'content-length',
  'etag',
  'cache-control',
  'x-request-id',
  'x-projection-position',
  'x-ratelimit-limit',
  'www-authenticate',
  'retry-after',
];

interface Seen {
  status: number;
  body: unknown;
  headers: Record<string, string | null>;
}

const fetchBoth = async (
  app: ReadTestApp,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) => {
  const one = async (base: string): Promise<Seen> => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { 'x-request-id': 'parity-1', ...init.headers },
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? '' : (JSON.parse(text) as unknown),
      headers: Object.fromEntries(
        HEADERS_THAT_MATTER.map((name) => [name, response.headers.get(name)]),
      ),
    };
  };
  return { express: await one(app.expressUrl), fast: await one(app.fastUrl) };
};

/** The one value that must differ: how long the computation took. Its digits change the length and ETag too. */
const withoutTiming = (seen: Seen): Seen => {
  const body = seen.body as { metadata?: { computationTimeMs?: number } };
  if (body.metadata?.computationTimeMs === undefined) return seen;
  expect(body.metadata.computationTimeMs).to.be.a('number');
  const { computationTimeMs: _time, ...metadata } = body.metadata;
  return {
    ...seen,
    body: { ...body, metadata },
    headers: { ...seen.headers, 'content-length': null, etag: null },
  };
};

describe('the fast path answers exactly like Express', function () {
  this.timeout(30_000);
  let app: ReadTestApp;
  let partner: string;
  let analyst: string;
  let position: string;

  before(async () => {
    app = await startReadTestApp();
    partner = (await app.createPartnerKey()).key;
    const created = await postJson(
      `${app.expressUrl}/api/v1/admin/api-keys`,
      { role: 'analyst', label: 'parity' },
      bearer(app.adminKey),
    );
    analyst = ((await created.json()) as { apiKey: string }).apiKey;
    const registered = await postJson(
      `${app.expressUrl}/api/v1/resources`,
      {
        ...sampleTimed({
          vendorId: 'vendor-parity',
          taxJurisdiction: { country: 'DE', eilatDealer: false },
        }),
        resourceId: 'svc-parity',
      },
      bearer(app.adminKey),
    );
    position = ((await registered.json()) as { position: string }).position;
  });
  after(async () => app.close());

  const availability =
    '/api/v1/vendors/vendor-parity/availability?startTime=2026-12-03T14:00:00Z&endTime=2026-12-03T18:00:00Z&includeConfidence=true';
  const cases: [
    string,
    () => [string, { method?: string; headers?: Record<string, string>; body?: string }],
  ][] = [
    [
      'availability with X-Min-Position',
      () => [availability, { headers: { ...bearer(partner), 'x-min-position': position } }],
    ],
    [
      'availability, path in another case and a trailing slash',
      () => [
        availability.replace('/vendors/', '/Vendors/').replace('/availability?', '/availability/?'),
        { headers: bearer(partner) },
      ],
    ],
    [
      'search',
      () => [
        '/api/v1/search?checkIn=2026-12-03&checkOut=2026-12-04&kind=timed',
        { headers: { ...bearer(partner), 'x-min-position': position } },
      ],
    ],
    [
      'invalid query (400 with every issue)',
      () => [
        '/api/v1/search?checkIn=tomorrow&limit=1000&sort=cheapest',
        { headers: bearer(partner) },
      ],
    ],
    [
      'repeated query parameter',
      () => [
        '/api/v1/search?checkIn=2026-12-03&checkIn=2026-12-04&checkOut=2026-12-05',
        { headers: bearer(partner) },
      ],
    ],
    [
      'bad X-Min-Position',
      () => [availability, { headers: { ...bearer(partner), 'x-min-position': '12' } }],
    ],
    ['no credentials (401)', () => [availability, {}]],
    ['a wrong credential (401)', () => [availability, { headers: bearer('not-a-key') }]],
    ['a role the route does not allow (403)', () => [availability, { headers: bearer(analyst) }]],
    [
      'unknown vendor (404)',
      () => [availability.replace('vendor-parity', 'nobody'), { headers: bearer(partner) }],
    ],
    [
      'a route the fast path does not serve',
      () => [
        '/api/v1/pricing/quote?resourceId=svc-parity&slotStart=2026-12-03T14:00:00Z&slotEnd=2026-12-03T15:00:00Z',
        { headers: bearer(partner) },
      ],
    ],
    [
      'a POST to a fast path',
      () => [
        '/api/v1/search',
        {
          method: 'POST',
          headers: { ...bearer(partner), 'content-type': 'application/json' },
          body: '{}',
        },
      ],
    ],
    ['an unknown path', () => ['/api/v1/nowhere', { headers: bearer(partner) }]],
  ];

  for (const [name, build] of cases) {
    it(name, async () => {
      const [path, init] = build();
      const { express, fast } = await fetchBoth(app, path, init);
      expect(withoutTiming(fast)).to.deep.equal(withoutTiming(express));
    });
  }

  it('answers If-None-Match with the same ETag and 304', async () => {
    const path = '/api/v1/search?checkIn=2026-12-03&checkOut=2026-12-04&kind=timed';
    const first = await fetchBoth(app, path, { headers: bearer(partner) });
    const etag = String(first.express.headers['etag']);
    expect(first.fast.headers['etag']).to.equal(etag);
    // fetch adds "Cache-Control: no-cache" to conditional requests unless one is given, and no-cache forbids a 304.
    const conditional = { ...bearer(partner), 'if-none-match': etag, 'cache-control': 'max-age=0' };
    const second = await fetchBoth(app, path, { headers: conditional });
    expect(second.express.status).to.equal(304);
    expect(second.fast).to.deep.equal(second.express);
  });
});

describe('the fast path rate-limits like Express', function () {
  this.timeout(30_000);
  let app: ReadTestApp;
  before(async () => {
    app = await startReadTestApp({ perIp: { limit: 1, windowSeconds: 60 } });
  });
  after(async () => app.close());

  it('refuses the request past the per-IP window with the same 429 envelope and headers', async () => {
    const path = '/api/v1/search?checkIn=2026-12-03&checkOut=2026-12-04';
    expect((await fetch(`${app.expressUrl}${path}`)).status).to.equal(401);
    const [viaExpress, viaFast] = await Promise.all(
      [app.expressUrl, app.fastUrl].map(async (base) => {
        const response = await fetch(`${base}${path}`);
        return {
          status: response.status,
          body: (await response.json()) as { error: { code: string; retryable: boolean } },
          limit: response.headers.get('x-ratelimit-limit'),
          remaining: response.headers.get('x-ratelimit-remaining'),
          retryAfter: response.headers.get('retry-after'),
        };
      }),
    );
    expect(viaExpress?.status).to.equal(429);
    expect(viaFast).to.deep.equal(viaExpress);
  });
});
