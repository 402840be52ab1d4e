/** RFC 4180 CSV of the report's primary table: CRLF line ends, units in the header, raw values. */
import { type Cell, type Column, type Row, type Scalar, cellValue, type Report } from '../model.js';
import { escapeControls } from '../safe-text.js';

export function renderCsv(report: Report): string {
  const { columns, rows } = report.primary;
  let text = csvHeader(columns);
  for (const row of rows) text += csvLine(columns, row);
  return text;
}

/** The header line, CRLF included. */
export function csvHeader(columns: Column[]): string {
  return `${columns.map((c) => quote(c.unit ? `${c.label} (${c.unit})` : c.label)).join(',')}\r\n`;
}

/** One record, CRLF included. */
function csvLine(columns: Column[], row: Row): string {
  return csvCells(columns, (key) => row[key] ?? null);
}

/**
 * One record from a function giving each column's cell, CRLF included. With `memo` (one per
 * stream of lines), a column whose value repeats the previous line's reuses its text: most columns
 * of a long comparison are the same on every line.
 */
export function csvCells(columns: Column[], cell: (key: string) => Cell, memo?: CsvMemo): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ',';
    const value = cellValue(cell((columns[i] as Column).key));
    if (memo && Object.is(memo.values[i], value) && memo.texts[i] !== undefined) {
      line += memo.texts[i];
      continue;
    }
    // Finite numbers never need quotes; everything else goes through scalarText and quote.
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : quote(scalarText(value));
    if (memo) {
      memo.values[i] = value;
      memo.texts[i] = text;
    }
    line += text;
  }
  return `${line}\r\n`;
}

/** The previous line's values and their text, by column (see csvCells). */
export interface CsvMemo {
  values: Scalar[];
  texts: (string | undefined)[];
}

export function csvMemo(): CsvMemo {
  return { values: [], texts: [] };
}

function scalarText(v: Scalar): string {
  if (v === null) return '';
  if (typeof v === 'number' && !Number.isFinite(v)) return '';
  // The streamed comparison writes cells without render()'s pass over the report: escape here too.
  return typeof v === 'string' ? escapeControls(v) : String(v);
}

export function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
