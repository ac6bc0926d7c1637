import { z } from 'zod';
import { positionSchema } from '../../commands/shared/httpSchemas.ts';
import type { ProjectionPositions, ReadProjection, ReadSideDeps } from './ports.ts';

/** How long a read waits for projections to reach the caller's `X-Min-Position` (issue 5). */
export const MIN_POSITION_WAIT_MS = 2_000;

/** Validated like every other input: a bad header is a 400, never a silent fresh read. */
export const minPositionHeaders = z.object({
  'x-min-position': positionSchema.optional(),
});

/** Where slot usage is read from; the answer is the same, only the speed differs. */
export type UsageSource = 'redis' | 'postgres';

export interface Freshness {
  readonly source: UsageSource;
  /** True when the caller sent X-Min-Position and a projection read here did not reach it in time. */
  readonly stale: boolean;
  /** The lowest position the projections read here had reached, for `X-Projection-Position`. */
  readonly position: string | undefined;
  readonly asked: boolean;
}

const parse = (position: string): [bigint, bigint] => {
  const [xid = '0', gpos = '0'] = position.split(':');
  return [BigInt(xid), BigInt(gpos)];
};

const lower = (a: string | undefined, b: string | undefined): string | undefined => {
  if (a === undefined || b === undefined) return undefined;
  const [ax, ap] = parse(a);
  const [bx, bp] = parse(b);
  return ax < bx || (ax === bx && ap < bp) ? a : b;
};

type Outcome = { readonly reached: boolean; readonly position: string | undefined };

const waitAll = async (
  positions: ProjectionPositions,
  names: readonly ReadProjection[],
  target: string,
): Promise<Outcome> => {
  const outcomes = await Promise.all(
    names.map((name) => positions.waitForPosition(name, target, MIN_POSITION_WAIT_MS)),
  );
  return {
    reached: outcomes.every((o) => o.reached),
    position: outcomes
      .map((o) => o.position)
      .reduce<string | undefined>((a, b) => lower(a, b), outcomes[0]?.position),
  };
};

/** Redis's projection cannot be asked while Redis is down: that is a Postgres read, not an error. */
const waitForRedis = (positions: ProjectionPositions, target: string): Promise<Outcome> =>
  waitAll(positions, ['availability.redis'], target).catch(() => ({
    reached: false,
    position: undefined,
  }));

/**
 * Picks the store for slot usage and, when the caller sent `X-Min-Position`,
 * waits (at most 2 s, all projections in parallel) until the read models this
 * read touches have applied it. Redis is used only when it is warm and, for
 * read-your-writes, only when it reached the position; otherwise Postgres.
 */
export const resolveFreshness = async (
  deps: Pick<ReadSideDeps, 'hot' | 'positions'>,
  minPosition: string | undefined,
  reads: { readonly slots: boolean },
): Promise<Freshness> => {
  const warm = reads.slots && deps.hot.isWarm();
  const source: UsageSource = warm ? 'redis' : 'postgres';
  if (minPosition === undefined) {
    return { source, stale: false, position: undefined, asked: false };
  }
  const none: Outcome = { reached: true, position: minPosition };
  const [resources, postgres, redis] = await Promise.all([
    waitAll(deps.positions, ['resources'], minPosition),
    reads.slots ? waitAll(deps.positions, ['availability'], minPosition) : Promise.resolve(none),
    warm ? waitForRedis(deps.positions, minPosition) : Promise.resolve(undefined),
  ]);
  if (redis?.reached && resources.reached) {
    return {
      source: 'redis',
      stale: false,
      position: lower(resources.position, redis.position),
      asked: true,
    };
  }
  return {
    source: 'postgres',
    stale: !(resources.reached && postgres.reached),
    position: lower(resources.position, postgres.position),
    asked: true,
  };
};

/** `X-Projection-Position` for a read that was asked for a minimum position. */
export const freshnessHeaders = (freshness: Freshness): Record<string, string> =>
  freshness.asked ? { 'X-Projection-Position': freshness.position ?? '' } : {};
