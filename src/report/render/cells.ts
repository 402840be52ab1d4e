/**
 * A table's header labels and cell texts for people (terminal and Markdown). A column of durations
 * takes one unit for all its rows, named in its header ("wall-clock (d)"), so that rows compare at
 * a glance; a cell that carries its own kind (a key/value table) keeps its own unit.
 */
import { type DurationUnit, durationColumnUnit, formatInUnit, formatValue } from '../format.js';
import { type Cell, type Column, type Table, cellKind, cellValue } from '../model.js';

export interface TextTable {
  labels: string[];
  /** One array per row, one text per column. */
  cells: string[][];
}

export function textTable(t: Table): TextTable {
  const units = t.columns.map((col) => columnUnit(t, col));
  const labels = t.columns.map((col, i) => {
    const unit = units[i];
    if (unit === undefined || col.label === '') return col.label;
    return `${col.label} (${col.kind === 'duration-short' ? unit.short : unit.long})`;
  });
  const cells = t.rows.map((row) => t.columns.map((col, i) => cellText(row[col.key] ?? null, col, units[i])));
  return { labels, cells };
}

function isDurationKind(kind: string): boolean {
  return kind === 'duration' || kind === 'duration-short';
}

/** The unit of a duration column, from the values of its cells that use the column's kind. */
function columnUnit(t: Table, col: Column): DurationUnit | undefined {
  if (!isDurationKind(col.kind)) return undefined;
  const values: number[] = [];
  for (const row of t.rows) {
    const cell = row[col.key] ?? null;
    const value = cellValue(cell);
    if (typeof value === 'number' && !(cell !== null && typeof cell === 'object')) values.push(value);
  }
  return durationColumnUnit(values);
}

function cellText(cell: Cell, col: Column, unit: DurationUnit | undefined): string {
  const value = cellValue(cell);
  const own = cell !== null && typeof cell === 'object';
  if (unit !== undefined && !own && typeof value === 'number') return formatInUnit(value, unit);
  return formatValue(value, cellKind(cell, col), own ? cell.unit : undefined);
}
