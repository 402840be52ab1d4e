/**
 * `gpucost backtest`: gpucost's prediction, with its default assumptions, for every published run in
 * presets/runs, next to what the source reports.
 */
import { type GpuArchitecture } from '../core/enums.js';
import { trainingFlops } from '../core/flops.js';
import { paramCounts } from '../core/params.js';
import { HOURS_PER_DAY, SECONDS_PER_HOUR, secondsToDays, tflopsToFlopsPerSecond } from '../core/units.js';
import { MIN_RUNS_PER_GENERATION, PER_GENERATION } from '../core/calibration.js';
import type { Registry } from '../presets/catalog.js';
import type { RunPreset } from '../presets/schema.js';
import { archFromInput, defaultPrecision, modelArch, peakTflops } from '../presets/to-core.js';
import type { ModelArch } from '../core/types.js';
import { computeEstimate } from './compute.js';
import { type EstimateRequest, type PerfMode, resolveEstimate } from './estimate.js';
import { defaultGlobalBatch } from './layout.js';
import type { ZeroStage } from '../core/parallel.js';

export type RunKind = 'training' | 'benchmark';

export interface BacktestRow {
  id: string;
  name: string;
  split: 'fit' | 'holdout';
  /** `training`: the source reports GPU-hours or days of a whole run; `benchmark`: only a rate. */
  kind: RunKind;
  gpu: string;
  architecture: GpuArchitecture;
  gpus: number | null;
  params: number;
  tokens: number;
  publishedGpuHours: number;
  /** How the published GPU-hours were obtained from the source's figures. */
  basis: string;
  predictedGpuHours: number;
  /** predicted ÷ published − 1. */
  error: number;
  publishedDays: number | null;
  predictedDays: number | null;
  /** 6·N·D ÷ (published GPU-hours × dense peak): the utilisation the source implies. */
  impliedUtilization: number;
  /** The utilisation gpucost used by default. */
  defaultUtilization: number;
}

export interface BacktestSummary {
  split: 'fit' | 'holdout' | 'all';
  kind: RunKind | 'all';
  runs: number;
  medianAbsError: number;
  worstError: number;
  worstRun: string;
  within25: number;
}

function runArch(run: RunPreset, registry: Registry): ModelArch {
  if (run.model) return modelArch(registry.get('models', run.model));
  if (run.architecture) return archFromInput(run.architecture);
  throw new Error(`run ${run.id} has neither model nor architecture`);
}

/** The run's GPU-hours as the source gives them, or derived from its rate; null when not comparable. */
export function publishedGpuHours(run: RunPreset, arch: ModelArch, peakTflops: number): { hours: number; basis: string; kind: RunKind } | null {
  const r = run.reported;
  const active = paramCounts(arch).active;
  if (r.gpuHours !== undefined) return { hours: r.gpuHours, basis: 'reported GPU-hours', kind: 'training' };
  if (r.wallClockDays !== undefined && run.gpus !== undefined && !r.tflopsPerGpu) {
    return { hours: r.wallClockDays * HOURS_PER_DAY * run.gpus, basis: 'reported days × GPUs', kind: 'training' };
  }
  if (r.tflopsPerGpu !== undefined && r.flopsConvention !== undefined) {
    const flops = trainingFlops({ convention: r.flopsConvention, params: active, tokens: run.tokens, arch });
    return {
      hours: flops / tflopsToFlopsPerSecond(r.tflopsPerGpu) / SECONDS_PER_HOUR,
      basis: `reported ${r.tflopsPerGpu} TFLOP/s (${r.flopsConvention})`,
      kind: 'benchmark',
    };
  }
  if (r.secondsPerIteration !== undefined && run.parallelism?.globalBatch !== undefined && run.gpus !== undefined) {
    const steps = run.tokens / (run.parallelism.globalBatch * arch.seqLen);
    return {
      hours: (steps * r.secondsPerIteration * run.gpus) / SECONDS_PER_HOUR,
      basis: `reported ${r.secondsPerIteration} s per iteration`,
      kind: 'benchmark',
    };
  }
  if (r.tokensPerSecondPerGpu !== undefined) {
    return { hours: run.tokens / r.tokensPerSecondPerGpu / SECONDS_PER_HOUR, basis: `reported ${r.tokensPerSecondPerGpu} tokens/s per GPU`, kind: 'benchmark' };
  }
  if (r.mfu !== undefined) {
    const flops = trainingFlops({ convention: '6nd-attn', params: active, tokens: run.tokens, arch });
    return { hours: flops / (r.mfu * tflopsToFlopsPerSecond(peakTflops)) / SECONDS_PER_HOUR, basis: `reported MFU ${r.mfu}`, kind: 'benchmark' };
  }
  return null;
}

