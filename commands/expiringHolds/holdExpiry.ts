import type { WriteDeps } from '../shared/commandHandler.ts';
import type { Clock } from '../shared/ports.ts';
import { createInMemoryHoldDeadlines, type DueItem, type HoldDeadlines } from './deadlineIndex.ts';
import { expireReservation, expireSlotHolds } from './expireDue.ts';

export interface HoldExpiryDeps extends WriteDeps {
  readonly clock: Clock;
}

/** Where the scheduler reports what it could not do; pino's `warn(obj, msg)` fits. */
export interface ExpiryLogger {
  warn(details: object, message: string): void;
  info?(details: object, message: string): void;
}

export interface HoldExpiryOptions {
  /** Pause between passes, ms (default 1000). Expiry is at most this late. */
  readonly tickMs?: number;
  /** Due items handled at once (default 4); keep below the pool size. */
  readonly concurrency?: number;
  /** Events read per page while catching up with the log (default 1000; in-memory deadlines). */
  readonly pageSize?: number;
  /** Most due items handled per pass (default 1000); the rest wait for the next pass. */
  readonly maxPerPass?: number;
  /**
   * Where the deadlines are kept. Default: in this process's memory, rebuilt
   * from the start of the log on the first pass. The server passes the
   * checkpointed PostgreSQL table, so start-up does not grow with the log.
   */
  readonly deadlines?: HoldDeadlines;
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
}

/**
 * The hold-expiry process manager. Its deadlines (`HoldDeadlines`) follow the
 * `slot` and `reservation` categories from a checkpoint; each pass catches
 * them up and expires what is due through the deciders. Safe with several
 * instances: every expiry is an append with the expected revision, and the
 * loser of a race reloads and decides nothing, so each hold expires exactly once.
 */
export const createHoldExpiry = (
  deps: HoldExpiryDeps,
  options: HoldExpiryOptions = {},
): HoldExpiry => {
  const deadlines = options.deadlines ?? createInMemoryHoldDeadlines(deps.store, options.pageSize);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxPerPass = options.maxPerPass ?? 1000;

  const handle = async (
    item: DueItem,
    now: Date,
    pass: { holds: number; reservations: number },
  ) => {
    if (item.kind === 'slot') {
      const { expired, pending } = await expireSlotHolds(deps, item.stream, now);
      pass.holds += expired;
      await deadlines.settleSlot(item.stream, pending, now);
    } else {
      const { expired, nextDeadline } = await expireReservation(deps, item.reservationId, now);
      if (expired) pass.reservations += 1;
      await deadlines.settleReservation(item.reservationId, nextDeadline, now);
    }
  };

  const pass = async (now: Date): Promise<ExpiryPass> => {
    await deadlines.catchUp();
    // Reservations release their own holds, so they go first on a tie, in deadline order.
    const queue = await deadlines.due(now, maxPerPass);
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

  // One pass at a time per instance: a pass's catch-up and settles belong together.
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
  const started = Date.now();
  let first = true;
  const tick = () => {
    running = expiry
      .runExpiryOnce()
      .then((pass) => {
        if (first)
          options.logger?.info?.(
            { ms: Date.now() - started, ...pass },
            'hold expiry caught up with the log (first pass done)',
          );
        first = false;
      })
      .catch((error: unknown) => options.logger?.warn({ err: error }, 'hold expiry pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, tickMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    runExpiryOnce: (now) => expiry.runExpiryOnce(now),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
