/** `gpucost backtest`: predicted against published GPU-hours for every run, and the summary. */
import { formatDeviation, formatPercent } from './format.js';
import { MIN_RUNS_PER_GENERATION, PER_GENERATION } from '../core/calibration.js';
import { BACKTEST_CLOSE_ERROR, type BacktestRow, type BacktestSummary, type CalibrationComparison, type calibrate } from '../resolve/backtest.js';
import { DEFAULT_ESTIMATE_RANGE } from '../core/range.js';
import { type Chart, type Column, type Report, type Row, SCHEMA_VERSION } from './model.js';

const COLUMNS: Column[] = [
  { key: 'id', label: 'run', kind: 'text' },
  { key: 'split', label: 'split', kind: 'text', dropOrder: 6 },
  { key: 'gpu', label: 'GPU', kind: 'text', dropOrder: 8 },
  { key: 'gpus', label: 'GPUs', kind: 'integer', dropOrder: 7 },
  { key: 'params', label: 'params', kind: 'count', dropOrder: 4 },
  { key: 'tokens', label: 'tokens', kind: 'count', dropOrder: 5 },
  { key: 'publishedGpuHours', label: 'published GPU-h', unit: 'GPU-h', kind: 'hours' },
  { key: 'predictedGpuHours', label: 'predicted GPU-h', unit: 'GPU-h', kind: 'hours' },
  { key: 'error', label: 'error', unit: 'fraction', kind: 'deviation' },
  { key: 'impliedUtilization', label: 'implied 6ND util.', unit: 'fraction', kind: 'fraction', dropOrder: 3 },
  { key: 'defaultUtilization', label: 'default util.', unit: 'fraction', kind: 'fraction', dropOrder: 2 },
  { key: 'basis', label: 'published as', kind: 'text', dropOrder: 1 },
];

/** What the terminal shows; CSV and JSON carry every column. */
const PEOPLE_KEYS = ['id', 'split', 'gpu', 'gpus', 'publishedGpuHours', 'predictedGpuHours', 'error', 'impliedUtilization'];
const PEOPLE_COLUMNS = COLUMNS.filter((c) => PEOPLE_KEYS.includes(c.key));

const SUMMARY_COLUMNS: Column[] = [
  { key: 'split', label: 'split', kind: 'text' },
  { key: 'kind', label: 'runs of', kind: 'text' },
  { key: 'runs', label: 'n', kind: 'integer' },
  { key: 'medianAbsError', label: 'median |error|', kind: 'fraction' },
  { key: 'worst', label: 'worst', kind: 'text', dropOrder: 1 },
  { key: 'within25', label: `within ${BACKTEST_CLOSE_ERROR * 100}%`, kind: 'text' },
];

const CALIBRATION_COLUMNS: Column[] = [
  { key: 'calibration', label: 'calibration', kind: 'text' },
  { key: 'values', label: 'default utilisation', kind: 'text', dropOrder: 2 },
  { key: 'fit', label: 'fit: median |error|, signed', kind: 'text' },
  { key: 'holdout', label: 'holdout: median |error|, signed', kind: 'text' },
  { key: 'all', label: 'all: median |error|', kind: 'text', dropOrder: 1 },
];

