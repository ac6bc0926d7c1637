import { expect } from 'chai';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventCodec } from '../../commands/shared/eventCodec.ts';
import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { createPersonalDataStore, openSealed } from './personalDataStore.ts';
import { loadPiiMasterKey, parsePiiMasterKey } from './masterKey.ts';

const masterKey = parsePiiMasterKey(randomBytes(32).toString('hex'));
/** The log is faked here (the e2e spec uses the real one): events are decoded as stored. */
const asStored: EventCodec = {
  schemaVersionOf: () => 4,
  encode: (_type, data) => ({ schemaVersion: 4, data }),
  decode: (type, _version, data) => ({ type, data }),
};
const ada = { name: 'Ada Lovelace', email: 'ada@example.test', phone: '+44 20 7946 0000' };

describe('PII store: sealing, opening and erasing guest personal data (PostgreSQL)', () => {
  let db: TestDatabase;
  // The directory reads the log; here the log is a map of sealed first events.
  const log = new Map<string, unknown>();
  const store = {
    readStream: (stream: string) => {
      const data = log.get(stream.replace(/^reservation-/, ''));
      return Promise.resolve(
        data === undefined
          ? []
          : [
              {
                eventId: randomUUID(),
                stream,
                revision: 0,
                position: '1:1',
                type: 'ReservationRequested',
                schemaVersion: 4,
                data: { personalData: data },
                metadata: {},
                recordedAt: new Date().toISOString(),
              } as unknown as RecordedEvent,
            ],
      );
    },
  };
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.dispose();
  });

  it('generates the master key once into its file (mode 0600) and reads it back', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'pii-')), 'nested', 'pii-master-key');
    const first = await loadPiiMasterKey({ file });
    const again = await loadPiiMasterKey({ file });
    expect(again.id).to.equal(first.id);
    expect(first.key).to.have.length(32);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect((await readFile(file, 'utf8')).trim()).to.not.include('Ada');
    expect(() => parsePiiMasterKey('too-short')).to.throw(/PII_MASTER_KEY/);
  });

  it('seals with one key per guest, binds the ciphertext to its reservation, and erases by destroying the key', async () => {
    const pii = createPersonalDataStore({ db: db.pool, masterKey, store, codec: asStored });
    const guestId = `g-${randomUUID()}`;
    const [r1, r2] = [randomUUID(), randomUUID()];
    const s1 = await pii.vault.seal(guestId, r1, ada);
    const s2 = await pii.vault.seal(guestId, r2, { ...ada, specialRequests: 'late arrival' });
    expect(s1.keyId).to.equal(s2.keyId);
    expect(JSON.stringify(s1)).to.not.match(/Ada|ada@|7946/);
    log.set(r1, s1);
    log.set(r2, s2);

    // Moved onto another reservation, the ciphertext does not open (GCM associated data).
    const live = await pii.keys.lookup(s1.keyId);
    if (live.status !== 'live') throw new Error('expected a live key');
    expect(() => openSealed(live.dataKey.key, s1, r2)).to.throw();

    expect(await pii.directory.personalDataOf(r1)).to.deep.equal({
      status: 'present',
      guestId,
      data: ada,
    });
    expect(await pii.directory.personalDataOf(randomUUID())).to.deep.equal({ status: 'none' });

    const erased = await pii.vault.erase(guestId, new Date('2026-12-02T10:00:00.000Z'));
    expect(erased.erasureId).to.match(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(erased).to.deep.equal({
      guestId,
      erasureId: erased.erasureId,
      keyIds: [s1.keyId],
      newlyErased: [s1.keyId],
      erasedAt: '2026-12-02T10:00:00.000Z',
    });
    for (const r of [r1, r2]) {
      expect(await pii.directory.personalDataOf(r)).to.deep.equal({
        status: 'erased',
        guestId,
        erasedAt: '2026-12-02T10:00:00.000Z',
      });
    }
    const again = await pii.vault.erase(guestId, new Date('2026-12-03T10:00:00.000Z'));
    expect(again).to.deep.equal({ ...erased, newlyErased: [] });
    const { rows } = await db.pool.query<{ wrapped_key: Buffer | null }>(
      'SELECT wrapped_key FROM pii_guest_keys WHERE key_id = $1',
      [s1.keyId],
    );
    expect(rows[0]?.wrapped_key).to.equal(null);

    // A later booking of the same guest gets a fresh key; the erased data stays erased.
    const r3 = randomUUID();
    const s3 = await pii.vault.seal(guestId, r3, ada);
    expect(s3.keyId).to.not.equal(s1.keyId);
    log.set(r3, s3);
    expect((await pii.directory.personalDataOf(r3)).status).to.equal('present');
    expect((await pii.directory.personalDataOf(r1)).status).to.equal('erased');
  });

  it('refuses to open keys wrapped under another master key, naming both', async () => {
    const pii = createPersonalDataStore({ db: db.pool, masterKey, store, codec: asStored });
    const guestId = `g-${randomUUID()}`;
    const r = randomUUID();
    log.set(r, await pii.vault.seal(guestId, r, ada));
    const other = createPersonalDataStore({
      db: db.pool,
      masterKey: parsePiiMasterKey(randomBytes(32).toString('base64')),
      store,
      codec: asStored,
    });
    let message = '';
    await other.directory.personalDataOf(r).catch((error: Error) => {
      message = error.message;
    });
    expect(message).to.include(masterKey.id);
  });
});
