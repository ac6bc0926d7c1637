import type { WriteDeps } from '../shared/commandHandler.ts';
import type { Checkpoint } from '../shared/eventStore.ts';
import type { Clock } from '../shared/ports.ts';
import { createDeadlineIndex, type DueItem } from './deadlineIndex.ts';
import { expireReservation, expireSlotHolds } from './expireDue.ts';

export interface HoldExpiryDeps extends WriteDeps {
  readonly clock: Clock;
}

/** Where the scheduler reports what it could not do; pino's `warn(obj, msg)` fits. */
export interface ExpiryLogger {
  warn(details: object, message: string): void;
}

export interface HoldExpiryOptions {
  /** Pause between passes, ms (default 1000). Expiry is at most this late. */
  readonly tickMs?: number;
  /** Due items handled at once (default 4); keep below the pool size. */
  readonly concurrency?: number;
  /** Events read per page while catching up with the log (default 1000). */
  readonly pageSize?: number;
  readonly logger?: ExpiryLogger;
}

export interface ExpiryPass {
  readonly holdsExpired: number;
  readonly reservationsExpired: number;
  /** Due items that failed this pass (kept for the next one). */
  readonly failures: number;
}

export interface HoldExpiry {
  /** Catches up with the log, then expires everything due at `now` (default: the clock). */
  runExpiryOnce(now?: Date): Promise<ExpiryPass>;
  /** Items the index currently tracks. */
  readonly tracked: number;
}

/**
 * The hold-expiry process manager. It follows the `slot` and `reservation`
 * categories with gap-free `readAll` pages from its last checkpoint (the
 * first pass reads them from the start: the index is rebuilt, not stored)
 * and expires what is due through the deciders. Safe with several instances:
 * every expiry is an append with the expected revision, and the loser of a
 * race reloads and decides nothing, so each hold expires exactly once.
 */
export const createHoldExpiry = (
  deps: HoldExpiryDeps,
  options: HoldExpiryOptions = {},
): HoldExpiry => {
  const index = createDeadlineIndex();
  const pageSize = options.pageSize ?? 1000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  let checkpoint: Checkpoint | undefined;

  const catchUp = async (): Promise<void> => {
    for (;;) {
      const page = await deps.store.readAll({
        ...(checkpoint === undefined ? {} : { from: checkpoint }),
        maxCount: pageSize,
        filter: { categories: ['slot', 'reservation'] },
      });
      for (const event of page) index.apply(event);
      checkpoint = page.at(-1)?.checkpoint ?? checkpoint;
      if (page.length < pageSize) return;
    }
  };

  const handle = async (
    item: DueItem,
    now: Date,
    pass: { holds: number; reservations: number },
  ) => {
    if (item.kind === 'slot') {
      const { expired, pending } = await expireSlotHolds(deps, item.stream, now);
      pass.holds += expired;
      index.setSlotHolds(item.stream, pending);
    } else {
      const { expired, nextDeadline } = await expireReservation(deps, item.reservationId, now);
      if (expired) pass.reservations += 1;
      index.setReservation(item.reservationId, nextDeadline);
    }
  };

  const pass = async (now: Date): Promise<ExpiryPass> => {
    await catchUp();
    // Reservations release their own holds, so they go first on a tie, in deadline order.
    const queue = index.due(now.getTime());
    const counts = { holds: 0, reservations: 0, failures: 0 };
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        try {
          await handle(item, now, counts);
        } catch (error) {
          counts.failures += 1;
          options.logger?.warn({ err: error, item }, 'hold expiry failed; retrying next pass');
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return {
      holdsExpired: counts.holds,
      reservationsExpired: counts.reservations,
      failures: counts.failures,
    };
  };

  // One pass at a time per instance: the checkpoint and the index belong to one pass.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    runExpiryOnce: (now = deps.clock.now()) => {
      const next = previous.then(
        () => pass(now),
        () => pass(now),
      );
      previous = next.catch(() => undefined);
      return next;
    },
    get tracked() {
      return index.size;
    },
  };
};

/** Runs passes every `tickMs` until stopped; a pass never overlaps the previous one. */
export const startHoldExpiry = (
  deps: HoldExpiryDeps,
  options: HoldExpiryOptions = {},
): HoldExpiry & { stop(): Promise<void> } => {
  const expiry = createHoldExpiry(deps, options);
  const tickMs = options.tickMs ?? 1000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = expiry
      .runExpiryOnce()
      .catch((error: unknown) => options.logger?.warn({ err: error }, 'hold expiry pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, tickMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    runExpiryOnce: (now) => expiry.runExpiryOnce(now),
    get tracked() {
      return expiry.tracked;
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
