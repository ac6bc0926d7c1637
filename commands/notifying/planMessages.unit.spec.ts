import { expect } from 'chai';
import type { ReservationEvent } from '../../domain/reservation/events.ts';
import { planGuestMessages, reminderAtCommit } from './planMessages.ts';

const DAY = 24 * 3_600_000;
const source = (event: ReservationEvent) => ({ event, eventId: 'e-7', revision: 7 });

describe('planning guest messages from reservation events', () => {
  it('a cancellation is one guest message keyed by its event, and drops the reminder', () => {
    const plan = planGuestMessages(
      source({
        type: 'ReservationCancelled',
        data: {
          reservationId: 'r1',
          cancelledBy: 'guest',
          reason: 'x',
          cancelledAt: '2027-03-01T10:00:00Z',
          previousStatus: 'CONFIRMED',
          slotsToRelease: [],
        },
      } as unknown as ReservationEvent),
      DAY,
    );
    expect(plan.messages).to.deep.equal([
      {
        dedupKey: 'cancellation:e-7:guest',
        reservationId: 'r1',
        kind: 'cancellation',
        recipient: 'guest',
        sequence: 7,
        sourceEventId: 'e-7',
      },
    ]);
    expect(plan.reminder).to.deep.equal({ kind: 'clear', reservationId: 'r1' });
  });

  it('a modification moves the reminder to the new start, or drops it when too late', () => {
    const modified = (startsAt: string) =>
      ({
        type: 'ReservationModified',
        data: { reservationId: 'r1', startsAt, modifiedAt: '2027-03-01T10:00:00.000Z' },
      }) as unknown as ReservationEvent;
    expect(
      planGuestMessages(source(modified('2027-03-10T12:00:00.000Z')), DAY).reminder,
    ).to.deep.equal({
      kind: 'set',
      reservationId: 'r1',
      dueAt: new Date('2027-03-09T12:00:00.000Z'),
      startsAt: '2027-03-10T12:00:00.000Z',
    });
    expect(
      planGuestMessages(source(modified('2027-03-01T20:00:00.000Z')), DAY).reminder.kind,
    ).to.equal('clear');
    expect(
      planGuestMessages(source(modified('2027-03-10T12:00:00.000Z')), 0).reminder.kind,
    ).to.equal('clear');
  });

  it('a commit schedules the reminder only when its time is still ahead', () => {
    expect(
      reminderAtCommit('r1', '2027-03-10T12:00:00Z', '2027-03-01T00:00:00Z', DAY).kind,
    ).to.equal('set');
    expect(
      reminderAtCommit('r1', '2027-03-10T12:00:00Z', '2027-03-10T00:00:00Z', DAY).kind,
    ).to.equal('none');
  });

  it('events that tell the guest nothing plan nothing', () => {
    const plan = planGuestMessages(
      source({
        type: 'VendorNotified',
        data: { reservationId: 'r1', notifiedAt: '2027-03-01T10:00:00Z' },
      }),
      DAY,
    );
    expect(plan).to.deep.equal({ messages: [], reminder: { kind: 'none' } });
  });
});
