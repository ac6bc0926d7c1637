import { createZoneTimeMemo, type ZoneTime } from '../../domain/availability/zoneTime.ts';
import type { CalendarState } from '../../domain/calendar/state.ts';
import { UnavailableError } from '../../domain/shared/errors.ts';
import type { ResourceRow } from '../../projections/resources/evolve.ts';
import type { ReadModelTable, ReadSideDeps } from './ports.ts';
import { createTtlCache } from './ttlCache.ts';

/** The read routes' shared state: the deps plus the short-lived caches built once per app. */
export interface ReadContext {
  readonly deps: ReadSideDeps;
  table(table: ReadModelTable): Promise<string>;
  resourcesOfVendor(vendorId: string, fresh: boolean): Promise<readonly ResourceRow[]>;
  resourcesByIds(ids: readonly string[], fresh: boolean): Promise<readonly ResourceRow[]>;
  calendarOf(resourceId: string, fresh: boolean): Promise<CalendarState>;
  /** Memoized zone conversions for the timed pipeline (pure, so shared by every request). */
  readonly zoneTime: ZoneTime;
}

export const createReadContext = (deps: ReadSideDeps): ReadContext => {
  const ttl = deps.catalogCacheMs ?? 1_000;
  const vendors = createTtlCache<readonly ResourceRow[]>(ttl);
  const calendars = createTtlCache<CalendarState>(ttl);
  const table = async (name: ReadModelTable): Promise<string> => {
    try {
      return await deps.liveTable(name);
    } catch (error) {
      throw new UnavailableError(
        `The ${name} read model is not available yet (${error instanceof Error ? error.message : String(error)}); retry shortly.`,
        1,
      );
    }
  };
  const selectResources = async (where: string, param: unknown): Promise<ResourceRow[]> => {
    const t = await table('resources');
    const { rows } = await deps.sql.query<{ state: ResourceRow }>(
      `SELECT state FROM ${t} WHERE ${where} AND status = 'active' ORDER BY id`,
      [param],
    );
    return rows.map((row) => row.state);
  };
  return {
    deps,
    table,
    zoneTime: createZoneTimeMemo(),
    resourcesOfVendor: (vendorId, fresh) =>
      vendors.get(vendorId, () => selectResources('vendor_id = $1', vendorId), fresh),
    resourcesByIds: (ids, fresh) =>
      ids.length === 1 && !fresh
        ? vendors.get(`id:${ids[0]}`, () => selectResources('id = ANY($1::text[])', ids))
        : selectResources('id = ANY($1::text[])', ids),
    calendarOf: (resourceId, fresh) =>
      calendars.get(resourceId, () => deps.calendar.busyTimeOf(resourceId), fresh),
  };
};
