import { randomBytes, randomUUID } from 'node:crypto';
import { getWriteRoutes } from '../../commands/routes.ts';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import { createResourceCache } from '../../commands/shared/resourceCache.ts';
import { createStreamLanes } from '../../commands/shared/streamLanes.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import { createManualClock, testIds } from '../../commands/shared/testing/fixedIds.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import type { RouteModule } from '../../commands/shared/route.ts';
import type { TestDatabase } from '../postgres/testing.ts';
import type { GuestKeyStore } from '../pii/guestKeyStore.ts';
import { parsePiiMasterKey, type PiiMasterKey } from '../pii/masterKey.ts';
import { createPersonalDataStore } from '../pii/personalDataStore.ts';
import {
  bearer,
  postJson,
  startTestApp,
  type TestApp,
  type TestAppOptions,
} from '../http/testing.ts';

export interface WriteTestApp extends TestApp {
  readonly store: EventStore;
  /** The real PII store over the test's schema, with a random master key made for this app. */
  readonly pii: { readonly masterKey: PiiMasterKey; readonly keys: GuestKeyStore };
  readonly clock: ReturnType<typeof createManualClock>;
  readonly writeSide: WriteSide;
  /** A fresh partner API key (role partner, its own partnerId). */
  createPartnerKey(partnerId?: string): Promise<{ key: string; partnerId: string }>;
  /** A fresh vendor user and its access token. */
  createVendorToken(vendorId?: string): Promise<{ token: string; vendorId: string }>;
}

export interface WriteTestAppOptions extends Omit<TestAppOptions, 'routes' | 'now'> {
  /** false runs the PostgreSQL store without atomic multi-stream appends (the ordered-claim path). */
  readonly atomicMultiStreamAppend?: boolean;
  /** Where the manual clock starts (default 2026-12-01T09:00:00Z). */
  readonly start?: string;
  readonly extraRoutes?: (writeSide: WriteSide, db: TestDatabase) => readonly RouteModule[];
  readonly holdCap?: WriteSide['holdCap'];
  /** Optional write-side parts that need the test's database (e.g. holdWebhooks). */
  readonly writeSideExtras?: (
    db: TestDatabase,
  ) => Pick<WriteSide, 'holdWebhooks' | 'paymentAnswerWaitMs'>;
}

/**
 * The HTTP app with every write route over a fresh schema, the real PostgreSQL
 * event store and a manual clock — what the write side's e2e tests run against.
 */
export const startWriteTestApp = async (
  options: WriteTestAppOptions = {},
): Promise<WriteTestApp> => {
  const clock = createManualClock(options.start ?? '2026-12-01T09:00:00.000Z');
  let built: { store: EventStore; writeSide: WriteSide; pii: WriteTestApp['pii'] } | undefined;
  const masterKey = parsePiiMasterKey(randomBytes(32).toString('base64'));
  const app = await startTestApp({
    ...options,
    now: () => clock.now(),
    routes: (db) => {
      const store = getPostgresEventStore(db.pool, {
        schema: db.schema,
        connectionString: db.connectionString,
        atomicMultiStreamAppend: options.atomicMultiStreamAppend ?? true,
      });
      const piiStore = createPersonalDataStore({
        db: db.pool,
        masterKey,
        store,
        codec: domainEventCodec,
      });
      const writeSide: WriteSide = {
        store,
        personalData: piiStore.vault,
        guestDirectory: piiStore.directory,
        codec: domainEventCodec,
        ids: testIds,
        clock,
        resourceCache: createResourceCache(),
        lanes: createStreamLanes(),
        ...(options.holdCap ? { holdCap: options.holdCap } : {}),
        ...options.writeSideExtras?.(db),
      };
      built = { store, writeSide, pii: { masterKey, keys: piiStore.keys } };
      return [...getWriteRoutes(writeSide), ...(options.extraRoutes?.(writeSide, db) ?? [])];
    },
  });
  if (!built) throw new Error('startTestApp did not build the routes.');
  const { store, writeSide, pii } = built;
  const adminHeaders = bearer(app.adminKey);
  return {
    ...app,
    store,
    clock,
    writeSide,
    pii,
    createPartnerKey: async (partnerId = `partner-${randomUUID().slice(0, 8)}`) => {
      const response = await postJson(
        `${app.baseUrl}/api/v1/admin/api-keys`,
        { role: 'partner', partnerId, label: `test ${partnerId}` },
        adminHeaders,
      );
      const body = (await response.json()) as { apiKey: string };
      return { key: body.apiKey, partnerId };
    },
    createVendorToken: async (vendorId = `vendor-${randomUUID().slice(0, 8)}`) => {
      const email = `${vendorId}@example.test`;
      const password = `pw-${randomUUID()}`;
      await postJson(
        `${app.baseUrl}/api/v1/admin/users`,
        { email, password, role: 'vendor', vendorId },
        adminHeaders,
      );
      const login = await postJson(`${app.baseUrl}/api/v1/auth/login`, { email, password });
      const body = (await login.json()) as { accessToken: string };
      return { token: body.accessToken, vendorId };
    },
  };
};
