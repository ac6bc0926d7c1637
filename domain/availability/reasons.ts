/**
 * Why a timed slot is or is not available. Blocking reasons make a slot
 * unavailable; notes only lower its confidence.
 */
export const BLOCKING_REASONS = [
  'OUTSIDE_HOURS',
  'CLOSED',
  'BUSY_BOOKING',
  /** More units asked than the slot has at all, booked or not: fewer units, not other times. */
  'EXCEEDS_CAPACITY',
  'BUSY_CALENDAR',
  'HELD',
  'BUFFER',
  'MIN_NOTICE',
  'BEYOND_HORIZON',
] as const;
export const NOTE_REASONS = ['NEAR_BUFFER', 'CALENDAR_STALE', 'CALENDAR_FAILED'] as const;
export type BlockingReason = (typeof BLOCKING_REASONS)[number];
export type NoteReason = (typeof NOTE_REASONS)[number];
export type SlotReason = BlockingReason | NoteReason;

/**
 * Seed 004's confidence scale, per blocking reason: 1.0 free and all rules
 * met; 0.8 free but near a buffer; 0.6 free but minimum notice (or, by the
 * same logic, the horizon) not met; 0.4 free but outside hours; 0.2 calendar
 * tentative (and others' holds, which may still expire); 0.0 explicitly busy.
 * A slot's confidence is the lowest score among its reasons.
 */
export const REASON_CONFIDENCE: Readonly<Record<BlockingReason, number>> = {
  OUTSIDE_HOURS: 0.4,
  CLOSED: 0,
  BUSY_BOOKING: 0,
  EXCEEDS_CAPACITY: 0,
  BUSY_CALENDAR: 0,
  HELD: 0.2,
  BUFFER: 0,
  MIN_NOTICE: 0.6,
  BEYOND_HORIZON: 0.6,
};
export const NEAR_BUFFER_CONFIDENCE = 0.8;
export const TENTATIVE_CONFIDENCE = 0.2;
/** How much a calendar source we could not refresh lowers confidence: we may be missing busy time. */
export const STALE_PENALTY = 0.2;
export const FAILED_PENALTY = 0.4;

/** Kept to one decimal so float noise never reaches a client (0.6000000000000001). */
export const roundConfidence = (value: number): number =>
  Math.round(Math.max(0, Math.min(1, value)) * 10) / 10;
