import { z } from 'zod';
import type { RouteModule } from '../../commands/shared/route.ts';
import { defineRoute } from '../../commands/shared/route.ts';
import { LEDGER_ACCOUNTS } from '../../projections/ledger/accounts.ts';
import type { Sql } from '../../projections/shared/projection.ts';

export interface LedgerReportDeps {
  readonly sql: Sql;
  /** The live `ledger_postings_v<n>` table, or undefined before the ledger projection first ran. */
  liveTable(base: 'ledger_postings'): Promise<string | undefined>;
}

interface PostingRow {
  readonly entry_id: string;
  readonly kind: string;
  readonly account: string;
  readonly amount: string;
  readonly currency: string;
  readonly at: Date;
}

const entrySchema = z.object({
  entryId: z.string(),
  kind: z.string(),
  at: z.string(),
  currency: z.string(),
  postings: z.array(z.object({ account: z.enum(LEDGER_ACCOUNTS), amount: z.number() })),
});

/** `GET /api/v1/reports/ledger?reservationId=`: a booking's double-entry ledger (analysts, auditors, admins). */
export const getLedgerReportRoute = (deps: LedgerReportDeps): RouteModule =>
  defineRoute({
    method: 'get',
    path: '/api/v1/reports/ledger',
    summary: "A booking's double-entry ledger",
    description:
      'Every money movement of the reservation as a balanced entry (debit positive, credit negative), plus the balance of each account. `balanced` is true when every entry and the booking as a whole sum to zero.',
    tags: ['reports'],
    auth: ['analyst', 'auditor', 'admin'],
    query: z.object({ reservationId: z.string().min(1).max(200) }),
    responses: {
      200: {
        description: 'The entries in order and the account balances.',
        body: z.object({
          reservationId: z.string(),
          entries: z.array(entrySchema),
          balances: z.record(z.string(), z.number()),
          balanced: z.boolean(),
        }),
      },
    },
    handler: async ({ query }) => {
      const table = await deps.liveTable('ledger_postings');
      const { rows } = table
        ? await deps.sql.query<PostingRow>(
            `SELECT entry_id, kind, account, amount::text AS amount, currency, at
               FROM ${table} WHERE reservation_id = $1 ORDER BY at, entry_id, account`,
            [query.reservationId],
          )
        : { rows: [] as PostingRow[] };
      const entries = new Map<string, z.infer<typeof entrySchema>>();
      const balances: Record<string, number> = {};
      for (const row of rows) {
        const amount = Number(row.amount);
        const entry = entries.get(row.entry_id) ?? {
          entryId: row.entry_id,
          kind: row.kind,
          at: new Date(row.at).toISOString(),
          currency: row.currency,
          postings: [],
        };
        entry.postings.push({ account: row.account as (typeof LEDGER_ACCOUNTS)[number], amount });
        entries.set(row.entry_id, entry);
        balances[row.account] = (balances[row.account] ?? 0) + amount;
      }
      const sums = (postings: readonly { amount: number }[]) =>
        postings.reduce((s, p) => s + p.amount, 0);
      const balanced =
        [...entries.values()].every((e) => sums(e.postings) === 0) &&
        Object.values(balances).reduce((s, v) => s + v, 0) === 0;
      return {
        status: 200,
        body: {
          reservationId: query.reservationId,
          entries: [...entries.values()],
          balances,
          balanced,
        },
      };
    },
  });
