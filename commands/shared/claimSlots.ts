import type { DomainEvent } from '../../domain/shared/eventDefinition.ts';
import type { SlotEvent } from '../../domain/slot/events.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { SlotState } from '../../domain/slot/state.ts';
import {
  expectedRevisionOf,
  loadStream,
  retryOnConflict,
  type WriteDeps,
} from './commandHandler.ts';
import { toEventsToAppend } from './eventCodec.ts';
import type {
  AppendResult,
  Checkpoint,
  EventMetadata,
  ExpectedRevision,
  StreamAppend,
} from './eventStore.ts';
import type { LoadedSlots } from './loadSlots.ts';

/** One change to one slot stream, decided against the slot's current state. */
export interface SlotStep {
  readonly stream: string;
  /** The slot's events for this change; throws a DomainError to refuse (e.g. SLOT_UNAVAILABLE). */
  readonly decide: (state: SlotState) => readonly SlotEvent[];
  /** Ordered path only: undoes this step when a later one fails (e.g. releases the hold it placed). */
  readonly undo?: (state: SlotState) => readonly SlotEvent[];
}

/** The write to an aggregate stream (the reservation) that the slot changes go with. */
export interface AggregateWrite {
  readonly stream: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly DomainEvent[];
}

/**
 * A write spanning slots and an aggregate. `claims` must all succeed before
 * the aggregate is written (its decision point); `releases` give back what
 * the aggregate no longer needs and follow it.
 */
export interface SlotWritePlan {
  readonly claims: readonly SlotStep[];
  readonly aggregates: readonly AggregateWrite[];
  readonly releases: readonly SlotStep[];
}

export interface PreparedSlotWrite<R> {
  readonly plan: SlotWritePlan;
  /** The slot streams the plan was decided against: their revisions are the expected ones. */
  readonly slots: LoadedSlots;
  /** Whatever the caller wants back (the decided reservation state, say). */
  readonly result: R;
  /** Facts decided with the plan that go into every event's metadata (a refund computation, say). */
  readonly metadata?: Record<string, unknown>;
  /**
   * The slot streams' events already decided against `slots` (a domain
   * booking plan's `slotWrites`): the atomic path appends them as they are
   * instead of deciding the steps a second time.
   */
  readonly decided?: readonly AggregateWrite[];
}

export interface SlotWriteOutcome<R> {
  readonly result: R;
  /**
   * The furthest log position the write reached; when nothing was appended, the
   * log's head (what the no-op was decided against). `undefined` only for an empty log.
   */
  readonly position: Checkpoint | undefined;
  /** Revision of every stream appended to, after the write. */
  readonly revisions: ReadonlyMap<string, number>;
}

/** A compensating step of the ordered claim that could not be appended. */
export interface CompensationFailure {
  /** The slot stream whose claim is left in place until its hold expires or an operator releases it. */
  readonly stream: string;
  /** The write's correlation id, to find it in the log. */
  readonly correlationId: string | undefined;
  readonly error: unknown;
}

/**
 * Where failed compensations are reported (the composition root logs them and
 * counts them in a Prometheus counter). The caller still sees the original
 * refusal; the orphaned claim heals when its hold expires.
 */
export interface CompensationFailures {
  record(failure: CompensationFailure): void;
}

/** The write dependencies plus the optional reporter of failed compensations. */
export interface SlotWriteDeps extends WriteDeps {
  readonly compensationFailures?: CompensationFailures;
}

export interface SlotWriteOptions {
  /** Attempts of the whole write (atomic) or of one slot (ordered) after revision conflicts; default 20. */
  readonly maxAttempts?: number;
  /** Metadata of compensating events; defaults to the write's metadata plus `compensation: true`. */
  readonly compensationMetadata?: EventMetadata;
}

const byStream = (a: SlotStep, b: SlotStep): number =>
  a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0;

const collect = (result: AppendResult, into: Map<string, number>): void => {
  for (const { stream, revision } of result.streams) into.set(stream, revision);
};

