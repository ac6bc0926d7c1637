import type { PostgresProjection } from '../../projections/shared/projection.ts';
import type { Queryable } from '../postgres/pool.ts';
import { resolveLiveTables } from './versions.ts';

/**
 * Resolves a read model's live physical table (`bookings` → `bookings_v2`)
 * for readers, caching the answer for `cacheMs` (default 1000): a swap reaches
 * readers within that, and the old version stays readable until dropped.
 */
export const createLiveTableResolver = (
  db: Queryable,
  projection: Pick<PostgresProjection, 'name' | 'tables'>,
  cacheMs = 1_000,
) => {
  let cached: { names: Readonly<Record<string, string>>; at: number } | undefined;
  return async (base: string): Promise<string> => {
    if (cached === undefined || Date.now() - cached.at > cacheMs) {
      const names = await resolveLiveTables(db, projection);
      if (names === undefined) {
        throw new Error(
          `Read model ${projection.name} has no live version yet; start the projector role once.`,
        );
      }
      cached = { names, at: Date.now() };
    }
    const table = cached.names[base];
    if (table === undefined) throw new Error(`Read model ${projection.name} has no table ${base}.`);
    return table;
  };
};
