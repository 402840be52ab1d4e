/** `compare`: several GPU types and counts for one run, as `gpucost compare --format json` spells it. */
import type { Registry } from '../presets/catalog.js';
import { type CompareRequest, compareRows } from '../resolve/compare.js';
import { type CompareRecord, compareReport } from '../report/compare.js';
import type { Report, ReportWarning } from '../report/model.js';
import type { CompareRow } from '../resolve/compare.js';
import { withModelFile } from './model-file.js';
import { type ApiOptions, type GpuLists, presetsOf, todayOf, withGpuLists } from './options.js';
import { finiteOrThrow } from '../report/finite.js';

/** A comparison's request: the estimate's fields, with lists of GPU types and counts. */
export interface CompareInput extends Omit<CompareRequest, 'gpuList' | 'gpusList'>, GpuLists {}

/** `gpucost compare --format json`. */
export interface CompareDocument {
  schemaVersion: number;
  estimates: CompareRecord[];
  /** Warnings said once for the rows or plans they name (`rows`). */
  warnings: ReportWarning[];
}

/** The comparison's rows and its report (what the CLI renders). */
export function runCompare(
  request: CompareRequest,
  presets: Registry,
  options: { plot: boolean; onRow?: (done: number, total: number) => void },
): { rows: CompareRow[]; report: Report } {
  const rows = compareRows(request, presets, options.onRow);
  return { rows, report: compareReport(rows, options) };
}

/**
 * One estimate per (GPU type, count), each with its speed-up and efficiency against the smallest
 * count of the same GPU. With an empty request: the GPT-3 article's clusters beside its claims.
 */
export function compare(input: CompareInput = {}, options: ApiOptions = {}): CompareDocument {
  const { report } = runCompare(withModelFile(withGpuLists<CompareRequest>({ today: todayOf(options), ...input }), process.cwd()), presetsOf(options), {
    plot: false,
  });
  return finiteOrThrow(report.json) as unknown as CompareDocument;
}
