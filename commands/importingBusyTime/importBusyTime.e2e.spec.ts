import { expect } from 'chai';
import { calendarStream } from '../../domain/calendar/calendarDecider.ts';
import type { BusyBlock } from '../../domain/calendar/events.ts';
import { sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { bearer } from '../../infra/http/testing.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { resourceClient } from '../shared/testing/resourceRequests.ts';

const ICS = (events: string, extra = '') =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', extra, events, 'END:VCALENDAR']
    .filter((l) => l !== '')
    .join('\r\n');

const WINDOWS_ZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
].join('\r\n');

const vevent = (lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');

describe('POST /api/v1/resources/{id}/busy-time', () => {
  let app: WriteTestApp;
  let admin: ReturnType<typeof resourceClient>;
  before(async () => {
    // The manual clock starts at 2026-12-01T09:00Z; the sample timed resource is in New York.
    app = await startWriteTestApp();
    admin = resourceClient(app.baseUrl, app.adminKey);
    await admin.register(sampleTimed({ horizonDays: 60 }), 'svc-b1');
  });
  after(async () => app.close());

  const upload = (text: string, query = '', contentType = 'text/calendar; charset=utf-8') =>
    fetch(`${app.baseUrl}/api/v1/resources/svc-b1/busy-time${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...bearer(app.adminKey) },
      body: text,
    });
  const lastBlocks = async (): Promise<BusyBlock[]> => {
    const events = await app.store.readStream(calendarStream('svc-b1'));
    return (events.at(-1)?.data as { blocks: BusyBlock[] }).blocks;
  };

  it('imports JSON blocks, and a re-import of the source replaces them', async () => {
    const first = await admin.call('/svc-b1/busy-time', {
      source: 'google:primary',
      blocks: [
        { start: '2026-12-07T14:00:00Z', end: '2026-12-07T15:00:00Z' },
        { start: '2026-12-08T14:00:00Z', end: '2026-12-08T15:00:00Z', status: 'tentative' },
      ],
    });
    expect(first.status).to.equal(200);
    expect(first.body).to.include({
      blocks: 2,
      tentative: 1,
      version: 1,
      source: 'google:primary',
    });
    expect(first.body['position']).to.be.a('string');
    const second = await admin.call('/svc-b1/busy-time', { source: 'google:primary', blocks: [] });
    expect(second.body).to.include({ blocks: 0, version: 2 });
    expect(await lastBlocks()).to.deep.equal([]);
  });

  it('parses an ICS upload: TZIDs (IANA and VTIMEZONE), all-day, RRULE with EXDATE and an override, transparent and tentative', async () => {
    const text = ICS(
      [
        vevent([
          'UID:daily',
          'DTSTART;TZID=America/New_York:20261207T090000',
          'DTEND;TZID=America/New_York:20261207T100000',
          'RRULE:FREQ=DAILY;COUNT=3',
          'EXDATE;TZID=America/New_York:20261208T090000',
        ]),
        vevent([
          'UID:daily',
          'RECURRENCE-ID;TZID=America/New_York:20261209T090000',
          'DTSTART;TZID=America/New_York:20261209T140000',
          'DTEND;TZID=America/New_York:20261209T150000',
          'STATUS:TENTATIVE',
        ]),
        vevent([
          'UID:win',
          'DTSTART;TZID=W. Europe Standard Time:20261210T090000',
          'DTEND;TZID=W. Europe Standard Time:20261210T100000',
        ]),
        vevent(['UID:allday', 'DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261226']),
        vevent(['UID:free', 'DTSTART:20261211T150000Z', 'DURATION:PT2H', 'TRANSP:TRANSPARENT']),
        vevent(['UID:utc', 'DTSTART:20261211T150000Z', 'DURATION:PT2H']),
        vevent(['UID:past', 'DTSTART:20261101T150000Z', 'DTEND:20261101T160000Z']),
        vevent(['UID:far', 'DTSTART:20270601T150000Z', 'DTEND:20270601T160000Z']),
      ].join('\r\n'),
      WINDOWS_ZONE,
    );
    const response = await upload(text, '?source=outlook');
    expect(response.status).to.equal(200);
    expect(await response.json()).to.include({ source: 'outlook', blocks: 5, tentative: 1 });
    expect(await lastBlocks()).to.deep.equal([
      { start: '2026-12-07T14:00:00.000Z', end: '2026-12-07T15:00:00.000Z', status: 'busy' },
      { start: '2026-12-09T19:00:00.000Z', end: '2026-12-09T20:00:00.000Z', status: 'tentative' },
      { start: '2026-12-10T08:00:00.000Z', end: '2026-12-10T09:00:00.000Z', status: 'busy' },
      { start: '2026-12-11T15:00:00.000Z', end: '2026-12-11T17:00:00.000Z', status: 'busy' },
      // All-day in the resource's zone (New York): local midnight to midnight.
      { start: '2026-12-24T05:00:00.000Z', end: '2026-12-26T05:00:00.000Z', status: 'busy' },
    ]);
  });

  it('expands an open-ended RRULE only up to the booking horizon', async () => {
    const text = ICS(
      vevent([
        'UID:weekly',
        'DTSTART;TZID=America/New_York:20260105T120000',
        'DTEND;TZID=America/New_York:20260105T130000',
        'RRULE:FREQ=WEEKLY;BYDAY=MO',
      ]),
    );
    const response = await upload(text, '?source=weekly');
    // Mondays from 2026-12-01 to the end of day 60 (2027-01-30): Dec 7, 14, 21, 28, Jan 4, 11, 18, 25.
    expect(await response.json()).to.include({ blocks: 8 });
  });

  it('refuses bad ICS, unknown TZIDs and other content types with 4xx, appending nothing', async () => {
    const before = (await app.store.readStream(calendarStream('svc-b1'))).length;
    const bad = await upload('this is not a calendar');
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal(
      'INVALID_ICALENDAR',
    );
    const unknownZone = await upload(
      ICS(
        vevent([
          'UID:x',
          'DTSTART;TZID=Mars/Olympus:20261207T090000',
          'DTEND;TZID=Mars/Olympus:20261207T100000',
        ]),
      ),
    );
    expect(unknownZone.status).to.equal(400);
    const brokenDate = await upload(
      ICS(vevent(['UID:x', 'DTSTART:2026XX07', 'DTEND:20261207T100000Z'])),
    );
    expect(brokenDate.status).to.equal(400);
    expect((await upload('BEGIN:VCALENDAR\r\nEND:VCALENDAR', '', 'text/plain')).status).to.equal(
      415,
    );
    const badJson = await admin.call('/svc-b1/busy-time', {
      source: 'x',
      blocks: [{ start: '2026-12-07T15:00:00Z', end: '2026-12-07T14:00:00Z' }],
    });
    expect(badJson.status).to.equal(400);
    expect((await app.store.readStream(calendarStream('svc-b1'))).length).to.equal(before);
  });

  it('refuses other vendors (403) and unknown resources (404)', async () => {
    const { token } = await app.createVendorToken();
    const other = resourceClient(app.baseUrl, token);
    expect((await other.call('/svc-b1/busy-time', { source: 'x', blocks: [] })).status).to.equal(
      403,
    );
    expect((await admin.call('/nope/busy-time', { source: 'x', blocks: [] })).status).to.equal(404);
  });
});
