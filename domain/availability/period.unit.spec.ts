import { expect } from 'chai';
import { sampleNightly, sampleTimed } from '../resource/testing/sampleResources.ts';
import { ValidationError } from '../shared/errors.ts';
import { toEpochMillis } from '../shared/time.ts';
import {
  bufferNeighbourKeys,
  HOLD_PERIOD_RULES,
  MAX_HOLD_TIMED_SLOTS,
  READ_PERIOD_RULES,
  resolvePeriod,
  type Period,
  type PeriodRules,
} from './period.ts';

const ms = toEpochMillis;
const nightly = sampleNightly();
// America/New_York, 60-minute slots; 2026-12-07 is UTC−5.
const timed = sampleTimed();

const refusal = (
  config: typeof timed,
  period: Period,
  rules: PeriodRules,
): { code: string; message: string } => {
  try {
    resolvePeriod(config, period, rules);
  } catch (error) {
    expect(error).to.be.instanceOf(ValidationError);
    const { code, message } = error as ValidationError;
    return { code, message };
  }
  expect.fail('expected a ValidationError');
};

describe('resolvePeriod', () => {
  it('turns nights into the dates of [checkIn, checkOut), the same for writes and reads', () => {
    const period: Period = { kind: 'nights', checkIn: '2026-12-30', checkOut: '2027-01-02' };
    const expected = {
      kind: 'nightly',
      checkIn: '2026-12-30',
      checkOut: '2027-01-02',
      slotKeys: ['2026-12-30', '2026-12-31', '2027-01-01'],
    };
    expect(resolvePeriod(nightly, period, HOLD_PERIOD_RULES)).to.deep.equal(expected);
    expect(resolvePeriod(nightly, period, READ_PERIOD_RULES)).to.deep.equal(expected);
  });

  it('turns aligned instants into the local keys of whole slots', () => {
    const start = ms('2026-12-07T14:00:00Z');
    const end = ms('2026-12-07T17:00:00Z');
    const resolved = resolvePeriod(timed, { kind: 'instants', start, end }, HOLD_PERIOD_RULES);
    expect(resolved).to.deep.equal({
      kind: 'timed',
      start,
      end,
      starts: [start, start + 3_600_000, start + 7_200_000],
      slotMs: 3_600_000,
      slotKeys: ['2026-12-07T09:00', '2026-12-07T10:00', '2026-12-07T11:00'],
    });
  });

  it('reads a local date and time in the resource zone plus a duration', () => {
    const resolved = resolvePeriod(
      timed,
      { kind: 'localTime', date: '2026-12-07', time: '09:00', durationMinutes: 120 },
      READ_PERIOD_RULES,
    );
    expect(resolved).to.deep.include({
      kind: 'timed',
      start: ms('2026-12-07T14:00:00Z'),
      end: ms('2026-12-07T16:00:00Z'),
      slotKeys: ['2026-12-07T09:00', '2026-12-07T10:00'],
    });
  });

  it('refuses a period of the wrong kind with WRONG_RESOURCE_KIND, in each side’s words', () => {
    const instants: Period = {
      kind: 'instants',
      start: ms('2026-12-07T14:00:00Z'),
      end: ms('2026-12-07T15:00:00Z'),
    };
    const nights: Period = { kind: 'nights', checkIn: '2026-12-07', checkOut: '2026-12-08' };
    expect(refusal(nightly, instants, HOLD_PERIOD_RULES)).to.deep.equal({
      code: 'WRONG_RESOURCE_KIND',
      message:
        'This resource is sold by the night; send checkIn and checkOut dates instead of slot times.',
    });
    expect(refusal(timed, nights, HOLD_PERIOD_RULES)).to.deep.equal({
      code: 'WRONG_RESOURCE_KIND',
      message: 'This resource is sold in timed slots; send slotStart and slotEnd instead of dates.',
    });
    expect(refusal(nightly, instants, READ_PERIOD_RULES).message).to.equal(
      'This resource is sold by the night; send checkIn and checkOut dates.',
    );
    expect(refusal(timed, nights, READ_PERIOD_RULES).message).to.equal(
      'This resource is sold in timed slots; send a slot start and end.',
    );
  });

  it('refuses misaligned instants with SLOT_NOT_ALIGNED on both sides', () => {
    const period: Period = {
      kind: 'instants',
      start: ms('2026-12-07T14:00:00Z'),
      end: ms('2026-12-07T15:30:00Z'),
    };
    expect(refusal(timed, period, HOLD_PERIOD_RULES)).to.deep.equal({
      code: 'SLOT_NOT_ALIGNED',
      message:
        'A timed booking covers whole slots of 60 minutes; 2026-12-07T14:00:00.000Z → 2026-12-07T15:30:00.000Z is not a whole number of them.',
    });
    expect(refusal(timed, period, READ_PERIOD_RULES)).to.deep.equal({
      code: 'SLOT_NOT_ALIGNED',
      message:
        'A timed period covers 1 to 365 whole slots of 60 minutes (got 2026-12-07T14:00:00.000Z → 2026-12-07T15:30:00.000Z).',
    });
  });

  it('refuses an empty or backwards span: a plain validation error on writes, SLOT_NOT_ALIGNED on reads', () => {
    const at = ms('2026-12-07T14:00:00Z');
    const period: Period = { kind: 'instants', start: at, end: at };
    expect(refusal(timed, period, HOLD_PERIOD_RULES)).to.deep.equal({
      code: 'INVALID_REQUEST',
      message:
        'slotEnd must be after slotStart (got 2026-12-07T14:00:00.000Z → 2026-12-07T14:00:00.000Z).',
    });
    expect(refusal(timed, period, READ_PERIOD_RULES).code).to.equal('SLOT_NOT_ALIGNED');
  });

  it('lets a read cover up to 365 slots while a hold stops at 96', () => {
    const start = ms('2026-12-07T14:00:00Z');
    const slots = (n: number): Period => ({ kind: 'instants', start, end: start + n * 3_600_000 });
    expect(resolvePeriod(timed, slots(96), HOLD_PERIOD_RULES).slotKeys).to.have.length(96);
    expect(refusal(timed, slots(97), HOLD_PERIOD_RULES).message).to.equal(
      `One booking may cover at most ${MAX_HOLD_TIMED_SLOTS} consecutive slots (got 97); split it.`,
    );
    expect(resolvePeriod(timed, slots(365), READ_PERIOD_RULES).slotKeys).to.have.length(365);
    expect(refusal(timed, slots(366), READ_PERIOD_RULES).code).to.equal('SLOT_NOT_ALIGNED');
  });

  it('lets a stay last 365 nights, not 366, on both sides', () => {
    const period = (checkOut: string): Period => ({
      kind: 'nights',
      checkIn: '2027-01-01',
      checkOut,
    });
    expect(resolvePeriod(nightly, period('2028-01-01'), HOLD_PERIOD_RULES).slotKeys).to.have.length(
      365,
    );
    expect(refusal(nightly, period('2028-01-02'), HOLD_PERIOD_RULES).message).to.equal(
      'A stay may last at most 365 nights (got 366); split it.',
    );
    expect(refusal(nightly, period('2028-01-02'), READ_PERIOD_RULES).message).to.equal(
      'A stay may last at most 365 nights (got 366).',
    );
  });
});

