import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { bookingReferenceStream } from '../../domain/reservation/bookingReferenceClaim.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { getInMemoryEventStore } from '../../infra/eventStore/memory/inMemoryEventStore.ts';
import { domainEventCodec } from '../shared/eventCodec.ts';
import type { IdGenerator } from '../shared/ports.ts';
import { createManualClock } from '../shared/testing/fixedIds.ts';
import { registerResource } from '../shared/testing/reservationFixtures.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { placeHold, type PlaceHoldInput } from './handler.ts';

const PARTNER: Principal = { id: 'key-1', role: 'partner', partnerId: 'partner-1' };

/** Real uuids; entropy from a script, so two reservations can be made to draw the same reference. */
const scriptedIds = (entropy: () => Uint8Array): IdGenerator => ({
  uuid: () => randomUUID(),
  randomBytes: () => entropy(),
});

const writeSideWith = (ids: IdGenerator): WriteSide => ({
  store: getInMemoryEventStore(),
  codec: domainEventCodec,
  ids,
  clock: createManualClock('2026-12-01T09:00:00.000Z'),
});

const hold = (resourceId: string): PlaceHoldInput => ({
  resourceId,
  period: { kind: 'nights', checkIn: '2026-12-24', checkOut: '2026-12-26' },
  quantity: 1,
  guest: { guestId: 'guest-1' },
});

const caller = { principal: PARTNER, requestId: 'req-1', idempotencyKey: undefined };

describe('booking references are unique', () => {
  it('a reservation that draws a taken reference draws again and still succeeds', async () => {
    const same = new Uint8Array(8).fill(7);
    const draws = [same, same];
    const writeSide = writeSideWith(
      scriptedIds(() => draws.shift() ?? new Uint8Array(randomBytes(8))),
    );
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 5 }));
    const first = await placeHold(writeSide, hold(resourceId), caller);
    const second = await placeHold(writeSide, hold(resourceId), caller);
    expect(second.reservation.bookingReference).to.not.equal(first.reservation.bookingReference);
    const claim = await writeSide.store.readStream(
      bookingReferenceStream(first.reservation.bookingReference),
    );
    expect(claim.map((event) => event.data)).to.deep.include({
      bookingReference: first.reservation.bookingReference,
      reservationId: first.reservation.reservationId,
      claimedAt: '2026-12-01T09:00:00.000Z',
    });
    expect(claim).to.have.length(1);
  });

  it('never hands out a taken reference, even when every draw collides', async () => {
    const writeSide = writeSideWith(scriptedIds(() => new Uint8Array(8).fill(9)));
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 5 }));
    await placeHold(writeSide, hold(resourceId), caller);
    const refused = await placeHold(writeSide, hold(resourceId), caller).catch(
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(ConcurrencyError);
  });
});
