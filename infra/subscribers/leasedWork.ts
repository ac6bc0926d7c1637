import { EMPTY, retry, switchMap, timer, type Observable, type Subscription } from 'rxjs';
import { createAdvisoryLease } from '../projections/lease.ts';

export interface LeasedWorkOptions {
  /** The lease's name: one holder per name (and scope) across every process. */
  readonly name: string;
  /** Absent: no lease, the work runs here (tests, single-process setups). */
  readonly leaseConnectionString?: string | undefined;
  /** Namespaces the lease (a schema), so separate databases do not share it. */
  readonly leaseScope?: string | undefined;
  /** Told of each failure before the restart (log it, count it). */
  readonly onFailure: (error: unknown) => void;
}

/**
 * Runs a role's work while this process holds its lease, restarting it after
 * a failure with a capped exponential backoff (100 ms doubling to 5 s, reset
 * once it runs again). The webhooks role, the NATS relay and the notifier share it.
 */
export const runLeasedWork = (
  work: Observable<unknown>,
  options: LeasedWorkOptions,
): Subscription => {
  const withRestart = work.pipe(
    retry({
      delay: (error: unknown, count) => {
        options.onFailure(error);
        return timer(Math.min(5_000, 100 * 2 ** (count - 1)));
      },
      resetOnSuccess: true,
    }),
  );
  const running =
    options.leaseConnectionString === undefined
      ? withRestart
      : createAdvisoryLease({
          connectionString: options.leaseConnectionString,
          name:
            options.leaseScope === undefined
              ? options.name
              : `${options.leaseScope}:${options.name}`,
        }).pipe(switchMap((held) => (held ? withRestart : EMPTY)));
  return running.subscribe();
};
