import { reservationDecider } from '../../domain/reservation/decider.ts';
import { DomainError, IllegalStateError } from '../../domain/shared/errors.ts';
import { reservationStream, slotStream } from '../../domain/shared/streams.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { WriteDeps } from '../shared/commandHandler.ts';
import { handleCommand } from '../shared/commandHandler.ts';
import type { EventMetadata } from '../shared/eventStore.ts';

export const EXPIRY_METADATA: EventMetadata = {
  actor: { principal: 'hold-expiry', role: 'system' },
};

/**
 * ExpireHolds on one slot stream: HoldExpired for every hold due at `now`,
 * nothing when another instance got there first (it reloads after a lost
 * race). Returns how many holds it expired and the holds still pending.
 */
export const expireSlotHolds = async (
  deps: WriteDeps,
  stream: string,
  now: Date,
): Promise<{ expired: number; pending: ReadonlyMap<string, number> }> => {
  const outcome = await handleCommand(
    deps,
    stream,
    slotDecider,
    { type: 'ExpireHolds', now: now.toISOString() },
    EXPIRY_METADATA,
  );
  const pending = new Map<string, number>();
  if (outcome.state.status !== 'Empty') {
    for (const hold of outcome.state.holds.values())
      pending.set(hold.reservationId, hold.expiresAt);
  }
  return { expired: outcome.events.length, pending };
};

/**
 * Expire on one reservation (the decider ignores it when not yet due), then
 * releases the holds of its slots so capacity returns at once. Returns whether
 * this call expired it and the reservation's next deadline (null: none).
 */
export const expireReservation = async (
  deps: WriteDeps,
  reservationId: string,
  now: Date,
): Promise<{ expired: boolean; nextDeadline: number | null }> => {
  const stream = reservationStream(reservationId);
  let outcome;
  try {
    outcome = await handleCommand(
      deps,
      stream,
      reservationDecider,
      { type: 'Expire', reservationId, now: now.toISOString() },
      EXPIRY_METADATA,
    );
  } catch (error) {
    // Terminal and committing states refuse Expire: nothing will ever be due there.
    if (error instanceof IllegalStateError) return { expired: false, nextDeadline: null };
    throw error;
  }
  const state = outcome.state;
  if (state.status === 'NONE') return { expired: false, nextDeadline: null };
  if (outcome.events.length === 0) {
    const next = state.expiresAt === null ? null : Date.parse(state.expiresAt);
    return { expired: false, nextDeadline: next !== null && next > now.getTime() ? next : null };
  }
  for (const slotKey of state.slots) {
    try {
      await handleCommand(
        deps,
        slotStream(state.resource.resourceId, slotKey),
        slotDecider,
        {
          type: 'ReleaseHold',
          reservationId,
          reason: 'reservation expired',
          now: now.toISOString(),
        },
        EXPIRY_METADATA,
      );
    } catch (error) {
      // A slot already booked for it is the commit's to undo, not ours.
      if (!(error instanceof DomainError) || error.retryable) throw error;
    }
  }
  return { expired: true, nextDeadline: null };
};
