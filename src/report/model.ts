/**
 * Results as data. Commands build a Report; renderers turn it into text. Cells hold raw values in the
 * units their column states; formatting for people happens only in the table and Markdown renderers.
 */
import type { Warning } from '../core/warnings.js';

/** How a value is shown to people. Machine formats (JSON, CSV) always get the raw value. */
export type ValueKind =
  | 'text'
  | 'integer'
  | 'number'
  | 'count' // 174.6B
  | 'flops' // 3.14e23
  | 'tflops'
  | 'duration' // seconds → "33.8 days"
  | 'duration-short' // seconds → "33.8 d"
  | 'hours'
  | 'years'
  | 'usd'
  | 'fraction' // 0.449 → 44.9%
  | 'deviation'; // signed fraction → "+0.3%"

export interface Column {
  key: string;
  label: string;
  /** Unit of the raw value, shown in CSV headers ("wall-clock (s)"). */
  unit?: string;
  kind: ValueKind;
  /**
   * When a terminal is too narrow for the table, columns are left out in this order, 1 first (a
   * note under the table names them). Columns without it are kept while any with it remain.
   */
  dropOrder?: number;
}

export type Scalar = string | number | boolean | null;
/** A cell either uses its column's kind or carries its own (key/value tables mix kinds in one column). */
export type Cell = Scalar | { value: Scalar; kind: ValueKind; unit?: string };
export type Row = Record<string, Cell>;

export interface Table {
  title?: string;
  columns: Column[];
  rows: Row[];
}

export interface Assumption {
  name: string;
  value: string;
  origin: string;
}

/** A line chart: one series per GPU type, optionally on log axes. */
export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog: boolean;
  yLog: boolean;
  /** How the renderer should print y values (e.g. 'duration' in days, 'usd'). */
  yKind: ValueKind;
  /** Base of a log x axis: 2 for GPU counts (the default), 10 for rates. */
  xLogBase?: 2 | 10;
  /** What the series are (the legend's title); default "GPU". */
  legendTitle?: string;
  /** `markersOnly`: points without a line through them (a scatter). */
  /** `svgOnly`: drawn in SVG and HTML but left out of the terminal's coarser grid, where it would crowd the rest. */
  series: { name: string; points: [x: number, y: number][]; markersOnly?: boolean; svgOnly?: boolean }[];
}

export interface Report {
  title: string;
  /** Tables for people, in order. */
  tables: Table[];
  /** The one table machine formats (CSV) export: one row per estimate/claim. */
  primary: Table;
  assumptions: Assumption[];
  /** Shown by message; JSON documents carry the objects where their command's contract puts them. */
  warnings: ReportWarning[];
  /** Paragraphs of explanation, after the tables. */
  notes: { title: string; text: string }[];
  /** The JSON document (the public contract, with schemaVersion). */
  json: Record<string, unknown>;
  /** Charts for --plot (terminal) and --format svg/html. */
  charts?: Chart[];
  /** One line per answer for --brief (estimate, compare, plan); absent where a command has none. */
  brief?: string[];
}

/**
 * A warning as a report says it. One said once for several rows of a comparison or plan names them
 * in its message and lists them in `rows` (compare and plan: gpu and gpus; reproduce: claim).
 */
export interface ReportWarning extends Warning {
  rows?: Record<string, string | number | null>[];
}

/**
 * 2: warnings became objects with a code (docs/warnings.md) instead of strings. 3: an estimate's
 * `stepSeconds` is its own step (wall clock without interruptions ÷ steps), the layout model's is
 * `layoutStepSeconds`, and `seqLen`, `steps`, `goodput` and `mfuConvention` say how the numbers link.
 */
export const SCHEMA_VERSION = 3;

export function cellValue(cell: Cell): Scalar {
  return cell !== null && typeof cell === 'object' ? cell.value : cell;
}

export function cellKind(cell: Cell, column: Column): ValueKind {
  return cell !== null && typeof cell === 'object' ? cell.kind : column.kind;
}
