import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { sampleNightly, sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { request } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';

/**
 * The server side of bench/httpRead.ts, in its own process so the load
 * generator does not share its event loop: the read app (Express, the one
 * HTTP layer, its own database and redis-server, the projection
 * runner) and a bare node:http server answering a fixed JSON body. Speaks a
 * line protocol on stdin/stdout: it prints one JSON line with the URLs when
 * seeded, then answers `redis-stop` with `redis-down` once reads use Postgres.
 */
const VENDOR = 'bench-vendor';
const RESOURCES = Number(process.env['BENCH_SEARCH_RESOURCES'] ?? 100);

const app = await startReadTestApp({ logLevel: 'warn', unlimited: true });
const partner = (await app.createPartnerKey()).key;
const post = (path: string, body: unknown, key = app.adminKey) =>
  request(app.expressUrl, 'POST', path, key, body);
const de = { country: 'DE', eilatDealer: false };
for (let i = 0; i < 3; i++) {
  await post('/api/v1/resources', {
    ...sampleTimed({ vendorId: VENDOR, taxJurisdiction: de }),
    resourceId: `bench-svc-${i}`,
  });
}
for (let i = 0; i < RESOURCES; i++) {
  const base = sampleNightly();
  await post('/api/v1/resources', {
    ...sampleNightly({
      vendorId: `bench-hotel-${i % 10}`,
      capacity: 5,
      pricingRules: {
        ...base.pricingRules,
        basePrice: 10_000 + 100 * i,
        dayOfWeek: [{ days: [5, 6], basisPoints: 12_500 }],
      },
      listing: {
        ...base.listing,
        name: `Bench room ${i}`,
        rating: (i % 50) / 10,
        location: { ...base.listing.location, city: 'Benchville' },
      },
    }),
    resourceId: `bench-room-${i}`,
  });
}
// Some usage, so slot rows and avail: hashes exist and Redis has a checkpoint.
let position = '';
for (let i = 0; i < 20; i++) {
  const held = await post(
    '/api/v1/reservations',
    {
      resourceId: `bench-room-${i}`,
      checkIn: '2026-12-10',
      checkOut: '2026-12-13',
      guest: { name: 'Bench' },
      requesterId: `r-${i}`,
    },
    partner,
  );
  position = String(held.body['position']);
}
const availability = `/api/v1/vendors/${VENDOR}/availability?startTime=2026-12-03T14:00:00Z&endTime=2026-12-04T00:00:00Z&includeConfidence=true`;
const search =
  '/api/v1/search?checkIn=2026-12-10&checkOut=2026-12-13&city=Benchville&sort=price&limit=20';
const inventory = '/api/v1/inventory/query?sku=bench-room-3&dates=2026-12-10/2026-12-13';
const check = {
  path: '/api/v1/bookings/availability/check',
  body: JSON.stringify({
    venue_id: 'bench-room-30',
    booking_date: '2026-12-10',
    end_date: '2026-12-13',
  }),
};
const waitFor = async (source: string) => {
  for (let i = 0; i < 300; i++) {
    const answer = await request(app.expressUrl, 'GET', availability, partner, undefined, {
      'x-min-position': position,
    });
    if ((answer.body['metadata'] as { source?: string } | undefined)?.source === source) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Reads never switched to ${source}.`);
};
await waitFor('redis');

const fixed = Buffer.from(JSON.stringify({ status: 'ok', items: [1, 2, 3] }));
const bare = createServer((_req, res) => {
  res
    .writeHead(200, { 'content-type': 'application/json', 'content-length': fixed.length })
    .end(fixed);
});
bare.listen(0, '127.0.0.1');
await once(bare, 'listening');
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

process.stdout.write(
  `${JSON.stringify({ expressUrl: app.expressUrl, bareUrl, partner, availability, search, inventory, check, resources: RESOURCES })}\n`,
);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'redis-stop') {
    await app.redis.stop();
    await waitFor('postgres');
    process.stdout.write('redis-down\n');
  } else if (line === 'exit') break;
}
bare.close();
await app.close();
process.exit(0);
