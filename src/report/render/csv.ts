/** RFC 4180 CSV of the report's primary table: CRLF line ends, units in the header, raw values. */
import { type Scalar, cellValue, type Report } from '../model.js';

export function renderCsv(report: Report): string {
  const { columns, rows } = report.primary;
  const header = columns.map((c) => (c.unit ? `${c.label} (${c.unit})` : c.label));
  const lines = [header, ...rows.map((row) => columns.map((c) => scalarText(cellValue(row[c.key] ?? null))))];
  return lines.map((fields) => fields.map(quote).join(',')).join('\r\n') + '\r\n';
}

function scalarText(v: Scalar): string {
  if (v === null) return '';
  if (typeof v === 'number' && !Number.isFinite(v)) return '';
  return String(v);
}

export function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
