/** `gpucost backtest --throughput`: the throughput validation set, each row beside both predictors. */
import { constantMfuRate, rateError, type ThroughputCase, type ThroughputSummary } from '../resolve/throughput.js';
import { type ThroughputMemoryCase, throughputMemoryCases } from '../resolve/throughput-memory.js';
import { type Chart, type Column, type Report, type Row, SCHEMA_VERSION } from './model.js';
import { SOURCE_COLUMNS, tokensPerSecondChart } from './measured-sets.js';

const SUMMARY_COLUMNS: Column[] = [
  { key: 'split', label: 'split', kind: 'text' },
  { key: 'precision', label: 'precision', kind: 'text', dropOrder: 5 },
  { key: 'rows', label: 'rows', kind: 'integer' },
  { key: 'constantMedianAbsError', label: 'constant MFU: median |error|', kind: 'fraction' },
  { key: 'constantP90AbsError', label: '90th pct', kind: 'fraction', dropOrder: 3 },
  { key: 'modelledRows', label: 'rows the model runs', kind: 'integer', dropOrder: 2 },
  { key: 'modelMedianAbsError', label: 'step-time model: median |error|', kind: 'fraction' },
  { key: 'modelP90AbsError', label: '90th pct', kind: 'fraction', dropOrder: 4 },
  { key: 'constantOnModelledMedianAbsError', label: 'constant on those rows', kind: 'fraction', dropOrder: 1 },
];

const ROW_COLUMNS: Column[] = [
  { key: 'id', label: 'row', kind: 'text' },
  { key: 'split', label: 'split', kind: 'text', dropOrder: 4 },
  { key: 'gpus', label: 'GPUs', kind: 'text', dropOrder: 5 },
  { key: 'precision', label: 'precision', kind: 'text', dropOrder: 2 },
  { key: 'measured', label: 'measured tok/s/GPU', unit: 'tokens/s', kind: 'number' },
  { key: 'mfu', label: 'MFU', unit: 'fraction', kind: 'fraction', dropOrder: 3 },
  { key: 'constantError', label: 'constant MFU', unit: 'fraction', kind: 'deviation' },
  { key: 'modelError', label: 'step-time model', unit: 'fraction', kind: 'deviation' },
  { key: 'notModelled', label: 'layout the model chose, or why it does not run', kind: 'text', dropOrder: 1 },
];

const MEMORY_COLUMNS: Column[] = [
  { key: 'id', label: 'row', kind: 'text' },
  { key: 'gpus', label: 'GPUs', kind: 'text', dropOrder: 2 },
  { key: 'kernels', label: 'kernels', kind: 'text', dropOrder: 1 },
  { key: 'measured', label: 'measured peak (GiB)', unit: 'GiB', kind: 'number' },
  { key: 'predicted', label: 'gpucost (GiB)', unit: 'GiB', kind: 'number' },
  { key: 'error', label: 'error', unit: 'fraction', kind: 'deviation' },
];

/** The rows that measured their peak memory, beside gpucost's memory for the same layout. */
function memoryRows(memory: ThroughputMemoryCase[]): Row[] {
  return memory.map((m) => ({
    id: m.case.row.id,
    gpus: `${m.case.row.gpus} × ${m.case.row.gpu}`,
    kernels: m.kernels,
    measured: m.measuredGiB,
    predicted: m.predictedGiB,
    error: m.error,
  }));
}

/** One row's two predictions and their errors (predicted ÷ measured − 1), for the table and the JSON alike. */
function predictions(c: ThroughputCase, constantMfu: number): { constantRate: number; constantError: number; modelError: number | null } {
  const constantRate = constantMfuRate(c, constantMfu);
  const model = c.model.tokensPerSecondPerGpu;
  return { constantRate, constantError: rateError(constantRate, c), modelError: model === null ? null : rateError(model, c) };
}

