/** A measured layout sweep beside gpucost: how the step-time model ranks its layouts, and which it says fit (docs/layout-ranking.md). */
import { median } from '../resolve/backtest.js';
import { formatGrouped } from '../core/grouping.js';
import { MEMORY_PEAK_SPREAD } from '../core/range.js';
import type { Registry } from '../presets/catalog.js';
import type { ThroughputSet } from '../presets/schema.js';
import { type CellRanking, type SweepMemory, parseSweep, rankCells, sweepCases, sweepMemory } from '../resolve/sweep.js';
import { formatDeviation, formatPercent } from './format.js';
import { type Column, type Report, SCHEMA_VERSION } from './model.js';

const CELL_COLUMNS: Column[] = [
  { key: 'model', label: 'model', kind: 'text' },
  { key: 'gpus', label: 'GPUs', kind: 'integer' },
  { key: 'runs', label: 'timed layouts', kind: 'integer' },
  { key: 'spearman', label: 'rank correlation (Spearman)', kind: 'text' },
  { key: 'modelTopShareOfBest', label: "model's fastest: measured ÷ best measured", kind: 'fraction' },
  { key: 'fittingTopShareOfBest', label: 'the same among layouts gpucost says fit', kind: 'fraction' },
  { key: 'modelTopLayout', label: "model's fastest layout", kind: 'text' },
  { key: 'bestLayout', label: 'fastest measured layout', kind: 'text' },
];

const SUMMARY_COLUMNS: Column[] = [
  { key: 'what', label: 'measure', kind: 'text' },
  { key: 'value', label: 'value', kind: 'text' },
];

/** Share of cells whose pick measured within this fraction of the best: "close enough to run". */
export const PICK_WITHIN = 0.05;

export interface SweepSummary {
  cells: number;
  medianSpearman: number;
  /** Cells where the layout the model ranks fastest measured within PICK_WITHIN of the best. */
  picksWithin: number;
  medianTopShareOfBest: number;
  worstTopShareOfBest: number;
}

export function summariseRanking(cells: CellRanking[]): SweepSummary {
  const shares = cells.map((c) => c.modelTopShareOfBest);
  return {
    cells: cells.length,
    medianSpearman: median(cells.map((c) => c.spearman)),
    picksWithin: shares.filter((s) => s >= 1 - PICK_WITHIN).length,
    medianTopShareOfBest: median(shares),
    worstTopShareOfBest: Math.min(...shares),
  };
}

const HOW = [
  "Every layout the sweep ran (presets/throughput/ultrascale-playbook-sweep.csv, written by scripts/import-ultrascale.mjs by a rule fixed before any comparison: the standard variants at the 1M-token batch that trained or ran out of memory, without the pipeline runs from before the sweep's pipeline fix) is run through the step-time model and the memory model with its own layout: data, tensor and pipeline parallel sizes, micro-batch, ZeRO stage 0 or 1, no recomputation, 1F1B, and nanotron's eager kernels (--kernels eager) for the activations. The source is held out, as its fastest-run-per-cell rows are in the throughput set.",
  "A cell is one model on one number of GPUs. Its rank correlation says how well the model orders the layouts that trained; the measured rate of the layout the model ranks fastest, over the fastest measured, says what a user running gpucost's pick would have lost. Each rate was timed over one step, so close layouts can swap places by chance.",
  "The memory verdict is gpucost's (its memory per GPU, framework allowance included, against the H100's 80 GB); a layout that trained did fit, and one that ran out of memory did not, on the sweep's software. The reserved peak (PyTorch's max_memory_reserved on the logging rank) is compared with gpucost's memory per GPU; the allocated peak is not, as it does not grow with the micro-batch in the sweep.",
].join('\n');

export function sweepReport(title: string, cells: CellRanking[], memory: SweepMemory): Report {
  const s = summariseRanking(cells);
  const summary = [
    { what: 'cells (model × GPUs) with two or more timed layouts', value: String(s.cells) },
    { what: 'median rank correlation of predicted and measured tokens/s in a cell', value: s.medianSpearman.toFixed(2) },
    { what: `cells where the model's fastest layout measured within ${formatPercent(PICK_WITHIN)} of the best`, value: `${s.picksWithin} of ${s.cells}` },
    {
      what: "the model's fastest layout, measured ÷ best measured: median, worst",
      value: `${formatPercent(s.medianTopShareOfBest)}, ${formatPercent(s.worstTopShareOfBest)}`,
    },
    { what: 'layouts that trained, and those gpucost says fit', value: `${formatGrouped(memory.trained)}, ${formatGrouped(memory.trainedSaidToFit)}` },
    {
      what: 'layouts that ran out of memory, and those gpucost says do not fit',
      value: `${formatGrouped(memory.outOfMemory)}, ${formatGrouped(memory.outOfMemorySaidNotToFit)}`,
    },
    {
      what: `layouts gpucost says fit only within ${MEMORY_PEAK_SPREAD}× of the GPU's memory (MEMORY_TIGHT): of those that ran out of memory, of those that trained`,
      value: `${formatGrouped(memory.outOfMemoryTight)} of ${formatGrouped(memory.outOfMemory - memory.outOfMemorySaidNotToFit)}, ${formatGrouped(memory.trainedTight)} of ${formatGrouped(memory.trained)}`,
    },
    {
      what: "gpucost's memory per GPU ÷ the reserved peak − 1, over the layouts that trained: median, median |error|",
      value: `${formatDeviation(memory.reservedMedianError)}, ${formatPercent(memory.reservedMedianAbsError)}`,
    },
  ];
  const rows = cells.map((c) => ({ ...c, spearman: c.spearman.toFixed(2) }));
  return {
    title,
    tables: [
      { title: 'Summary', columns: SUMMARY_COLUMNS, rows: summary },
      { title: 'Cells', columns: CELL_COLUMNS, rows },
    ],
    primary: { columns: CELL_COLUMNS, rows },
    assumptions: [],
    warnings: [],
    notes: [{ title: 'How to read it', text: HOW }],
    json: { schemaVersion: SCHEMA_VERSION, summary: s, memory, cells },
  };
}

/** The sweep file at `file` (its text), run against `set`'s GPU and shapes: the report docs/layout-ranking.md holds. */
export function sweepReportOf(text: string, file: string, set: ThroughputSet, registry: Registry): Report {
  const cases = sweepCases(parseSweep(text, file), set, registry);
  return sweepReport(sweepTitle(set), rankCells(cases), sweepMemory(cases));
}

/** The report's title for a sweep run against `set`. */
export function sweepTitle(set: ThroughputSet): string {
  return `Layout sweep: ${set.name}`;
}
