import type { Sql } from './projection.ts';

/**
 * Tables whose rows are `id text PRIMARY KEY, state jsonb` plus columns
 * derived from the state for queries. A batch loads the rows it touches,
 * folds its events in memory with a pure evolve, and upserts the results.
 */
export interface StateTable<S> {
  /** Derived columns written beside `state`, in a fixed order. */
  readonly columns: readonly string[];
  derive(state: S): Readonly<Record<string, unknown>>;
}

export const loadStates = async <S>(
  sql: Sql,
  table: string,
  ids: readonly string[],
): Promise<Map<string, S>> => {
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<{ id: string; state: S }>(
    `SELECT id, state FROM ${table} WHERE id = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.state]));
};

export const saveStates = async <S>(
  sql: Sql,
  table: string,
  spec: StateTable<S>,
  states: ReadonlyMap<string, S>,
): Promise<void> => {
  if (states.size === 0) return;
  const records = [...states].map(([id, state]) => ({ id, state, ...spec.derive(state) }));
  const columns = ['state', ...spec.columns];
  // Explicit columns: generated ones (search vectors) cannot be inserted.
  const list = ['id', ...columns].join(', ');
  await sql.query(
    `INSERT INTO ${table} (${list})
     SELECT ${list} FROM jsonb_populate_recordset(null::${table}, $1::jsonb)
     ON CONFLICT (id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
    [JSON.stringify(records)],
  );
};

/**
 * Folds `events` into the rows they address: `idOf` names the row (or skips
 * the event with `undefined`), `evolve` is pure. Returns only the rows touched.
 */
export const foldIntoStates = async <S, E>(
  sql: Sql,
  table: string,
  events: readonly E[],
  idOf: (event: E) => string | undefined,
  evolve: (state: S | undefined, event: E) => S,
): Promise<Map<string, S>> => {
  const ids = [...new Set(events.map(idOf).filter((id) => id !== undefined))];
  const states = await loadStates<S>(sql, table, ids);
  const touched = new Map<string, S>();
  for (const event of events) {
    const id = idOf(event);
    if (id === undefined) continue;
    const next = evolve(touched.get(id) ?? states.get(id), event);
    touched.set(id, next);
  }
  return touched;
};
