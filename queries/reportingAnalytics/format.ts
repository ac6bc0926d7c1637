import type { ReportColumn } from './reports.ts';

type Value = string | number | null;

const toDate = (value: unknown): string =>
  value instanceof Date
    ? `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`
    : String(value);

/** A database row as the report's typed values (bigint and numeric arrive as strings). */
export const toValues = (columns: readonly ReportColumn[], row: Record<string, unknown>): Value[] =>
  columns.map((column) => {
    const value = row[column.sql];
    if (value === null || value === undefined) return null;
    switch (column.type) {
      case 'date':
        return toDate(value);
      case 'integer':
      case 'decimal':
        return Number(value);
      case 'text':
        return typeof value === 'string' ? value : JSON.stringify(value);
      default: {
        const _never: never = column.type;
        return _never;
      }
    }
  });

/** RFC 4180: quote a field with a comma, quote, CR or LF; a leading =+-@ is prefixed with ' so spreadsheets do not run it. */
const csvField = (value: Value): string => {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const csvLine = (values: readonly Value[]): string =>
  `${values.map(csvField).join(',')}\r\n`;

export const jsonRow = (columns: readonly ReportColumn[], values: readonly Value[]): string =>
  JSON.stringify(Object.fromEntries(columns.map((column, i) => [column.name, values[i] ?? null])));
