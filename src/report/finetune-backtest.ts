/** `gpucost backtest --finetune`: the fine-tuning validation set, each row beside gpucost's memory and speed. */
import type { FinetuneCase, FinetuneSummary } from '../resolve/finetune-backtest.js';
import { type Chart, type Column, type Report, type Row, SCHEMA_VERSION } from './model.js';
import { SOURCE_COLUMNS, agreementLine, tokensPerSecondChart } from './measured-sets.js';
import { CALIBRATED_MFU_FALLBACK } from '../core/calibration.js';

const SUMMARY_COLUMNS: Column[] = [
  { key: 'split', label: 'split', kind: 'text' },
  { key: 'memoryRows', label: 'memory rows', kind: 'integer' },
  { key: 'memoryMedianAbsError', label: 'memory: median |error|', kind: 'fraction' },
  { key: 'memoryMedianError', label: 'median signed', kind: 'deviation', dropOrder: 1 },
  { key: 'memoryRowsWithinBar', label: 'within 10%', kind: 'integer', dropOrder: 4 },
  { key: 'speedRows', label: 'tokens/s rows', kind: 'integer' },
  { key: 'speedMedianAbsError', label: 'tokens/s: median |error|', kind: 'fraction' },
  { key: 'speedP90AbsError', label: '90th pct', kind: 'fraction', dropOrder: 2 },
  { key: 'speedRowsWithinBar', label: 'within 20%', kind: 'integer', dropOrder: 5 },
  { key: 'speedConstantMedianAbsError', label: 'constant utilisation: median |error|', kind: 'fraction' },
  { key: 'speedConstantP90AbsError', label: '90th pct', kind: 'fraction', dropOrder: 3 },
];

const ROW_COLUMNS: Column[] = [
  { key: 'id', label: 'row', kind: 'text' },
  { key: 'split', label: 'split', kind: 'text', dropOrder: 3 },
  { key: 'run', label: 'run', kind: 'text', dropOrder: 4 },
  { key: 'memory', label: 'measured GiB', unit: 'GiB', kind: 'number' },
  { key: 'memoryError', label: 'memory', unit: 'fraction', kind: 'deviation' },
  { key: 'speed', label: 'measured tok/s/GPU', unit: 'tokens/s', kind: 'number', dropOrder: 2 },
  { key: 'speedError', label: 'tokens/s', unit: 'fraction', kind: 'deviation', dropOrder: 1 },
  { key: 'speedConstantError', label: 'constant', unit: 'fraction', kind: 'deviation', dropOrder: 5 },
];

export function finetuneBacktestReport(cases: FinetuneCase[], summaries: FinetuneSummary[]): Report {
  const rows: Row[] = cases.map((c) => ({
    id: c.row.id,
    split: c.split,
    run: `${c.row.method} ${c.row.gpus} × ${c.row.gpu}, ${c.row.seqLen} × ${c.row.microBatch}`,
    memory: c.row.measured.memoryGiB ?? null,
    memoryError: c.error.memory,
    speed: c.row.measured.tokensPerSecondPerGpu ?? null,
    speedError: c.error.speed,
    speedConstantError: c.error.speedConstant,
  }));
  const sets = [...new Map(cases.map((c) => [c.set.id, c.set])).values()];
  return {
    title: `Fine-tuning validation: ${cases.length} measured rows from ${sets.length} sources`,
    tables: [
      { title: 'Summary (errors are predicted ÷ measured − 1)', columns: SUMMARY_COLUMNS, rows: summaries.map((s) => ({ ...s })) },
      {
        title: 'Sources',
        columns: SOURCE_COLUMNS,
        rows: sets.map((s) => ({ id: s.id, split: s.split, rows: s.rows.length, source: `${s.sources[0]?.title ?? ''} ${s.sources[0]?.url ?? ''}` })),
      },
      { title: 'Rows', columns: ROW_COLUMNS, rows },
    ],
    primary: { columns: ROW_COLUMNS, rows },
    assumptions: [],
    warnings: [],
    notes: [{ title: 'How to read it', text: HOW }],
    charts: [...memoryChart(cases), ...speedChart(cases)],
    json: {
      schemaVersion: SCHEMA_VERSION,
      summary: summaries,
      rows: cases.map((c) => ({ set: c.set.id, split: c.split, ...c.row, predicted: c.predicted, error: c.error })),
    },
  };
}

const HOW = [
  "Each row of presets/finetune/ is a measured fine-tuning run with its configuration and citation; each source's file is presets/finetune/SET.yaml, with its notes. Every source was declared fit or holdout before anything was fitted to it (docs/finetune-measurements.md).",
  "gpucost runs each row as `estimate --finetune` with the layout fixed (data parallelism, the row's micro-batch, sequence length and recomputation) and the step-time model: memory is the peak per GPU of that layout, in GiB; speed is tokens per second per GPU. Rows of the longest context that fits read the VRAM budget as the measured peak.",
  `Beside the step-time model, tokens per second from one constant: the GPU's dense peak at the row's precision × the default utilisation calibrated on published training runs (${CALIBRATED_MFU_FALLBACK}, \`--perf mfu\`), the FLOPs of the fine-tune (no weight gradients for a frozen base). The fit source measures memory only, so the constant is not refitted on fine-tuning rows.`,
].join('\n');

/** Predicted against measured peak memory per GPU, both splits, with the line where they agree. */
function memoryChart(cases: FinetuneCase[]): Chart[] {
  const points = (split: 'fit' | 'holdout'): [number, number][] =>
    cases.flatMap((c) =>
      c.split === split && c.row.measured.memoryGiB !== undefined ? [[c.row.measured.memoryGiB, c.predicted.memoryGiB] as [number, number]] : [],
    );
  const all = cases.flatMap((c) => [c.row.measured.memoryGiB ?? c.predicted.memoryGiB, c.predicted.memoryGiB]);
  if (all.length === 0) return [];
  const low = Math.min(...all);
  const high = Math.max(...all);
  return [
    {
      title: 'Predicted against measured peak memory per GPU (GiB)',
      xLabel: 'measured GiB per GPU',
      yLabel: 'predicted GiB per GPU',
      xLog: true,
      yLog: true,
      xLogBase: 10,
      yKind: 'number',
      legendTitle: 'rows',
      series: [
        ...(['fit', 'holdout'] as const).map((split) => {
          const shown = points(split);
          return { name: `${split} (${shown.length})`, points: shown, markersOnly: true };
        }),
        agreementLine(low, high),
      ],
    },
  ];
}

/** Predicted against measured tokens/s per GPU on the rows that measured it: the step-time model and the constant. */
function speedChart(cases: FinetuneCase[]): Chart[] {
  const timed = cases.filter((c) => c.row.measured.tokensPerSecondPerGpu !== undefined);
  if (timed.length === 0) return [];
  const pairs = (predicted: (c: FinetuneCase) => number): [number, number][] =>
    timed.map((c) => [c.row.measured.tokensPerSecondPerGpu as number, predicted(c)]);
  const held = timed.filter((c) => c.split === 'holdout').length;
  return [
    tokensPerSecondChart(
      `Predicted against measured tokens/s per GPU (${timed.length} rows, ${held} held out)`,
      { name: `constant utilisation (${CALIBRATED_MFU_FALLBACK})`, points: pairs((c) => c.predicted.constantTokensPerSecondPerGpu) },
      { name: 'step-time model', points: pairs((c) => c.predicted.tokensPerSecondPerGpu) },
    ),
  ];
}
