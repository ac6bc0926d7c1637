import {
  assertPeriodKind,
  HOLD_PERIOD_RULES,
  resolvePeriod,
  type Period,
  type ResolvedPeriod,
} from '../availability/period.ts';
import type { ResourceConfig } from '../resource/schema.ts';
import { localToEpochMillis, toEpochMillis, toIsoInstant } from '../shared/time.ts';

/** What a caller asks to book, in the shape its API uses. */
export type HoldPeriod =
  | Exclude<Period, { kind: 'instants' }>
  /** ISO 8601 instants with offsets (seed 004 `slotStartTime`/`slotEndTime`). */
  | { readonly kind: 'instants'; readonly start: string; readonly end: string };

/** A resolved period plus the instants a reservation records. */
export type ResolvedHoldPeriod = ResolvedPeriod & {
  readonly startsAt: string;
  readonly endsAt: string;
};

const toPeriod = (config: ResourceConfig, period: HoldPeriod): Period => {
  if (period.kind !== 'instants') return period;
  // The resource's kind is the first answer, before the instants are parsed.
  assertPeriodKind(config, period.kind, HOLD_PERIOD_RULES);
  return { kind: 'instants', start: toEpochMillis(period.start), end: toEpochMillis(period.end) };
};

/** The slots a hold or booking claims on a resource, under the write side's limits. */
export const resolveHoldPeriod = (
  config: ResourceConfig,
  period: HoldPeriod,
): ResolvedHoldPeriod => {
  const resolved = resolvePeriod(config, toPeriod(config, period), HOLD_PERIOD_RULES);
  return resolved.kind === 'nightly'
    ? {
        ...resolved,
        startsAt: toIsoInstant(localToEpochMillis(resolved.checkIn, 0, config.zone)),
        endsAt: toIsoInstant(localToEpochMillis(resolved.checkOut, 0, config.zone)),
      }
    : { ...resolved, startsAt: toIsoInstant(resolved.start), endsAt: toIsoInstant(resolved.end) };
};