/** Every slot's events in one list per stream, folding steps on the same stream in order. */
const decideAll = (prepared: PreparedSlotWrite<unknown>): Map<string, SlotEvent[]> => {
  const decided = new Map<string, { state: SlotState; events: SlotEvent[] }>();
  const { claims, releases } = prepared.plan;
  for (const step of [...[...claims].sort(byStream), ...releases]) {
    const loaded = prepared.slots.get(step.stream);
    if (loaded === undefined) throw new Error(`Slot stream ${step.stream} was not loaded.`);
    const entry = decided.get(step.stream) ?? { state: loaded.state, events: [] };
    const events = step.decide(entry.state);
    entry.state = events.reduce((s, e) => slotDecider.evolve(s, e), entry.state);
    entry.events.push(...events);
    decided.set(step.stream, entry);
  }
  return new Map([...decided].map(([stream, { events }]) => [stream, events]));
};

/** The streams a prepared write appends to, when it does. */
const streamsOf = (prepared: PreparedSlotWrite<unknown>): string[] => [
  ...prepared.plan.claims.map((step) => step.stream),
  ...prepared.plan.releases.map((step) => step.stream),
  ...prepared.plan.aggregates.map((write) => write.stream),
];

/** One attempt of the atomic path: decide every stream, append them in one call. */
const appendPrepared = async <R>(
  deps: WriteDeps,
  prepared: PreparedSlotWrite<R>,
  baseMetadata: EventMetadata,
): Promise<SlotWriteOutcome<R>> => {
  const metadata = { ...baseMetadata, ...prepared.metadata };
  const appends: StreamAppend[] = [];
  const decided =
    prepared.decided ??
    [...decideAll(prepared)].map(([stream, events]) => ({
      stream,
      expectedRevision: expectedRevisionOf(prepared.slots.get(stream)?.revision),
      events,
    }));
  for (const write of decided) {
    if (write.events.length === 0) continue;
    appends.push({
      stream: write.stream,
      expectedRevision: write.expectedRevision,
      events: toEventsToAppend(deps.codec, deps.ids, write.events, metadata),
    });
  }
  for (const write of prepared.plan.aggregates) {
    if (write.events.length === 0) continue;
    appends.push({
      stream: write.stream,
      expectedRevision: write.expectedRevision,
      events: toEventsToAppend(deps.codec, deps.ids, write.events, metadata),
    });
  }
  const revisions = new Map<string, number>();
  if (appends.length === 0) return { result: prepared.result, position: undefined, revisions };
  const appended = await deps.store.append(appends);
  collect(appended, revisions);
  return { result: prepared.result, position: appended.position, revisions };
};

/**
 * Atomic stores: every slot stream and the aggregate in one append, whole write
 * retried on conflict. With lanes, a write that had to wait for another one on
 * its streams prepares again under the lanes before it appends, so writers of a
 * hot slot in this process take turns instead of conflicting.
 */
const writeAtomically = <R>(
  deps: WriteDeps,
  prepare: () => Promise<PreparedSlotWrite<R>>,
  baseMetadata: EventMetadata,
  maxAttempts: number,
): Promise<SlotWriteOutcome<R>> =>
  retryOnConflict(async () => {
    const prepared = await prepare();
    if (deps.lanes === undefined) return appendPrepared(deps, prepared, baseMetadata);
    const lane = await deps.lanes.acquire(streamsOf(prepared));
    try {
      return await appendPrepared(deps, lane.waited ? await prepare() : prepared, baseMetadata);
    } finally {
      lane.release();
    }
  }, maxAttempts);

/** Decides and appends one slot step from a fresh load, retried on conflicts. */
const applyStep = (
  deps: WriteDeps,
  stream: string,
  decide: (state: SlotState) => readonly SlotEvent[],
  metadata: EventMetadata,
  maxAttempts: number,
): Promise<AppendResult | undefined> =>
  retryOnConflict(async () => {
    const loaded = await loadStream(deps, stream, slotDecider);
    const events = decide(loaded.state);
    if (events.length === 0) return undefined;
    return deps.store.append([
      {
        stream,
        expectedRevision: expectedRevisionOf(loaded.revision),
        events: toEventsToAppend(deps.codec, deps.ids, events, metadata),
      },
    ]);
  }, maxAttempts);

