import { tableOf, type TableNames } from '../shared/projection.ts';

export const ANALYTICS_TABLES = [
  'analytics_resources',
  'analytics_slots',
  'analytics_bookings',
  'analytics_lines',
] as const;

/** One version's fact tables; columns are documented in docs/analytics.md. */
export const analyticsTableDdl = (names: TableNames): readonly string[] => {
  const [r, s, b, l] = ANALYTICS_TABLES.map((base) => tableOf(names, base));
  return [
    `CREATE TABLE IF NOT EXISTS ${r} (
       id text PRIMARY KEY,
       state jsonb NOT NULL,
       vendor_id text NOT NULL,
       kind text NOT NULL,
       zone text NOT NULL,
       currency text NOT NULL,
       capacity integer NOT NULL,
       jurisdiction text NOT NULL,
       status text NOT NULL
     )`,
    `CREATE TABLE IF NOT EXISTS ${s} (
       id text PRIMARY KEY,
       state jsonb NOT NULL,
       resource_id text NOT NULL,
       slot_key text NOT NULL,
       local_date date NOT NULL,
       slot_hour smallint,
       capacity integer NOT NULL,
       sold integer NOT NULL,
       held integer NOT NULL,
       closed boolean NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS ${s}_date ON ${s} (local_date, resource_id)`,
    `CREATE TABLE IF NOT EXISTS ${b} (
       id text PRIMARY KEY,
       state jsonb NOT NULL,
       resource_id text NOT NULL,
       vendor_id text NOT NULL,
       partner_id text NOT NULL,
       kind text NOT NULL,
       currency text NOT NULL,
       start_date date NOT NULL,
       last_date date NOT NULL,
       units integer NOT NULL,
       quantity integer NOT NULL,
       requested_at timestamptz NOT NULL,
       requested_date date NOT NULL,
       lead_days integer NOT NULL,
       guest text NOT NULL,
       jurisdiction text NOT NULL,
       outcome text NOT NULL,
       committed_at timestamptz,
       cancelled_at timestamptz,
       ended_at timestamptz,
       total bigint NOT NULL,
       captured bigint NOT NULL,
       refunded bigint NOT NULL,
       paid_out bigint NOT NULL,
       paid_out_at timestamptz
     )`,
    `CREATE INDEX IF NOT EXISTS ${b}_start ON ${b} (start_date)`,
    `CREATE INDEX IF NOT EXISTS ${b}_requested ON ${b} (requested_date)`,
    `CREATE TABLE IF NOT EXISTS ${l} (
       reservation_id text NOT NULL,
       line_id text NOT NULL,
       resource_id text NOT NULL,
       vendor_id text NOT NULL,
       partner_id text NOT NULL,
       currency text NOT NULL,
       jurisdiction text NOT NULL,
       guest text NOT NULL,
       local_date date NOT NULL,
       kind text NOT NULL,
       component text NOT NULL,
       amount bigint NOT NULL,
       recognized bigint NOT NULL,
       base_component text,
       base_recognized bigint,
       rate_bp integer,
       treatment text,
       PRIMARY KEY (reservation_id, line_id)
     )`,
    `CREATE INDEX IF NOT EXISTS ${l}_date ON ${l} (local_date)`,
  ];
};
