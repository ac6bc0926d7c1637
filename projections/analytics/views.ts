import { tableOf, type TableNames } from '../shared/projection.ts';

/** Outcomes of a reservation whose guest stayed (or was charged as if): they count as sold. */
const STAYED = `('committed', 'completed', 'no_show')`;

/**
 * The `analytics` schema: one view per report over the live fact tables,
 * documented column by column in docs/analytics.md. Amounts are integer minor
 * units in `currency`; dates are local to the resource's zone.
 */
export const analyticsViews = (names: TableNames): Readonly<Record<string, string>> => {
  const r = tableOf(names, 'analytics_resources');
  const s = tableOf(names, 'analytics_slots');
  const b = tableOf(names, 'analytics_bookings');
  const l = tableOf(names, 'analytics_lines');
  return {
    resources: `
      SELECT id, vendor_id, kind, zone, currency, capacity, jurisdiction, status FROM ${r}`,
    occupancy: `
      SELECT s.resource_id, r.vendor_id, r.kind, s.local_date, s.slot_hour,
             sum(s.capacity)::bigint AS capacity,
             sum(s.sold)::bigint AS sold,
             sum(s.held)::bigint AS held,
             sum(CASE WHEN s.closed THEN s.capacity ELSE 0 END)::bigint AS closed,
             CASE WHEN sum(s.capacity) > 0
                  THEN round(100.0 * sum(s.sold) / sum(s.capacity), 2) END AS occupancy_pct
      FROM ${s} s JOIN ${r} r ON r.id = s.resource_id
      GROUP BY s.resource_id, r.vendor_id, r.kind, s.local_date, s.slot_hour`,
    revenue: `
      WITH sold AS (
        SELECT l.local_date, l.vendor_id, l.partner_id, l.currency, b.kind,
               sum(l.recognized) FILTER (WHERE l.kind = 'charge') AS room_revenue,
               sum(l.recognized) FILTER (WHERE l.component = 'platformFee') AS commission,
               sum(l.recognized) FILTER (WHERE l.kind = 'fee' AND l.component <> 'platformFee') AS other_fees,
               sum(l.recognized) FILTER (WHERE l.kind = 'tax') AS taxes,
               sum(l.recognized) AS total,
               sum(b.quantity) FILTER (WHERE l.kind = 'charge' AND b.outcome IN ${STAYED}) AS units_sold,
               sum(l.recognized) FILTER (WHERE l.kind = 'charge' AND b.outcome IN ${STAYED}) AS stayed_revenue
        FROM ${l} l JOIN ${b} b ON b.id = l.reservation_id
        WHERE b.committed_at IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5),
      available AS (
        SELECT r.vendor_id, r.currency, d.local_date,
               sum(CASE WHEN s.closed THEN 0 ELSE coalesce(s.capacity, r.capacity) END) AS units
        FROM ${r} r
        CROSS JOIN (SELECT DISTINCT local_date FROM ${l}) d
        LEFT JOIN ${s} s ON s.resource_id = r.id AND s.slot_key = d.local_date::text
        WHERE r.kind = 'nightly'
        GROUP BY 1, 2, 3)
      SELECT sold.local_date, sold.vendor_id, sold.partner_id, sold.currency, sold.kind,
             coalesce(room_revenue, 0)::bigint AS room_revenue,
             coalesce(commission, 0)::bigint AS commission,
             coalesce(other_fees, 0)::bigint AS other_fees,
             coalesce(taxes, 0)::bigint AS taxes,
             coalesce(total, 0)::bigint AS total,
             coalesce(units_sold, 0)::bigint AS units_sold,
             CASE WHEN sold.kind = 'nightly' AND units_sold > 0
                  THEN round(stayed_revenue::numeric / units_sold)::bigint END AS adr,
             CASE WHEN sold.kind = 'nightly' AND available.units > 0
                  THEN round(coalesce(room_revenue, 0)::numeric / available.units)::bigint END AS revpar,
             CASE WHEN sold.kind = 'nightly' THEN available.units END AS available_units
      FROM sold LEFT JOIN available
        ON available.vendor_id = sold.vendor_id AND available.currency = sold.currency
       AND available.local_date = sold.local_date`,
    tax: `
      SELECT l.local_date, to_char(l.local_date, 'YYYY-MM') AS period, l.jurisdiction,
             l.component, l.rate_bp, l.treatment, l.guest, l.currency, l.vendor_id, l.partner_id,
             l.resource_id,
             sum(coalesce(l.base_recognized, 0))::bigint AS taxable_base,
             sum(l.recognized)::bigint AS tax,
             count(*)::bigint AS lines
      FROM ${l} l JOIN ${b} b ON b.id = l.reservation_id
      WHERE l.kind = 'tax' AND b.committed_at IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`,
    payouts: `
      SELECT (b.paid_out_at AT TIME ZONE r.zone)::date AS local_date, b.vendor_id, b.currency,
             sum(b.paid_out)::bigint AS paid_out, count(*)::bigint AS bookings
      FROM ${b} b JOIN ${r} r ON r.id = b.resource_id
      WHERE b.paid_out_at IS NOT NULL
      GROUP BY 1, 2, 3`,
    escrow: `
      SELECT b.vendor_id, b.currency,
             sum(b.captured)::bigint AS captured,
             sum(b.refunded)::bigint AS refunded,
             sum(b.paid_out)::bigint AS paid_out,
             sum(b.captured - b.refunded - b.paid_out)::bigint AS escrow_held
      FROM ${b} b
      GROUP BY 1, 2`,
    cancellations: `
      SELECT b.start_date AS local_date, b.vendor_id, b.partner_id, b.currency,
             count(*)::bigint AS committed,
             count(*) FILTER (WHERE b.outcome = 'cancelled')::bigint AS cancelled,
             count(*) FILTER (WHERE b.outcome = 'no_show')::bigint AS no_shows,
             round(100.0 * count(*) FILTER (WHERE b.outcome = 'cancelled') / count(*), 2) AS cancellation_pct,
             round(100.0 * count(*) FILTER (WHERE b.outcome = 'no_show') / count(*), 2) AS no_show_pct,
             sum(b.refunded)::bigint AS refunded
      FROM ${b} b
      WHERE b.committed_at IS NOT NULL
      GROUP BY 1, 2, 3, 4`,
    conversion: `
      SELECT b.requested_date AS local_date, b.partner_id,
             count(*)::bigint AS holds,
             count(*) FILTER (WHERE b.committed_at IS NOT NULL)::bigint AS committed,
             count(*) FILTER (WHERE b.outcome = 'expired')::bigint AS expired,
             count(*) FILTER (WHERE b.outcome = 'failed')::bigint AS failed,
             count(*) FILTER (WHERE b.outcome = 'cancelled' AND b.committed_at IS NULL)::bigint AS abandoned,
             count(*) FILTER (WHERE b.outcome = 'open')::bigint AS open,
             round(100.0 * count(*) FILTER (WHERE b.committed_at IS NOT NULL) / count(*), 2) AS conversion_pct
      FROM ${b} b
      GROUP BY 1, 2`,
    lead_time: `
      SELECT b.vendor_id, b.partner_id, b.kind,
             CASE WHEN b.lead_days = 0 THEN '0'
                  WHEN b.lead_days <= 3 THEN '1-3'
                  WHEN b.lead_days <= 7 THEN '4-7'
                  WHEN b.lead_days <= 14 THEN '8-14'
                  WHEN b.lead_days <= 30 THEN '15-30'
                  WHEN b.lead_days <= 90 THEN '31-90'
                  ELSE '91+' END AS lead_days,
             count(*)::bigint AS bookings
      FROM ${b} b WHERE b.committed_at IS NOT NULL
      GROUP BY 1, 2, 3, 4`,
    length_of_stay: `
      SELECT b.vendor_id, b.partner_id, b.kind, b.units, count(*)::bigint AS bookings
      FROM ${b} b WHERE b.committed_at IS NOT NULL
      GROUP BY 1, 2, 3, 4`,
  };
};