export function throughputReport(cases: ThroughputCase[], summaries: ThroughputSummary[], constantMfu: number): Report {
  const predicted = cases.map((c) => predictions(c, constantMfu));
  const rows: Row[] = cases.map((c, i) => ({
    id: c.row.id,
    split: c.split,
    gpus: `${c.row.gpus} × ${c.row.gpu}`,
    precision: c.row.precision,
    measured: Math.round(c.measured.tokensPerSecondPerGpu),
    mfu: c.mfu,
    constantError: predicted[i]?.constantError ?? null,
    modelError: predicted[i]?.modelError ?? null,
    notModelled: 'why' in c.model ? c.model.why : (c.model.chosen ?? ''),
  }));
  const sets = [...new Map(cases.map((c) => [c.set.id, c.set])).values()];
  const memory = throughputMemoryCases(cases);
  return {
    title: `Throughput validation: ${cases.length} measured rows from ${sets.length} sources`,
    tables: [
      {
        title: 'Summary (errors are |predicted ÷ measured − 1| on tokens per second per GPU)',
        columns: SUMMARY_COLUMNS,
        rows: summaries.map((s) => ({ ...s })),
      },
      {
        title: 'Sources',
        columns: SOURCE_COLUMNS,
        rows: sets.map((s) => ({ id: s.id, split: s.split, rows: s.rows.length, source: sourceText(s) })),
      },
      { title: 'Rows', columns: ROW_COLUMNS, rows },
      {
        title:
          "Peak memory, where a row measured it (rank 0's; gpucost's memory per GPU for the row's layout, without the framework allowance for an allocated peak)",
        columns: MEMORY_COLUMNS,
        rows: memoryRows(memory),
      },
    ],
    primary: { columns: ROW_COLUMNS, rows },
    assumptions: [],
    warnings: [],
    notes: [{ title: 'How to read it', text: howText(constantMfu) }],
    charts: (['fit', 'holdout'] as const).flatMap((split) =>
      scatter(
        cases.filter((c) => c.split === split),
        split,
        constantMfu,
      ),
    ),
    json: {
      schemaVersion: SCHEMA_VERSION,
      constantMfu,
      summary: summaries,
      rows: jsonRows(cases, predicted, memory),
    },
  };
}

/** Each row as the JSON output gives it: the row as written, what was measured and both predictions, and the memory where it was measured. */
function jsonRows(cases: ThroughputCase[], predicted: ReturnType<typeof predictions>[], memory: ThroughputMemoryCase[]): Record<string, unknown>[] {
  const memoryOf = new Map(memory.map((m) => [m.case, m]));
  return cases.map((c, i) => {
    const m = memoryOf.get(c);
    return {
      set: c.set.id,
      split: c.split,
      ...c.row,
      measuredTokensPerSecondPerGpu: c.measured.tokensPerSecondPerGpu,
      measuredFrom: c.measured.from,
      mfu: c.mfu,
      constantMfuTokensPerSecondPerGpu: predicted[i]?.constantRate,
      modelTokensPerSecondPerGpu: c.model.tokensPerSecondPerGpu,
      modelLayout: c.layout?.plan ?? null,
      error: { constant: predicted[i]?.constantError, model: predicted[i]?.modelError },
      ...(m ? { memory: { measuredGiB: m.measuredGiB, predictedGiB: m.predictedGiB, error: m.error } } : {}),
    };
  });
}

function howText(constantMfu: number): string {
  return [
    "Each row of presets/throughput/ is a measured training throughput with its configuration and citation; each source's file is presets/throughput/SET.yaml, with every document it draws on and its notes. Every source was declared fit or holdout before anything was fitted to it. Rates are tokens per second per GPU; MFU is counted as PaLM (Appendix B) counts it, 6N plus attention, against the GPU preset's dense peak at the row's precision.",
    `Two predictors: one constant MFU, the median of the fit rows (${(constantMfu * 100).toFixed(1)}%), and the step-time model (--perf model) run on the row's published layout. The model runs only where it can express the layout: a micro-batch and a global batch given, no context parallelism, even pipeline stages. The last summary column gives the constant on the rows the model runs, for a like-for-like comparison.`,
  ].join('\n');
}

/** Predicted against measured tokens per second per GPU on log axes, with the line where they agree. */
function scatter(cases: ThroughputCase[], split: 'fit' | 'holdout', constantMfu: number): Chart[] {
  if (cases.length === 0) return [];
  const constant = cases.map((c): [number, number] => [c.measured.tokensPerSecondPerGpu, constantMfuRate(c, constantMfu)]);
  const model = cases.flatMap((c): [number, number][] =>
    c.model.tokensPerSecondPerGpu === null ? [] : [[c.measured.tokensPerSecondPerGpu, c.model.tokensPerSecondPerGpu]],
  );
  return [
    tokensPerSecondChart(
      `Predicted against measured tokens/s per GPU, ${split} rows (${cases.length})`,
      { name: `one constant MFU (${(constantMfu * 100).toFixed(1)}%)`, points: constant },
      { name: `step-time model (${model.length} rows)`, points: model },
    ),
  ];
}

/** The set's first document, and how many more its file lists. */
function sourceText(set: ThroughputCase['set']): string {
  const [first, ...more] = set.sources;
  const others = more.length > 0 ? ` (and ${more.length} more in presets/throughput/${set.id}.yaml)` : '';
  return `${first?.title ?? ''} ${first?.url ?? ''}${others}`;
}
