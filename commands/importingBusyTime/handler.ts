import { calendarDecider, calendarStream } from '../../domain/calendar/calendarDecider.ts';
import type { BusyBlockInput } from '../../domain/calendar/commands.ts';
import type { SourceStatus } from '../../domain/calendar/events.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { addDays, localDateOf, localToEpochMillis } from '../../domain/shared/time.ts';
import { handleCommand } from '../shared/commandHandler.ts';
import type { Checkpoint } from '../shared/eventStore.ts';
import { metadataFor, type Caller } from '../shared/writeMetadata.ts';
import { assertNotRetired, loadOwnedResource, versionOf } from '../shared/resourceAdmin.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { parseIcsBusyTime } from './ics.ts';

export interface BusyTimeAnswer {
  readonly resourceId: string;
  readonly source: string;
  /** Blocks recorded for the source after normalization (sorted, duplicates dropped). */
  readonly blocks: number;
  readonly tentative: number;
  /** Version of the `calendar-{resourceId}` stream. */
  readonly version: number;
  readonly position: Checkpoint;
}

export type BusyTimeUpload =
  | {
      readonly kind: 'json';
      readonly source: string;
      readonly blocks: readonly BusyBlockInput[];
      readonly sourceStatus?: SourceStatus | undefined;
    }
  | { readonly kind: 'ics'; readonly source: string; readonly text: string };

/** From now to the end of the last bookable day: busy time outside it can never block a booking. */
const horizonOf = (config: ResourceConfig, now: number) => ({
  from: now,
  to: localToEpochMillis(
    addDays(localDateOf(now, config.zone), config.horizonDays + 1),
    0,
    config.zone,
  ),
  zone: config.zone,
});

/** Replaces one source's busy time on the resource's calendar stream. */
export const importBusyTime = async (
  writeSide: WriteSide,
  resourceId: string,
  upload: BusyTimeUpload,
  caller: Caller,
): Promise<BusyTimeAnswer> => {
  const resource = await loadOwnedResource(writeSide, resourceId, caller.principal);
  const config = assertNotRetired(resourceId, resource.state);
  const now = writeSide.clock.now();
  const blocks =
    upload.kind === 'json'
      ? upload.blocks
      : parseIcsBusyTime(upload.text, horizonOf(config, now.getTime()));
  const outcome = await handleCommand(
    writeSide,
    calendarStream(resourceId),
    calendarDecider,
    {
      type: 'ImportBusyTime',
      resourceId,
      source: upload.source,
      blocks,
      ...(upload.kind === 'json' && upload.sourceStatus
        ? { sourceStatus: upload.sourceStatus }
        : {}),
      now: now.toISOString(),
    },
    metadataFor(caller),
  );
  const recorded =
    outcome.state.status === 'Tracking' ? outcome.state.sources.get(upload.source) : undefined;
  return {
    resourceId,
    source: upload.source,
    blocks: recorded?.blocks.length ?? 0,
    tentative: recorded?.blocks.filter((b) => b.tentative).length ?? 0,
    version: versionOf(outcome.revision),
    position: outcome.position ?? '',
  };
};
