import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { loadStream } from '../shared/commandHandler.ts';
import { slotStream } from '../../domain/shared/streams.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import { sampleNightly, sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { resourceClient } from '../shared/testing/resourceRequests.ts';

const code = (body: Record<string, unknown>) => (body['error'] as { code: string }).code;

describe('POST /api/v1/resources/{id}/slots/close|open|capacity', () => {
  let app: WriteTestApp;
  let admin: ReturnType<typeof resourceClient>;
  before(async () => {
    app = await startWriteTestApp();
    admin = resourceClient(app.baseUrl, app.adminKey);
  });
  after(async () => app.close());

  const slotState = async (resourceId: string, key: string) =>
    (await loadStream(app.writeSide, slotStream(resourceId, key), slotDecider)).state;

  it('closes and reopens every night of an inclusive date range', async () => {
    await admin.register(sampleNightly(), 'room-s1');
    const closed = await admin.slots('room-s1', 'close', {
      dates: { from: '2026-12-24', to: '2026-12-26' },
      reason: 'renovation',
    });
    expect(closed.status).to.equal(200);
    expect(closed.body).to.include({ changed: 3, version: 1 });
    expect(closed.body['position']).to.be.a('string');
    expect(closed.body['slots']).to.deep.equal(
      ['2026-12-24', '2026-12-25', '2026-12-26'].map((slotKey) => ({
        slotKey,
        status: 'Closed',
        capacity: 2,
        version: 2,
      })),
    );
    expect((await slotState('room-s1', '2026-12-25')).status).to.equal('Closed');
    const again = await admin.slots('room-s1', 'close', { slotKeys: ['2026-12-25'], reason: 'x' });
    expect(again.body).to.include({ changed: 0 });
    const opened = await admin.slots('room-s1', 'open', { slotKeys: ['2026-12-25', '2026-12-26'] });
    expect(opened.body).to.include({ changed: 2 });
    expect((await slotState('room-s1', '2026-12-25')).status).to.equal('Open');
    expect((await slotState('room-s1', '2026-12-24')).status).to.equal('Closed');
  });

  it('overrides capacity per slot; dropping below what is held is 409 for the whole range', async () => {
    await admin.register(sampleNightly(), 'room-s2');
    const raised = await admin.slots('room-s2', 'capacity', {
      dates: { from: '2026-12-30', to: '2026-12-31' },
      capacity: 5,
    });
    expect(raised.body).to.include({ changed: 2 });
    const held = await app.store.readStream(slotStream('room-s2', '2026-12-31'));
    await app.store.append([
      {
        stream: slotStream('room-s2', '2026-12-31'),
        expectedRevision: held.length - 1,
        events: [
          {
            eventId: randomUUID(),
            type: 'SlotHeld',
            schemaVersion: 1,
            data: {
              resourceId: 'room-s2',
              slotKey: '2026-12-31',
              reservationId: 'res-1',
              quantity: 3,
              expiresAt: '2026-12-01T10:00:00.000Z',
              heldAt: '2026-12-01T09:00:00.000Z',
            },
          },
        ],
      },
    ]);
    const head = await app.store.headPosition();
    const lowered = await admin.slots('room-s2', 'capacity', {
      dates: { from: '2026-12-30', to: '2026-12-31' },
      capacity: 1,
    });
    expect(lowered.status).to.equal(409);
    expect(code(lowered.body)).to.equal('CAPACITY_BELOW_USAGE');
    expect(await app.store.headPosition()).to.equal(head);
    const state = await slotState('room-s2', '2026-12-30');
    expect(state.status === 'Open' && state.capacity).to.equal(5);
  });

  it('expands a timed date range to the slot grid of the opening hours, optionally within times', async () => {
    await admin.register(sampleTimed({ vendorId: 'vendor-1' }), 'svc-s3');
    const closed = await admin.slots('svc-s3', 'close', {
      dates: { from: '2026-12-07', to: '2026-12-07' },
      times: { from: '13:00', to: '15:00' },
      reason: 'lunch',
    });
    expect((closed.body['slots'] as { slotKey: string }[]).map((s) => s.slotKey)).to.deep.equal([
      '2026-12-07T13:00',
      '2026-12-07T14:00',
    ]);
    const weekend = await admin.slots('svc-s3', 'close', {
      dates: { from: '2026-12-05', to: '2026-12-06' },
      reason: 'x',
    });
    expect(weekend.status).to.equal(400);
    expect(code(weekend.body)).to.equal('NO_SLOTS_IN_RANGE');
  });

  it('refuses malformed ranges (400), unknown resources (404), other vendors (403) and retired resources (409)', async () => {
    await admin.register(sampleNightly(), 'room-s4');
    const bad = [
      { reason: 'x' },
      { slotKeys: ['2026-12-24'], dates: { from: '2026-12-24', to: '2026-12-24' }, reason: 'x' },
      { dates: { from: '2026-12-26', to: '2026-12-24' }, reason: 'x' },
      { dates: { from: '2026-02-30', to: '2026-03-02' }, reason: 'x' },
      { dates: { from: '2026-01-01', to: '2027-12-31' }, reason: 'x' },
      { slotKeys: ['2026-12-24T09:00'], reason: 'x' },
      { slotKeys: ['2026-12-24'], times: { from: '09:00', to: '10:00' }, reason: 'x' },
      { slotKeys: ['2026-12-24'], reason: '' },
    ];
    for (const body of bad) {
      const response = await admin.slots('room-s4', 'close', body);
      expect(response.status, JSON.stringify(body)).to.equal(400);
    }
    expect((await admin.slots('nope', 'open', { slotKeys: ['2026-12-24'] })).status).to.equal(404);
    const { token } = await app.createVendorToken();
    const other = resourceClient(app.baseUrl, token);
    expect((await other.slots('room-s4', 'open', { slotKeys: ['2026-12-24'] })).status).to.equal(
      403,
    );
    await admin.retire('room-s4');
    const retired = await admin.slots('room-s4', 'open', { slotKeys: ['2026-12-24'] });
    expect(code(retired.body)).to.equal('RESOURCE_RETIRED');
    expect(await app.store.readStream(slotStream('room-s4', '2026-12-24'))).to.have.length(0);
  });
});
