import type { SlotCommand, SlotTarget } from '../../domain/slot/commands.ts';
import type { SlotEvent } from '../../domain/slot/events.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { SlotState } from '../../domain/slot/state.ts';
import { slotStream, type SlotKey } from '../../domain/shared/streams.ts';
import { expectedRevisionOf, loadStream, retryOnConflict } from '../shared/commandHandler.ts';
import { toEventsToAppend } from '../shared/eventCodec.ts';
import type { Checkpoint, StreamAppend } from '../shared/eventStore.ts';
import { metadataFor, type Caller } from '../shared/writeMetadata.ts';
import { assertNotRetired, loadOwnedResource, versionOf } from '../shared/resourceAdmin.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { slotKeysOf, type SlotRange } from './slotRange.ts';

/** Builds the command for one slot of the range; `now` is the same instant for all. */
export type CommandFor = (target: SlotTarget, now: string) => SlotCommand;

export interface SlotSummary {
  readonly slotKey: SlotKey;
  readonly version: number;
  readonly status: 'Open' | 'Closed';
  readonly capacity: number;
}

export interface SlotsAnswer {
  readonly resourceId: string;
  /** Version of the resource whose hours and capacity the range was read with. */
  readonly version: number;
  readonly position: Checkpoint;
  /** Slots whose stream changed. */
  readonly changed: number;
  readonly slots: readonly SlotSummary[];
}

interface Decided {
  readonly slotKey: SlotKey;
  readonly stream: string;
  readonly revision: number | undefined;
  readonly events: SlotEvent[];
  readonly after: SlotState;
}

const summaryOf = (d: Decided, resourceCapacity: number): SlotSummary => ({
  slotKey: d.slotKey,
  version: versionOf(d.revision) + d.events.length,
  status: d.after.status === 'Closed' ? 'Closed' : 'Open',
  capacity: d.after.status === 'Empty' ? resourceCapacity : d.after.capacity,
});

/**
 * Decides one slot command for every slot of a range, then appends all the
 * changed streams together: atomically where the store can, else stream by
 * stream (the commands are idempotent, so a retry after a lost race only
 * finishes what is left). Any refusal refuses the whole range before
 * anything is written.
 */
export const applyToSlots = async (
  writeSide: WriteSide,
  resourceId: string,
  caller: Caller,
  range: SlotRange,
  commandFor: CommandFor,
): Promise<SlotsAnswer> => {
  const resource = await loadOwnedResource(writeSide, resourceId, caller.principal);
  const config = assertNotRetired(resourceId, resource.state);
  const keys = slotKeysOf(range, config);
  const metadata = metadataFor(caller);
  return retryOnConflict(async () => {
    const now = writeSide.clock.now().toISOString();
    const decided = await Promise.all(
      keys.map(async (slotKey): Promise<Decided> => {
        const stream = slotStream(resourceId, slotKey);
        const loaded = await loadStream(writeSide, stream, slotDecider);
        const target = { resourceId, slotKey, resourceCapacity: config.capacity };
        const events = slotDecider.decide(commandFor(target, now), loaded.state);
        const after = events.reduce((s, e) => slotDecider.evolve(s, e), loaded.state);
        return { slotKey, stream, revision: loaded.revision, events, after };
      }),
    );
    const appends: StreamAppend[] = decided
      .filter((d) => d.events.length > 0)
      .map((d) => ({
        stream: d.stream,
        expectedRevision: expectedRevisionOf(d.revision),
        events: toEventsToAppend(writeSide.codec, writeSide.ids, d.events, metadata),
      }));
    let position: Checkpoint | undefined;
    if (appends.length > 0 && writeSide.store.capabilities.atomicMultiStreamAppend) {
      position = (await writeSide.store.append(appends)).position;
    } else {
      for (const append of appends) position = (await writeSide.store.append([append])).position;
    }
    return {
      resourceId,
      version: versionOf(resource.revision),
      position: position ?? (await writeSide.store.headPosition()) ?? '',
      changed: appends.length,
      slots: decided.map((d) => summaryOf(d, config.capacity)),
    };
  });
};
