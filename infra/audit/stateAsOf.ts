import { decodeRecorded } from '../../commands/shared/eventCodec.ts';
import type { EventCodec } from '../../commands/shared/eventCodec.ts';
import type { EventStore, RecordedEvent } from '../../commands/shared/eventStore.ts';
import { calendarDecider } from '../../domain/calendar/calendarDecider.ts';
import { sagaDecider } from '../../domain/payment/sagaDecider.ts';
import { reservationDecider } from '../../domain/reservation/decider.ts';
import { resourceDecider } from '../../domain/resource/resourceDecider.ts';
import type { DomainEvent } from '../../domain/shared/eventDefinition.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import { categoryOf } from '../../commands/shared/eventStore.ts';

/** An `evolve` over any event: each stream category's decider, type-erased for the audit view. */
type Evolver = { initialState(): unknown; evolve(state: unknown, event: DomainEvent): unknown };

const asEvolver = <S, E>(decider: {
  initialState(): S;
  evolve(state: S, event: E): S;
}): Evolver => ({
  initialState: () => decider.initialState(),
  evolve: (state, event) => decider.evolve(state as S, event as E),
});

const EVOLVERS: Readonly<Record<string, Evolver>> = {
  resource: asEvolver(resourceDecider),
  slot: asEvolver(slotDecider),
  reservation: asEvolver(reservationDecider),
  payment: asEvolver(sagaDecider),
  calendar: asEvolver(calendarDecider),
};

/** `--as-of`: a revision (digits) or an ISO instant. */
export type AsOf = { readonly revision: number } | { readonly instant: string } | undefined;

export const parseAsOf = (value: string | undefined): AsOf => {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return { revision: Number(value) };
  if (Number.isNaN(Date.parse(value))) {
    throw new ValidationError(
      `--as-of must be a stream revision (e.g. 3) or an ISO instant (e.g. 2026-12-01T10:00:00Z); got "${value}".`,
    );
  }
  return { instant: new Date(value).toISOString() };
};

const isIncluded = (event: RecordedEvent, asOf: AsOf): boolean => {
  if (asOf === undefined) return true;
  if ('revision' in asOf) return event.revision <= asOf.revision;
  return Date.parse(event.metadata.recordedAt) <= Date.parse(asOf.instant);
};

/** Maps and sets become plain JSON so an auditor can read the state. */
export const toJsonValue = (value: unknown): unknown => {
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toJsonValue(v)]));
  }
  if (value instanceof Set) return [...value].map(toJsonValue);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  }
  return value;
};

/**
 * A stream's state as of a revision or an instant, folded through the same
 * upcasters and deciders as the write side, so the audit view cannot disagree
 * with what the system decided on.
 */
export const stateAsOf = async (
  store: EventStore,
  codec: EventCodec,
  stream: string,
  asOf: AsOf,
): Promise<{ state: unknown; revision: number | undefined; events: number }> => {
  const evolver = EVOLVERS[categoryOf(stream)];
  if (!evolver) {
    throw new ValidationError(
      `No aggregate for stream category "${categoryOf(stream)}"; expected one of ${Object.keys(EVOLVERS).join(', ')}.`,
    );
  }
  const included = (await store.readStream(stream)).filter((event) => isIncluded(event, asOf));
  const state = included.reduce(
    (current, event) => evolver.evolve(current, decodeRecorded(codec, event)),
    evolver.initialState(),
  );
  return {
    state: toJsonValue(state),
    revision: included.at(-1)?.revision,
    events: included.length,
  };
};