/**
 * Every published run beside gpucost's prediction: by default peak × the calibrated utilisation (what
 * `estimate` prints without flags); with `perf: 'model'` the step-time model on the run's published
 * layout where it gives one (the rest searched), and on the GPU count that ran.
 */
export function backtestRows(registry: Registry, perf: PerfMode = 'mfu'): BacktestRow[] {
  const rows: BacktestRow[] = [];
  for (const run of registry.list('runs')) {
    const arch = runArch(run, registry);
    const gpu = registry.get('gpus', run.gpu);
    // Predictions and utilisations use the 16-bit peak (bf16, or fp16 where there is none): the
    // default a user gets. FP8 runs (DeepSeek-V3) are compared on that basis too.
    const precision = defaultPrecision(gpu);
    const peak = peakTflops(gpu, precision) ?? 0;
    const published = publishedGpuHours(run, arch, peak);
    if (!published) continue;
    const resolved = resolveEstimate(
      {
        scenario: 'none',
        customModel: { name: run.name, arch, origin: run.model ? `preset ${run.model}` : 'run architecture', notes: [] },
        tokens: run.tokens,
        gpu: run.gpu,
        gpus: run.gpus ?? 1,
        // The step-time model runs the precision the run trained in (FP8 included); the default the 16-bit peak.
        precision: perf === 'model' ? (run.precision ?? precision) : precision,
        ...(perf === 'model' ? { perf, ...modelLayout(run, arch, registry) } : { layoutSearch: 'lean' as const }),
        // A benchmark's rate is the step alone: no interruptions on top (whole runs keep the default).
        ...(perf === 'model' && published.kind === 'benchmark' ? { reliability: false } : {}),
      },
      registry,
    );
    const e = computeEstimate(resolved);
    // A run whose layout the step-time model cannot place is left out rather than given a default.
    if (perf === 'model' && e.layout === null) continue;
    const active = paramCounts(arch).active;
    rows.push({
      id: run.id,
      name: run.name,
      split: run.split,
      kind: published.kind,
      gpu: gpu.id,
      architecture: gpu.architecture,
      gpus: run.gpus ?? null,
      params: active,
      tokens: run.tokens,
      publishedGpuHours: published.hours,
      basis: published.basis,
      predictedGpuHours: e.result.gpuHours,
      error: e.result.gpuHours / published.hours - 1,
      publishedDays: run.reported.wallClockDays ?? (run.gpus ? published.hours / run.gpus / HOURS_PER_DAY : null),
      predictedDays: run.gpus ? secondsToDays(e.result.wallClockSeconds) : null,
      impliedUtilization:
        trainingFlops({ convention: '6nd', params: active, tokens: run.tokens }) / (published.hours * SECONDS_PER_HOUR * tflopsToFlopsPerSecond(peak)),
      defaultUtilization: resolved.utilization.value,
    });
  }
  return rows;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** A prediction within this fraction of the published GPU-hours counts as close (the `within25` column). */
export const BACKTEST_CLOSE_ERROR = 0.25;

export function summarize(rows: BacktestRow[], split: BacktestSummary['split'], kind: BacktestSummary['kind']): BacktestSummary {
  const sel = rows.filter((r) => (split === 'all' || r.split === split) && (kind === 'all' || r.kind === kind));
  const worst = sel.reduce<BacktestRow | null>((w, r) => (w === null || Math.abs(r.error) > Math.abs(w.error) ? r : w), null);
  return {
    split,
    kind,
    runs: sel.length,
    medianAbsError: median(sel.map((r) => Math.abs(r.error))),
    worstError: worst?.error ?? Number.NaN,
    worstRun: worst?.id ?? '',
    within25: sel.filter((r) => Math.abs(r.error) <= BACKTEST_CLOSE_ERROR).length,
  };
}

/**
 * The calibration: the median implied 6ND utilisation of all full training runs in the fit split;
 * per generation (PER_GENERATION, the shipped choice, unless asked), a generation with at least
 * MIN_RUNS_PER_GENERATION of them gets its own.
 */
export function calibrate(
  rows: BacktestRow[],
  perGeneration: boolean = PER_GENERATION,
): {
  fallback: number;
  byArchitecture: Partial<Record<GpuArchitecture, number>>;
  counts: Partial<Record<GpuArchitecture, number>>;
} {
  const fit = rows.filter((r) => r.split === 'fit' && r.kind === 'training');
  const byArchitecture: Partial<Record<GpuArchitecture, number>> = {};
  const counts: Partial<Record<GpuArchitecture, number>> = {};
  for (const arch of perGeneration ? new Set(fit.map((r) => r.architecture)) : []) {
    const values = fit.filter((r) => r.architecture === arch).map((r) => r.impliedUtilization);
    if (values.length < MIN_RUNS_PER_GENERATION) continue;
    byArchitecture[arch] = Number(median(values).toFixed(3));
    counts[arch] = values.length;
  }
  return { fallback: Number(median(fit.map((r) => r.impliedUtilization)).toFixed(3)), byArchitecture, counts };
}

/** How one calibration predicts the whole runs of a split: median |error| and median signed error. */
export interface CalibrationScore {
  runs: number;
  medianAbsError: number;
  medianError: number;
}

/** One of the two calibrations docs/published-runs.md chooses between, scored on the whole runs. */
export interface CalibrationComparison {
  calibration: 'pooled' | 'per-generation';
  inUse: boolean;
  values: ReturnType<typeof calibrate>;
  fit: CalibrationScore;
  holdout: CalibrationScore;
  all: CalibrationScore;
}

/** A run's error under a calibration: predicted ÷ published GPU-hours − 1, which with 6ND FLOPs is its implied utilisation ÷ the default − 1. */
function errorUnder(r: BacktestRow, c: ReturnType<typeof calibrate>): number {
  return r.impliedUtilization / (c.byArchitecture[r.architecture] ?? c.fallback) - 1;
}

/** How much lower (median |error|, absolute) the calibration not in use must score on a batch's held-out runs to replace the one in use. */
export const MIN_SWITCH_GAIN = 0.03;

/**
 * The batch rule's test (docs/published-runs.md): both calibrations, each on the fit runs as they
 * stand, scored by median |error| on the named held-out runs, and whether the one not in use is the
 * MIN_SWITCH_GAIN better that a switch needs. `distinguishing` counts the runs the two predict
 * differently (a run on a generation without a median of its own gets the same prediction from
 * both): from the tenth batch on only those count toward the three new runs a decision needs, and
 * from the eleventh the ids are all of them assigned since the rule was written. Throws on an id
 * that is not a held-out whole run.
 */
export function batchTest(
  rows: BacktestRow[],
  ids: readonly string[],
): { pooled: number; perGeneration: number; distinguishing: number; switchTo: CalibrationComparison['calibration'] | null } {
  const held = ids.map((id) => {
    const r = rows.find((x) => x.id === id);
    if (!r || r.split !== 'holdout' || r.kind !== 'training') throw new Error(`${id} is not a held-out whole run of presets/runs`);
    return r;
  });
  const [pooledValues, perGenerationValues] = [calibrate(rows, false), calibrate(rows, true)];
  const score = (c: ReturnType<typeof calibrate>) => median(held.map((r) => Math.abs(errorUnder(r, c))));
  const pooled = score(pooledValues);
  const perGeneration = score(perGenerationValues);
  const distinguishing = held.filter((r) => errorUnder(r, pooledValues) !== errorUnder(r, perGenerationValues)).length;
  const [inUse, other] = PER_GENERATION ? [perGeneration, pooled] : [pooled, perGeneration];
  const switchTo = inUse - other >= MIN_SWITCH_GAIN ? (PER_GENERATION ? 'pooled' : 'per-generation') : null;
  return { pooled, perGeneration, distinguishing, switchTo };
}

/**
 * The pooled median and the per-generation medians, each calibrated on the fit runs and scored on
 * the whole runs of each split, so the decision the batch rule takes can be read off the backtest.
 */
export function compareCalibrations(rows: BacktestRow[]): CalibrationComparison[] {
  const training = rows.filter((r) => r.kind === 'training');
  return ([false, true] as const).map((perGeneration) => {
    const values = calibrate(rows, perGeneration);
    const score = (split: 'fit' | 'holdout' | 'all'): CalibrationScore => {
      const e = training.filter((r) => split === 'all' || r.split === split).map((r) => errorUnder(r, values));
      return { runs: e.length, medianAbsError: median(e.map(Math.abs)), medianError: median(e) };
    };
    return {
      calibration: perGeneration ? 'per-generation' : 'pooled',
      inUse: perGeneration === PER_GENERATION,
      values,
      fit: score('fit'),
      holdout: score('holdout'),
      all: score('all'),
    };
  });
}

/**
 * What the step-time model runs a published run on: its cluster and layout flags, and its batch (as
 * published, else its model preset's, as `estimate --model` takes it).
 */
function modelLayout(run: RunPreset, arch: ModelArch, registry: Registry): Partial<EstimateRequest> {
  const preset = run.model ? registry.get('models', run.model) : undefined;
  return {
    ...(run.cluster ? { cluster: run.cluster } : {}),
    globalBatch: run.parallelism?.globalBatch ?? defaultGlobalBatch(arch, preset).value,
    // Without the GPU count that ran, the model times one GPU (backtestRows), where a published
    // layout of many (DeepSeek-V2's PP 16 × EP 8) cannot be placed: only its batch is kept.
    ...(run.gpus !== undefined ? publishedLayout(run) : {}),
  };
}

/** The layout flags a run publishes, for the step-time model. */
function publishedLayout(run: RunPreset): Partial<EstimateRequest> {
  const p = run.parallelism;
  if (!p) return {};
  return {
    ...(p.tp !== undefined ? { tp: p.tp } : {}),
    ...(p.pp !== undefined ? { pp: p.pp } : {}),
    ...(p.dp !== undefined ? { dp: p.dp } : {}),
    ...(p.ep !== undefined ? { ep: p.ep } : {}),
    ...(p.globalBatch !== undefined ? { globalBatch: p.globalBatch } : {}),
    ...(p.microBatch !== undefined ? { microBatch: p.microBatch } : {}),
    ...(p.virtualStages !== undefined ? { virtualStages: p.virtualStages } : {}),
    ...(p.gradientBucketMiB !== undefined ? { gradBucketMib: p.gradientBucketMiB } : {}),
    ...(p.zero !== undefined ? { zero: p.zero as ZeroStage } : {}),
    ...(p.recompute !== undefined ? { recompute: p.recompute } : {}),
    ...(p.expertOverlap !== undefined ? { moeOverlap: p.expertOverlap } : {}),
    ...(p.expertDispatcher !== undefined ? { expertDispatcher: p.expertDispatcher } : {}),
  };
}
