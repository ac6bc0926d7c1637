/** Which filters a report accepts; the others are refused with a 400. */
export type ReportFilter = 'resourceId' | 'vendorId' | 'partnerId';

export interface ReportColumn {
  /** Column of the SELECT below. */
  readonly sql: string;
  /** Name in JSON and the CSV header. */
  readonly name: string;
  readonly type: 'text' | 'date' | 'integer' | 'decimal';
}

/**
 * One report over the analytics schema. `{s}` is the analytics schema;
 * filters are appended as `AND <column> = $n`.
 */
export interface ReportSpec {
  readonly columns: readonly ReportColumn[];
  readonly filters: Readonly<Partial<Record<ReportFilter, string>>>;
  readonly select: string;
  readonly groupBy?: string;
  readonly orderBy: string;
  /**
   * `daily`: one query per local date of the range (`$1`), streamed day by day;
   * `range`: one query over the range (`$1` ≤ date < `$2`), few rows;
   * `current`: balances now, the range does not apply.
   */
  readonly scope: 'daily' | 'range' | 'current';
}

const col = (sql: string, name: string, type: ReportColumn['type'] = 'integer'): ReportColumn => ({
  sql,
  name,
  type,
});

export const REPORTS = {
  occupancy: {
    columns: [
      col('local_date', 'date', 'date'),
      col('resource_id', 'resourceId', 'text'),
      col('vendor_id', 'vendorId', 'text'),
      col('kind', 'kind', 'text'),
      col('slot_hour', 'slotHour'),
      col('capacity', 'capacity'),
      col('sold', 'sold'),
      col('held', 'held'),
      col('closed', 'closed'),
      col('occupancy_pct', 'occupancyPct', 'decimal'),
    ],
    filters: { resourceId: 'r.id', vendorId: 'r.vendor_id' },
    // Nightly resources get a row for every night, with the resource's capacity where nothing happened yet.
    select: `SELECT $1::date AS local_date, r.id AS resource_id, r.vendor_id, r.kind, o.slot_hour,
                    coalesce(o.capacity, r.capacity) AS capacity, coalesce(o.sold, 0) AS sold,
                    coalesce(o.held, 0) AS held, coalesce(o.closed, 0) AS closed,
                    coalesce(o.occupancy_pct, CASE WHEN r.capacity > 0 THEN 0.00 END) AS occupancy_pct
             FROM {s}.resources r
             LEFT JOIN {s}.occupancy o ON o.resource_id = r.id AND o.local_date = $1::date
             WHERE (r.kind = 'nightly' AND r.status = 'active' OR o.resource_id IS NOT NULL)`,
    orderBy: 'r.id, o.slot_hour',
    scope: 'daily',
  },
  revenue: {
    columns: [
      col('local_date', 'date', 'date'),
      col('vendor_id', 'vendorId', 'text'),
      col('partner_id', 'partnerId', 'text'),
      col('currency', 'currency', 'text'),
      col('kind', 'kind', 'text'),
      col('room_revenue', 'roomRevenue'),
      col('commission', 'commission'),
      col('other_fees', 'otherFees'),
      col('taxes', 'taxes'),
      col('total', 'total'),
      col('units_sold', 'unitsSold'),
      col('adr', 'adr'),
      col('revpar', 'revpar'),
      col('available_units', 'availableUnits'),
    ],
    filters: { vendorId: 'vendor_id', partnerId: 'partner_id' },
    select: `SELECT * FROM {s}.revenue WHERE local_date = $1::date`,
    orderBy: 'vendor_id, partner_id, currency, kind',
    scope: 'daily',
  },
  tax: {
    columns: [
      col('period', 'period', 'text'),
      col('jurisdiction', 'jurisdiction', 'text'),
      col('component', 'component', 'text'),
      col('rate_bp', 'rateBasisPoints'),
      col('treatment', 'treatment', 'text'),
      col('currency', 'currency', 'text'),
      col('taxable_base', 'taxableBase'),
      col('tax', 'tax'),
      col('lines', 'lines'),
    ],
    filters: { resourceId: 'resource_id', vendorId: 'vendor_id', partnerId: 'partner_id' },
    select: `SELECT period, jurisdiction, component, rate_bp, treatment, currency,
                    sum(taxable_base)::bigint AS taxable_base, sum(tax)::bigint AS tax,
                    sum(lines)::bigint AS lines
             FROM {s}.tax WHERE local_date >= $1::date AND local_date < $2::date`,
    groupBy: 'period, jurisdiction, component, rate_bp, treatment, currency',
    orderBy: 'period, jurisdiction, component, rate_bp, treatment, currency',
    scope: 'range',
  },
  payouts: {
    columns: [
      col('local_date', 'date', 'date'),
      col('vendor_id', 'vendorId', 'text'),
      col('currency', 'currency', 'text'),
      col('paid_out', 'paidOut'),
      col('bookings', 'bookings'),
    ],
    filters: { vendorId: 'vendor_id' },
    select: `SELECT * FROM {s}.payouts WHERE local_date = $1::date`,
    orderBy: 'vendor_id, currency',
    scope: 'daily',
  },
  escrow: {
    columns: [
      col('vendor_id', 'vendorId', 'text'),
      col('currency', 'currency', 'text'),
      col('captured', 'captured'),
      col('refunded', 'refunded'),
      col('paid_out', 'paidOut'),
      col('escrow_held', 'escrowHeld'),
    ],
    filters: { vendorId: 'vendor_id' },
    select: `SELECT * FROM {s}.escrow WHERE true`,
    orderBy: 'vendor_id, currency',
    scope: 'current',
  },
  cancellations: {
    columns: [
      col('local_date', 'date', 'date'),
      col('vendor_id', 'vendorId', 'text'),
      col('partner_id', 'partnerId', 'text'),
      col('currency', 'currency', 'text'),
      col('committed', 'committed'),
      col('cancelled', 'cancelled'),
      col('no_shows', 'noShows'),
      col('cancellation_pct', 'cancellationPct', 'decimal'),
      col('no_show_pct', 'noShowPct', 'decimal'),
      col('refunded', 'refunded'),
    ],
    filters: { vendorId: 'vendor_id', partnerId: 'partner_id' },
    select: `SELECT * FROM {s}.cancellations WHERE local_date = $1::date`,
    orderBy: 'vendor_id, partner_id, currency',
    scope: 'daily',
  },
  conversion: {
    columns: [
      col('local_date', 'date', 'date'),
      col('partner_id', 'partnerId', 'text'),
      col('holds', 'holds'),
      col('committed', 'committed'),
      col('expired', 'expired'),
      col('failed', 'failed'),
      col('abandoned', 'abandoned'),
      col('open', 'open'),
      col('conversion_pct', 'conversionPct', 'decimal'),
    ],
    filters: { partnerId: 'partner_id' },
    select: `SELECT * FROM {s}.conversion WHERE local_date = $1::date`,
    orderBy: 'partner_id',
    scope: 'daily',
  },
} as const satisfies Record<string, ReportSpec>;

export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];
