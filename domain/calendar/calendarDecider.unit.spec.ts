import { expect } from 'chai';
import { ValidationError } from '../shared/errors.ts';
import { fold } from '../shared/decider.ts';
import { given } from '../shared/testing/givenWhenThen.ts';
import { toEpochMillis } from '../shared/time.ts';
import { busyBlocksOf, DEFAULT_STALE_AFTER_MS } from './busyBlocks.ts';
import { calendarDecider, calendarStream } from './calendarDecider.ts';
import type { CalendarEvent } from './events.ts';

const NOW = '2026-12-01T09:00:00.000Z';
const LATER = '2026-12-01T10:00:00.000Z';
const ms = toEpochMillis;

const importCommand = (blocks: { start: string; end: string; status: 'busy' | 'tentative' }[]) =>
  ({
    type: 'ImportBusyTime',
    resourceId: 'svc-1',
    source: 'google:primary',
    blocks,
    now: NOW,
  }) as const;

const imported: CalendarEvent = {
  type: 'BusyTimeImported',
  data: {
    resourceId: 'svc-1',
    source: 'google:primary',
    blocks: [
      { start: '2026-12-02T09:00:00.000Z', end: '2026-12-02T10:00:00.000Z', status: 'busy' },
    ],
    importedAt: NOW,
  },
};

describe('Calendar decider', () => {
  it('names its stream calendar-{resourceId}', () => {
    expect(calendarStream('svc-1')).to.equal('calendar-svc-1');
    expect(() => calendarStream('a.b')).to.throw(ValidationError);
  });

  it('imports blocks normalized to UTC, sorted and without duplicates', () => {
    given(calendarDecider, [])
      .when(
        importCommand([
          {
            start: '2026-12-02T12:00:00+02:00',
            end: '2026-12-02T13:00:00+02:00',
            status: 'tentative',
          },
          { start: '2026-12-02T09:00:00Z', end: '2026-12-02T10:00:00Z', status: 'busy' },
          { start: '2026-12-02T09:00:00.000Z', end: '2026-12-02T10:00:00Z', status: 'busy' },
        ]),
      )
      .then([
        {
          type: 'BusyTimeImported',
          data: {
            resourceId: 'svc-1',
            source: 'google:primary',
            blocks: [
              {
                start: '2026-12-02T09:00:00.000Z',
                end: '2026-12-02T10:00:00.000Z',
                status: 'busy',
              },
              {
                start: '2026-12-02T10:00:00.000Z',
                end: '2026-12-02T11:00:00.000Z',
                status: 'tentative',
              },
            ],
            importedAt: NOW,
          },
        },
      ]);
  });

  it('refuses blocks that do not end after they start, bad instants, bad sources and too many blocks', () => {
    const bad = given(calendarDecider, [])
      .when(
        importCommand([
          { start: '2026-12-02T10:00:00Z', end: '2026-12-02T10:00:00Z', status: 'busy' },
        ]),
      )
      .thenThrows(ValidationError);
    expect(bad.message).to.match(/must end after it starts/);
    given(calendarDecider, [])
      .when(
        importCommand([
          { start: '2026-02-30T10:00:00Z', end: '2026-03-01T10:00:00Z', status: 'busy' },
        ]),
      )
      .thenThrows(ValidationError);
    given(calendarDecider, [])
      .when({ ...importCommand([]), source: 'has space' })
      .thenThrows(ValidationError);
    const many = Array.from({ length: 5001 }, (_, i) => ({
      start: new Date(ms(NOW) + i * 3_600_000).toISOString(),
      end: new Date(ms(NOW) + i * 3_600_000 + 60_000).toISOString(),
      status: 'busy' as const,
    }));
    given(calendarDecider, []).when(importCommand(many)).thenThrows(ValidationError);
  });

  it('replaces a source’s blocks on re-import and keeps other sources', () => {
    const other = {
      type: 'BusyTimeImported',
      data: { ...imported.data, source: 'ics-upload', importedAt: NOW },
    } as CalendarEvent;
    const state = given(calendarDecider, [imported, other])
      .when({ ...importCommand([]), now: LATER })
      .then([
        {
          type: 'BusyTimeImported',
          data: { resourceId: 'svc-1', source: 'google:primary', blocks: [], importedAt: LATER },
        },
      ]);
    const busy = busyBlocksOf(state, ms('2026-12-02T00:00:00Z'), ms('2026-12-03T00:00:00Z'));
    expect(busy.map((s) => [s.sourceId, s.blocks.length])).to.deep.equal([
      ['google:primary', 0],
      ['ics-upload', 1],
    ]);
  });

  it('records a source failure with a reason, and refuses an empty reason', () => {
    const failure = {
      type: 'RecordSourceFailure',
      resourceId: 'svc-1',
      source: 'google:primary',
      reason: 'token revoked',
      now: LATER,
    } as const;
    given(calendarDecider, [imported])
      .when(failure)
      .then([
        {
          type: 'BusyTimeSourceFailed',
          data: {
            resourceId: 'svc-1',
            source: 'google:primary',
            reason: 'token revoked',
            failedAt: LATER,
          },
        },
      ]);
    given(calendarDecider, [imported])
      .when({ ...failure, reason: ' ' })
      .thenThrows(ValidationError);
  });
});

