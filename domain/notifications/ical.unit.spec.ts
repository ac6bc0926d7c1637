import { expect } from 'chai';
import ICAL from 'ical.js';
import { foldLine, renderInvite, type InviteEvent } from './ical.ts';

const invite: InviteEvent = {
  method: 'REQUEST',
  uid: 'reservation-r1@booking-ledger',
  sequence: 3,
  kind: 'nightly',
  startsAt: '2027-03-10T22:30:00.000Z',
  endsAt: '2027-03-12T09:00:00.000Z',
  timeZone: 'Asia/Jerusalem',
  summary: 'Sea View; Suite, "north"',
  description: 'Line one\nLine two with a backslash \\ and a very long tail '.repeat(3),
  location: 'Tel Aviv, IL',
  organizer: { name: 'booking-ledger', email: 'bookings@example.test' },
  attendee: { name: 'דנה כהן: guest', email: 'dana@example.test' },
  stampedAt: '2027-03-01T10:00:00.000Z',
};

const parse = (text: string) => {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no VEVENT');
  return { calendar, event };
};

describe('calendar invites', () => {
  it('parse back with ical.js: method, uid, sequence, all-day stay in the venue zone', () => {
    const text = renderInvite(invite);
    const { calendar, event } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).to.equal('REQUEST');
    expect(event.getFirstPropertyValue('uid')).to.equal(invite.uid);
    expect(event.getFirstPropertyValue('sequence')).to.equal(3);
    const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
    const end = event.getFirstPropertyValue('dtend') as ICAL.Time;
    expect(start.isDate).to.equal(true);
    // 22:30 UTC on the 10th is the 11th in Jerusalem: the stay starts that day.
    expect(start.toString()).to.equal('2027-03-11');
    expect(end.toString()).to.equal('2027-03-12');
    expect(event.getFirstPropertyValue('summary')).to.equal(invite.summary);
    expect(event.getFirstPropertyValue('description')).to.equal(invite.description);
    const attendee = event.getFirstProperty('attendee');
    expect(attendee?.getParameter('cn')).to.equal('דנה כהן: guest');
  });

  it('timed slots are UTC date-times', () => {
    const { event } = parse(renderInvite({ ...invite, kind: 'timed' }));
    const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.isDate).to.equal(false);
    expect(start.toJSDate().toISOString()).to.equal('2027-03-10T22:30:00.000Z');
  });

  it('cancellations keep the UID with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const { calendar, event } = parse(renderInvite({ ...invite, method: 'CANCEL', sequence: 5 }));
    expect(calendar.getFirstPropertyValue('method')).to.equal('CANCEL');
    expect(event.getFirstPropertyValue('status')).to.equal('CANCELLED');
    expect(event.getFirstPropertyValue('uid')).to.equal(invite.uid);
  });

  it('folds lines at 75 octets with CRLF, never splitting a character', () => {
    const text = renderInvite({ ...invite, summary: 'א'.repeat(100) });
    for (const line of text.split('\r\n'))
      expect(new TextEncoder().encode(line).length).to.be.at.most(75);
    expect(text).not.to.match(/[^\r]\n/);
    const folded = foldLine('x'.repeat(200));
    expect(folded.split('\r\n ').join('')).to.equal('x'.repeat(200));
  });
});