/**
 * Undoes claimed steps newest first. A failed undo is reported to
 * `compensationFailures` and not rethrown: the original refusal is what the
 * caller must see, and an orphaned hold heals by itself when it expires.
 */
const compensate = async (
  deps: SlotWriteDeps,
  claimed: readonly SlotStep[],
  metadata: EventMetadata,
  maxAttempts: number,
): Promise<void> => {
  for (const step of [...claimed].reverse()) {
    if (step.undo === undefined) continue;
    try {
      await applyStep(deps, step.stream, step.undo, metadata, maxAttempts);
    } catch (error) {
      deps.compensationFailures?.record({
        stream: step.stream,
        correlationId: metadata.correlationId,
        error,
      });
    }
  }
};

/**
 * Stores without atomic multi-stream appends: claim slot by slot in sorted
 * stream order (so overlapping claims meet at their first shared slot), undo
 * the claimed ones when a later one or the aggregate fails, then release.
 */
const writeInOrder = async <R>(
  deps: SlotWriteDeps,
  prepared: PreparedSlotWrite<R>,
  baseMetadata: EventMetadata,
  options: Required<Pick<SlotWriteOptions, 'maxAttempts'>> & SlotWriteOptions,
): Promise<SlotWriteOutcome<R>> => {
  const metadata = { ...baseMetadata, ...prepared.metadata };
  const revisions = new Map<string, number>();
  let position: Checkpoint | undefined;
  const track = (result: AppendResult | undefined): void => {
    if (result === undefined) return;
    collect(result, revisions);
    if (position === undefined || deps.store.comparePositions(result.position, position) > 0)
      position = result.position;
  };
  const undoMetadata = options.compensationMetadata ?? { ...metadata, compensation: true };
  const claimed: SlotStep[] = [];
  try {
    for (const step of [...prepared.plan.claims].sort(byStream)) {
      track(await applyStep(deps, step.stream, step.decide, metadata, options.maxAttempts));
      claimed.push(step);
    }
    const aggregates = prepared.plan.aggregates.filter((write) => write.events.length > 0);
    if (aggregates.length > 0) {
      track(
        await deps.store.append(
          aggregates.map((write) => ({
            stream: write.stream,
            expectedRevision: write.expectedRevision,
            events: toEventsToAppend(deps.codec, deps.ids, write.events, metadata),
          })),
        ),
      );
    }
  } catch (error) {
    await compensate(deps, claimed, undoMetadata, options.maxAttempts);
    throw error;
  }
  for (const step of prepared.plan.releases) {
    track(await applyStep(deps, step.stream, step.decide, metadata, options.maxAttempts));
  }
  return { result: prepared.result, position, revisions };
};

/**
 * Executes a write that claims or releases capacity on slot streams together
 * with an aggregate: one atomic append when the store can, otherwise the
 * ordered claim with compensation (DESIGN.md "Multi-slot holds"). `prepare`
 * loads and decides everything; it runs again after a revision conflict.
 */
export const executeSlotWrite = async <R>(
  deps: SlotWriteDeps,
  prepare: () => Promise<PreparedSlotWrite<R>>,
  metadata: EventMetadata,
  options: SlotWriteOptions = {},
): Promise<SlotWriteOutcome<R>> => {
  const maxAttempts = options.maxAttempts ?? 20;
  const outcome = deps.store.capabilities.atomicMultiStreamAppend
    ? await writeAtomically(deps, prepare, metadata, maxAttempts)
    : // A conflict on the aggregate (another writer moved it) re-prepares from scratch.
      await retryOnConflict(
        async () => writeInOrder(deps, await prepare(), metadata, { ...options, maxAttempts }),
        maxAttempts,
      );
  return outcome.position === undefined
    ? { ...outcome, position: await deps.store.headPosition() }
    : outcome;
};
