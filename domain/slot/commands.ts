/**
 * Commands to the Slot decider. `now` and `expiresAt` are ISO 8601 instants
 * with an offset (the domain has no clock). Commands that may be the first on
 * a stream carry the slot's identity and the resource's current capacity,
 * because a slot stream exists only once something happens to it.
 */
export interface SlotTarget {
  readonly resourceId: string;
  readonly slotKey: string;
  /** The resource's capacity; used only when this command opens the stream. */
  readonly resourceCapacity: number;
}

export interface PlaceHold extends SlotTarget {
  readonly type: 'PlaceHold';
  readonly reservationId: string;
  readonly quantity: number;
  readonly expiresAt: string;
  readonly now: string;
}
/** Releasing a hold that is not there (already released or expired) decides nothing. */
export interface ReleaseHold {
  readonly type: 'ReleaseHold';
  readonly reservationId: string;
  readonly reason: string;
  readonly now: string;
}
/** Emits HoldExpired for every hold with `expiresAt ≤ now`; nothing when none is due. */
export interface ExpireHolds {
  readonly type: 'ExpireHolds';
  readonly now: string;
}
export interface BookHold {
  readonly type: 'BookHold';
  readonly reservationId: string;
  readonly now: string;
}
/** Releasing a booking that is not there (already released) decides nothing. */
export interface ReleaseBooking {
  readonly type: 'ReleaseBooking';
  readonly reservationId: string;
  readonly reason: string;
  readonly now: string;
}
export interface OverrideCapacity extends SlotTarget {
  readonly type: 'OverrideCapacity';
  readonly capacity: number;
  readonly now: string;
}
export interface CloseSlot extends SlotTarget {
  readonly type: 'CloseSlot';
  readonly reason: string;
  readonly now: string;
}
export interface OpenSlot extends SlotTarget {
  readonly type: 'OpenSlot';
  readonly now: string;
}

export type SlotCommand =
  | PlaceHold
  | ReleaseHold
  | ExpireHolds
  | BookHold
  | ReleaseBooking
  | OverrideCapacity
  | CloseSlot
  | OpenSlot;