describe('busyBlocksOf', () => {
  const block = (start: string, end: string) => ({ start, end, status: 'busy' as const });
  const state = fold(calendarDecider, [
    {
      type: 'BusyTimeImported',
      data: {
        resourceId: 'svc-1',
        source: 'a',
        blocks: [
          block('2026-12-01T00:00:00.000Z', '2026-12-05T00:00:00.000Z'),
          block('2026-12-02T09:00:00.000Z', '2026-12-02T10:00:00.000Z'),
          block('2026-12-02T10:00:00.000Z', '2026-12-02T11:00:00.000Z'),
          block('2026-12-03T09:00:00.000Z', '2026-12-03T10:00:00.000Z'),
        ],
        importedAt: NOW,
      },
    },
  ]);

  it('returns the blocks overlapping the half-open window, long ones included', () => {
    const [source] = busyBlocksOf(state, ms('2026-12-02T10:00:00Z'), ms('2026-12-03T09:00:00Z'));
    expect(source?.blocks.map((b) => new Date(b.start).toISOString())).to.deep.equal([
      '2026-12-01T00:00:00.000Z',
      '2026-12-02T10:00:00.000Z',
    ]);
  });

  it('judges freshness: fresh, stale after the threshold or when declared, failed after a failure', () => {
    const at = (now: number) => busyBlocksOf(state, 0, 1, { now })[0]?.status;
    expect(at(ms(NOW) + DEFAULT_STALE_AFTER_MS)).to.equal('fresh');
    expect(at(ms(NOW) + DEFAULT_STALE_AFTER_MS + 1)).to.equal('stale');
    expect(busyBlocksOf(state, 0, 1)[0]?.status).to.equal('fresh');
    const failed = calendarDecider.evolve(state, {
      type: 'BusyTimeSourceFailed',
      data: { resourceId: 'svc-1', source: 'a', reason: 'timeout', failedAt: LATER },
    });
    const [afterFailure] = busyBlocksOf(failed, 0, ms('2027-01-01T00:00:00Z'), { now: ms(LATER) });
    expect(afterFailure?.status).to.equal('failed');
    expect(afterFailure?.failureReason).to.equal('timeout');
    expect(afterFailure?.blocks).to.have.length(4);
    const declared = calendarDecider.evolve(state, {
      type: 'BusyTimeImported',
      data: {
        resourceId: 'svc-1',
        source: 'a',
        blocks: [],
        importedAt: LATER,
        sourceStatus: 'stale',
      },
    });
    expect(busyBlocksOf(declared, 0, 1, { now: ms(LATER) })[0]?.status).to.equal('stale');
    expect(busyBlocksOf(fold(calendarDecider, []), 0, 1)).to.deep.equal([]);
  });
});