describe('bufferNeighbourKeys', () => {
  it('reads as many slots either side as the stacked buffers can reach', () => {
    const config = sampleTimed({ bufferBeforeMinutes: 30, bufferAfterMinutes: 45 });
    const start = ms('2026-12-07T15:00:00Z');
    const period = resolvePeriod(
      config,
      { kind: 'instants', start, end: start + 3_600_000 },
      HOLD_PERIOD_RULES,
    );
    expect(bufferNeighbourKeys(config, period)).to.deep.equal([
      '2026-12-07T09:00',
      '2026-12-07T11:00',
      '2026-12-07T08:00',
      '2026-12-07T12:00',
    ]);
    expect(bufferNeighbourKeys(timed, period)).to.deep.equal([]);
  });

  // Before the fix every night up to 9999-12-31 (~2.9 million) was listed first: ~22 s
  // on an idle machine. The tight timeout makes that slowness the failure.
  it('refuses a stay to 9999-12-31 from its count, before listing a single night', function () {
    this.timeout(1_000);
    const far: Period = { kind: 'nights', checkIn: '2026-12-24', checkOut: '9999-12-31' };
    expect(refusal(nightly, far, HOLD_PERIOD_RULES).message).to.equal(
      'A stay may last at most 365 nights (got 2912085); split it.',
    );
    expect(refusal(nightly, far, READ_PERIOD_RULES).message).to.equal(
      'A stay may last at most 365 nights (got 2912085).',
    );
  });
});
