import type { ResourceRow } from '../../projections/resources/evolve.ts';
import type { ReadContext } from '../shared/readContext.ts';
import type { TtlCache } from '../shared/ttlCache.ts';

/** The catalog rows one search ranks at most; narrower filters find the rest. */
export const MAX_CANDIDATES = 1_000;

export interface CandidateFilters {
  readonly kind: 'nightly' | 'timed';
  readonly city?: string | undefined;
  readonly country?: string | undefined;
  readonly q?: string | undefined;
  readonly vendorId?: string | undefined;
}

export interface Candidate {
  readonly row: ResourceRow;
  /** Full-text rank of `q` ('simple' configuration); 0 without `q`. */
  readonly rank: number;
}

/** Active resources matching the catalog filters, from the resources read model (GIN index on the text). */
export const findCandidates = async (
  context: ReadContext,
  filters: CandidateFilters,
): Promise<Candidate[]> => {
  const table = await context.table('resources');
  const params: unknown[] = [filters.kind];
  const where = [`status = 'active'`, 'kind = $1'];
  const add = (clause: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(clause(params.length));
  };
  if (filters.city !== undefined) add((n) => `lower(city) = lower($${n})`, filters.city);
  if (filters.country !== undefined) add((n) => `country = $${n}`, filters.country);
  if (filters.vendorId !== undefined) add((n) => `vendor_id = $${n}`, filters.vendorId);
  let rank = '0::float8';
  if (filters.q !== undefined) {
    add((n) => `search_vector @@ plainto_tsquery('simple', $${n})`, filters.q);
    rank = `ts_rank(search_vector, plainto_tsquery('simple', $${params.length}))::float8`;
  }
  params.push(MAX_CANDIDATES);
  const { rows } = await context.deps.sql.query<{ state: ResourceRow; rank: number }>(
    `SELECT state, ${rank} AS rank FROM ${table}
     WHERE ${where.join(' AND ')}
     ORDER BY rank DESC, id LIMIT $${params.length}`,
    params,
  );
  return rows.map((row) => ({ row: row.state, rank: row.rank }));
};

/**
 * The catalog part of a search, reused for the catalog cache's TTL (resource
 * configuration may lag by that much, as everywhere on the read side) and
 * read afresh when the client asked for read-your-writes.
 */
export const cachedCandidates = (
  context: ReadContext,
  cache: TtlCache<Candidate[]>,
  filters: CandidateFilters,
  fresh: boolean,
): Promise<Candidate[]> => {
  const { kind, city, country, q, vendorId } = filters;
  const key = JSON.stringify([kind, city?.toLowerCase(), country, q, vendorId]);
  return cache.get(key, () => findCandidates(context, filters), fresh);
};