export function backtestReport(
  rows: BacktestRow[],
  summaries: BacktestSummary[],
  calibration: ReturnType<typeof calibrate>,
  perf: 'mfu' | 'model' = 'mfu',
  options: { plot?: boolean; calibrations?: CalibrationComparison[] } = {},
): Report {
  const toRow = (r: BacktestRow): Row => ({ ...r });
  const training = rows.filter((r) => r.kind === 'training');
  const benchmarks = rows.filter((r) => r.kind === 'benchmark');
  const summaryRows: Row[] = summaries.map((s) => ({
    split: s.split,
    kind: s.kind === 'training' ? 'whole training runs' : s.kind === 'benchmark' ? 'throughput benchmarks' : 'all',
    runs: s.runs,
    medianAbsError: s.medianAbsError,
    worst: s.runs ? `${formatPercent(s.worstError)} (${s.worstRun})` : '—',
    within25: `${s.within25} of ${s.runs}`,
  }));
  return {
    title: `Backtest: gpucost's ${perf === 'model' ? 'step-time model' : 'default prediction'} against ${rows.length} published runs`,
    tables: [
      { title: 'Whole training runs (GPU-hours or days as published)', columns: PEOPLE_COLUMNS, rows: training.map(toRow) },
      { title: 'Throughput benchmarks (GPU-hours implied by a published rate)', columns: PEOPLE_COLUMNS, rows: benchmarks.map(toRow) },
      { title: 'Summary', columns: SUMMARY_COLUMNS, rows: summaryRows },
      ...(options.calibrations
        ? [
            {
              title: 'Whole runs under the two calibrations the batch rule chooses between (docs/published-runs.md)',
              columns: CALIBRATION_COLUMNS,
              rows: options.calibrations.map(calibrationRow),
            },
          ]
        : []),
    ],
    primary: { columns: COLUMNS, rows: rows.map(toRow) },
    assumptions: [],
    warnings: [],
    notes: [
      {
        title: 'How to read it',
        text: [
          perf === 'model'
            ? "Each prediction is what `gpucost estimate --perf model` gives on the run's GPU count and published layout (the rest searched): the step-time model's throughput, with no allowance for downtime, restarts or anything else outside the training step. Runs it cannot place are left out. Error = predicted ÷ published − 1."
            : 'Each prediction is what `gpucost estimate --model … --tokens … --gpu …` gives with its defaults: 6·N·D FLOPs (active parameters), the 16-bit dense peak, and the default utilisation calibrated on the fit runs. Error = predicted ÷ published − 1 (negative: gpucost expects fewer GPU-hours than the run used).',
          `Default utilisation is calibrated only on whole training runs of the fit split (${PER_GENERATION ? `median per generation with at least ${MIN_RUNS_PER_GENERATION} runs, else the median of all` : 'the median of all of them, every generation alike'}); the holdout rows were set aside before calibrating and show the error to expect on a new run. Published GPU-hours include downtime and restarts where the sources do.`,
          `Calibration: ${calibrationText(calibration)}. Sources of every run: gpucost presets show RUN-ID.`,
        ].join('\n'),
      },
    ],
    json: {
      schemaVersion: SCHEMA_VERSION,
      runs: rows,
      summary: summaries,
      calibration,
      perf,
      ...(options.calibrations ? { calibrations: options.calibrations } : {}),
    },
    ...(options.plot ? { charts: [backtestChart(rows, perf)] } : {}),
  };
}

/**
 * Predicted against published GPU-hours, log-log: the fit and holdout runs as markers, the line
 * where they would be equal, and (for the default prediction) the band the estimate's range takes
 * from these runs, published ÷ predicted from DEFAULT_ESTIMATE_RANGE.low to .high.
 */
function backtestChart(rows: BacktestRow[], perf: 'mfu' | 'model'): Chart {
  const published = rows.map((r) => r.publishedGpuHours).filter((v) => v > 0);
  const [lo, hi] = [Math.min(...published), Math.max(...published)];
  const line = (name: string, factor: number, svgOnly = false) => ({
    name,
    svgOnly,
    points: [
      [lo, lo * factor],
      [hi, hi * factor],
    ] as [number, number][],
  });
  const runs = (split: 'fit' | 'holdout') => ({
    name: `${split} runs`,
    markersOnly: true,
    points: rows
      .filter((r) => r.split === split && r.publishedGpuHours > 0 && r.predictedGpuHours > 0)
      .map((r) => [r.publishedGpuHours, r.predictedGpuHours] as [number, number]),
  });
  return {
    title: 'Predicted against published GPU-hours',
    xLabel: 'published GPU-hours',
    yLabel: 'predicted GPU-hours',
    xLog: true,
    yLog: true,
    xLogBase: 10,
    yKind: 'number',
    legendTitle: 'runs',
    // The runs last, so that their markers are drawn over the lines.
    series: [
      line('predicted = published', 1),
      ...(perf === 'mfu'
        ? [
            line(`range low (÷${DEFAULT_ESTIMATE_RANGE.high})`, 1 / DEFAULT_ESTIMATE_RANGE.high, true),
            line(`range high (÷${DEFAULT_ESTIMATE_RANGE.low})`, 1 / DEFAULT_ESTIMATE_RANGE.low, true),
          ]
        : []),
      runs('fit'),
      runs('holdout'),
    ],
  };
}

function calibrationRow(c: CalibrationComparison): Row {
  const both = (s: CalibrationComparison['fit']) => `${formatPercent(s.medianAbsError)}, ${formatDeviation(s.medianError)} (${s.runs})`;
  return {
    calibration: `${c.calibration}${c.inUse ? ' (in use)' : ''}`,
    values: calibrationText(c.values),
    fit: both(c.fit),
    holdout: both(c.holdout),
    all: `${formatPercent(c.all.medianAbsError)} (${c.all.runs})`,
  };
}

/** The calibration in words: each generation's value and its runs, then the fallback. */
function calibrationText(c: ReturnType<typeof calibrate>): string {
  const own = Object.entries(c.byArchitecture)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([arch, value]) => `${arch} ${value} (${c.counts[arch as keyof typeof c.counts]} fit runs)`);
  if (own.length === 0) return `${c.fallback} for every generation (the median of all fit runs)`;
  return `${own.join(', ')}; other generations ${c.fallback} (the median of all fit runs)`;
}
