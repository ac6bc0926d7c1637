import { expect } from 'chai';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import { createManualClock, testIds } from '../../commands/shared/testing/fixedIds.ts';
import { resourceConfigSchema } from '../../domain/resource/schema.ts';
import { getInMemoryEventStore } from '../eventStore/memory/inMemoryEventStore.ts';
import { DEMO_RESOURCES, seedDemoCatalog } from './demoCatalog.ts';

describe('the demo catalog', () => {
  it('holds only valid resource configurations', () => {
    for (const input of Object.values(DEMO_RESOURCES)) {
      expect(resourceConfigSchema.safeParse(input).success).to.equal(true);
    }
  });

  it('is seeded into an empty log once, and never into a log that has events', async () => {
    const writeSide = {
      store: getInMemoryEventStore(),
      codec: domainEventCodec,
      ids: testIds,
      clock: createManualClock('2026-12-01T09:00:00.000Z'),
    };
    const seeded = await seedDemoCatalog(writeSide);
    expect(seeded).to.have.members(Object.keys(DEMO_RESOURCES));
    const events = await writeSide.store.readAll();
    expect(events.map((e) => e.type)).to.deep.equal(seeded.map(() => 'ResourceRegistered'));
    expect(await seedDemoCatalog(writeSide)).to.deep.equal([]);
  });
});
