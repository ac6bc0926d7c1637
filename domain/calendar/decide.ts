import { ValidationError } from '../shared/errors.ts';
import { assertStreamId } from '../shared/streams.ts';
import { toEpochMillis, toIsoInstant } from '../shared/time.ts';
import type { BusyBlockInput, CalendarCommand } from './commands.ts';
import type { BusyBlock, CalendarEvent } from './events.ts';
import type { CalendarState } from './state.ts';

/** One import may carry this many blocks; a bigger calendar should be imported for a shorter window. */
export const MAX_BLOCKS_PER_IMPORT = 5000;
const SOURCE = /^[\x21-\x7e]{1,200}$/;

const assertSource = (source: string): void => {
  if (!SOURCE.test(source)) {
    throw new ValidationError(
      `source must be 1–200 visible ASCII characters without spaces, e.g. "google:primary" (got ${JSON.stringify(source.slice(0, 40))}).`,
    );
  }
};

/** Validates and normalizes blocks to UTC, sorted by start then end, duplicates dropped. */
const normalizeBlocks = (blocks: readonly BusyBlockInput[]): BusyBlock[] => {
  if (blocks.length > MAX_BLOCKS_PER_IMPORT) {
    throw new ValidationError(
      `An import may carry at most ${MAX_BLOCKS_PER_IMPORT} busy blocks (got ${blocks.length}); import a shorter window.`,
    );
  }
  const parsed = blocks.map((block, index) => {
    const start = toEpochMillis(block.start);
    const end = toEpochMillis(block.end);
    if (!(start < end)) {
      throw new ValidationError(
        `Busy block ${index} must end after it starts (got ${block.start} → ${block.end}).`,
        { index },
      );
    }
    return { start, end, status: block.status };
  });
  parsed.sort((a, b) => a.start - b.start || a.end - b.end || (a.status < b.status ? -1 : 1));
  const unique = parsed.filter(
    (b, i) =>
      i === 0 ||
      b.start !== parsed[i - 1]!.start ||
      b.end !== parsed[i - 1]!.end ||
      b.status !== parsed[i - 1]!.status,
  );
  return unique.map((b) => ({
    start: toIsoInstant(b.start),
    end: toIsoInstant(b.end),
    status: b.status,
  }));
};

/**
 * The pure decision for one calendar stream. Every import is recorded, even
 * one identical to the last: it is also the proof that the source was fresh
 * at `now`, which availability's confidence depends on.
 */
export const decideCalendar = (command: CalendarCommand, state: CalendarState): CalendarEvent[] => {
  assertStreamId(command.resourceId, 'resourceId');
  assertSource(command.source);
  if (state.status === 'Tracking' && state.resourceId !== command.resourceId) {
    throw new ValidationError(
      `This command targets the calendar of ${command.resourceId} but was sent to that of ${state.resourceId}.`,
    );
  }
  const at = toIsoInstant(toEpochMillis(command.now));
  const { resourceId, source } = command;
  switch (command.type) {
    case 'ImportBusyTime':
      return [
        {
          type: 'BusyTimeImported',
          data: {
            resourceId,
            source,
            blocks: normalizeBlocks(command.blocks),
            importedAt: at,
            ...(command.sourceStatus === undefined ? {} : { sourceStatus: command.sourceStatus }),
          },
        },
      ];
    case 'RecordSourceFailure': {
      const reason = command.reason.trim();
      if (reason === '')
        throw new ValidationError('A reason is required to record a calendar source failure.');
      return [{ type: 'BusyTimeSourceFailed', data: { resourceId, source, reason, failedAt: at } }];
    }
    default: {
      const _never: never = command;
      throw new ValidationError(`Unknown calendar command ${JSON.stringify(_never)}.`);
    }
  }
};
