import type { EventFilter, RecordedEvent } from '../../commands/shared/eventStore.ts';

/**
 * The SQL a projection needs: one statement at a time inside the runner's
 * transaction. Declared here (its user) so projections never import a driver;
 * infra adapts a pg client to it.
 */
export interface Sql {
  query<R>(text: string, params?: readonly unknown[]): Promise<{ readonly rows: R[] }>;
}

/** Versioned physical names of a projection's tables: base name → `<base>_v<n>`. */
export type TableNames = Readonly<Record<string, string>>;

export const versionedTableName = (base: string, version: number): string => {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(base) || !Number.isInteger(version) || version < 1) {
    throw new Error(
      `A projection table is a lowercase identifier with a positive version (got "${base}" v${version}).`,
    );
  }
  return `${base}_v${version}`;
};

export const tableNamesFor = (bases: readonly string[], version: number): TableNames =>
  Object.fromEntries(bases.map((base) => [base, versionedTableName(base, version)]));

/** The name of one physical table of a projection; throws when the projection has no such table. */
export const tableOf = (names: TableNames, base: string): string => {
  const name = names[base];
  if (name === undefined) throw new Error(`This projection has no table "${base}".`);
  return name;
};

/**
 * A read model in PostgreSQL. The runner applies each batch of events and
 * stores the checkpoint in one transaction, so `apply` sees every event once;
 * still, applying an event twice must change nothing (rebuilds and tests rely
 * on it, and it keeps a double delivery harmless).
 */
export interface PostgresProjection {
  readonly name: string;
  readonly filter: EventFilter;
  /** Base table names; each version lives in `<base>_v<n>`. */
  readonly tables: readonly string[];
  /** Per base table, the ORDER BY that makes its checksum row order total. */
  readonly checksumOrder: Readonly<Record<string, string>>;
  /** Idempotent DDL (CREATE … IF NOT EXISTS) for one version's tables. */
  createTables(names: TableNames): readonly string[];
  apply(sql: Sql, names: TableNames, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Views published in the install's analytics schema over the live version
   * (view name → SELECT over `names`); republished whenever the live version
   * changes. Only the analytics projection has them.
   */
  readonly views?: (names: TableNames) => Readonly<Record<string, string>>;
}

/**
 * One Redis key's change for one event: fields to set and fields to delete.
 * The runner applies it only when the event is newer than the key's last
 * applied position (compare-and-set in Lua), so redelivery changes nothing.
 */
export interface RedisChange {
  /** The read model's logical key; the runner puts it in the install's namespace. */
  readonly key: string;
  readonly set: Readonly<Record<string, string>>;
  readonly del: readonly string[];
}

/** A read model in Redis: a cache, rebuilt from the log whenever it is lost. */
export interface RedisProjection {
  readonly name: string;
  readonly filter: EventFilter;
  changesFor(event: RecordedEvent): readonly RedisChange[];
}
