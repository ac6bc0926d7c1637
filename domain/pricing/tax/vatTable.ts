/**
 * VAT rates with effective dates, so a quote for any stay date — and any
 * replay of an old quote — uses the rate in force on that date. Rates are
 * basis points; `to` is inclusive, null while in force. A date outside every
 * row of a country is refused rather than guessed.
 *
 * Sources (checked 2025; re-check before relying on a row marked `unsure`):
 * - IL: VAT Law 5736-1975, rate orders: 18% from 2013-06-02, 17% from
 *   2015-10-01, 18% from 2025-01-01 (Israel Tax Authority announcement,
 *   Economic Arrangements Law 2024). Hotel stays are not a reduced-rate class
 *   in Israel; the tourist zero rate lives in taxRules.ts.
 * - DE: UStG §12(2) Nr. 11, short-term accommodation 7% since 2010-01-01;
 *   standard 19% (16% from 2020-07-01 to 2020-12-31, COVID cut).
 * - FR: CGI art. 279 a, hébergement hôtelier 10% since 2014-01-01; standard 20%.
 * - IT: DPR 633/1972 Tabella A parte III, alloggio 10%; standard 22% since 2013-10-01.
 * - ES: Ley 37/1992 art. 91, hostelería 10% since 2012-09-01; standard 21%.
 * - NL: Wet OB tabel I, logies 6% until 2018-12-31, 9% from 2019-01-01, and
 *   the standard 21% from 2026-01-01 by stay date (Belastingdienst, Belastingplan
 *   2025/2026); confirmed by vatupdate.com 2025-10-31 citing belastingdienst.nl.
 * - DE 2020-H2 reduced rate 5% (Zweites Corona-Steuerhilfegesetz) applied to accommodation too.
 * Marked `unsure`: IL 2013 start date (from memory, not a primary source).
 */
export const TAX_TABLE_VERSION = 'vat-2026-01';

export type VatCategory = 'standard' | 'accommodation';

export interface VatRow {
  readonly country: string;
  readonly category: VatCategory;
  readonly basisPoints: number;
  readonly from: string;
  readonly to: string | null;
  readonly source: string;
  /** True where we could not confirm the row against a primary source. */
  readonly unsure?: true;
}

const row = (
  country: string,
  category: VatCategory,
  basisPoints: number,
  from: string,
  to: string | null,
  source: string,
): VatRow => ({ country, category, basisPoints, from, to, source });

export const VAT_TABLE: readonly VatRow[] = [
  { ...row('IL', 'standard', 1800, '2013-06-02', '2015-09-30', 'IL VAT order 2013'), unsure: true },
  row('IL', 'standard', 1700, '2015-10-01', '2024-12-31', 'IL VAT order 2015'),
  row('IL', 'standard', 1800, '2025-01-01', null, 'IL Economic Arrangements Law 2024'),
  row('DE', 'standard', 1900, '2007-01-01', '2020-06-30', 'UStG §12(1)'),
  row('DE', 'standard', 1600, '2020-07-01', '2020-12-31', 'UStG §28(1) 2020'),
  row('DE', 'standard', 1900, '2021-01-01', null, 'UStG §12(1)'),
  row('DE', 'accommodation', 700, '2010-01-01', '2020-06-30', 'UStG §12(2) Nr. 11'),
  row('DE', 'accommodation', 500, '2020-07-01', '2020-12-31', 'UStG §28(2) 2020'),
  row('DE', 'accommodation', 700, '2021-01-01', null, 'UStG §12(2) Nr. 11'),
  row('FR', 'standard', 2000, '2014-01-01', null, 'CGI art. 278'),
  row('FR', 'accommodation', 1000, '2014-01-01', null, 'CGI art. 279 a'),
  row('IT', 'standard', 2200, '2013-10-01', null, 'DPR 633/1972 art. 16'),
  row('IT', 'accommodation', 1000, '2013-10-01', null, 'DPR 633/1972 Tabella A III n. 120'),
  row('ES', 'standard', 2100, '2012-09-01', null, 'Ley 37/1992 art. 90'),
  row('ES', 'accommodation', 1000, '2012-09-01', null, 'Ley 37/1992 art. 91.Uno.2.2º'),
  row('NL', 'standard', 2100, '2012-10-01', null, 'Wet OB 1968 art. 9(1)'),
  row('NL', 'accommodation', 600, '2012-10-01', '2018-12-31', 'Wet OB tabel I post a.b'),
  row('NL', 'accommodation', 900, '2019-01-01', '2025-12-31', 'Wet OB tabel I post a.b'),
  row(
    'NL',
    'accommodation',
    2100,
    '2026-01-01',
    null,
    'Belastingplan 2025: logies to standard rate',
  ),
];

/** The row in force for `country`/`category` on local date `date` (YYYY-MM-DD compares as text). */
export const findVatRow = (
  country: string,
  category: VatCategory,
  date: string,
): VatRow | undefined =>
  VAT_TABLE.find(
    (r) =>
      r.country === country &&
      r.category === category &&
      r.from <= date &&
      (r.to === null || date <= r.to),
  );

export const hasAccommodationRate = (country: string): boolean =>
  VAT_TABLE.some((r) => r.country === country && r.category === 'accommodation');
