import type { ZoneTime } from './zoneTime.ts';
import type { ResourceConfig } from '../resource/schema.ts';
import type { SlotKey } from '../shared/streams.ts';
import type { EpochMillis } from '../shared/time.ts';
import type { SlotReason } from './reasons.ts';

/** The resource settings the timed pipeline reads. */
export type TimedResource = Pick<
  ResourceConfig,
  | 'zone'
  | 'capacity'
  | 'weeklyHours'
  | 'dateOverrides'
  | 'slotMinutes'
  | 'bufferBeforeMinutes'
  | 'bufferAfterMinutes'
  | 'minimumNoticeMinutes'
  | 'horizonDays'
>;

export interface BusyBooking {
  readonly reservationId: string;
  readonly start: EpochMillis;
  readonly end: EpochMillis;
  readonly quantity: number;
}
export interface BusyHold extends BusyBooking {
  /** A hold with `expiresAt ≤ now` no longer blocks anything. */
  readonly expiresAt: EpochMillis;
}
/** Imported calendar busy time (`BusyTimeImported`), per source, with how fresh the import is. */
export interface CalendarSource {
  readonly sourceId: string;
  readonly status: 'fresh' | 'stale' | 'failed';
  readonly blocks: readonly {
    readonly start: EpochMillis;
    readonly end: EpochMillis;
    readonly tentative?: boolean;
  }[];
}

export interface TimedAvailabilityInput {
  readonly resource: TimedResource;
  /** The window to list, [from, to). */
  readonly from: EpochMillis;
  readonly to: EpochMillis;
  readonly now: EpochMillis;
  /** Slot length for this query (seed 004 `slotDuration`); defaults to the resource's. */
  readonly slotMinutes?: number;
  /** Units wanted per slot; default 1. */
  readonly quantity?: number;
  readonly bookings: readonly BusyBooking[];
  readonly holds: readonly BusyHold[];
  readonly calendars: readonly CalendarSource[];
  /** Slots closed on their slot streams. */
  readonly closedSlotKeys?: readonly SlotKey[];
  /** Capacity in force per slot where its stream overrides the resource's (SlotCapacityOverridden). */
  readonly slotCapacities?: Readonly<Record<SlotKey, number>>;
  /** The asking reservation: its own bookings and holds do not block it. */
  readonly forReservationId?: string;
  /** Zone conversions; default the plain ones. Not part of `computedVersion` (it changes no answer). */
  readonly zoneTime?: ZoneTime;
}

export interface AvailabilitySlot {
  readonly slotKey: SlotKey;
  readonly startTime: string;
  readonly endTime: string;
  readonly isAvailable: boolean;
  /**
   * Units still free in the slot (its capacity minus bookings and active holds
   * over the slot and its buffers); 0 when closed, outside the hours, busy in
   * the calendar or outside the booking window.
   */
  readonly remaining: number;
  readonly confidence: number;
  readonly reasons: readonly SlotReason[];
  readonly computedAt: string;
  readonly computedVersion: string;
}

export interface TimedAvailability {
  readonly computedAt: string;
  readonly computedVersion: string;
  readonly slots: readonly AvailabilitySlot[];
}
