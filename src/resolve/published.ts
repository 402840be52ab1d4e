/**
 * The published run of a model preset (presets/runs), to print beside an estimate: what its makers
 * say the training took, so a user sees at once how far gpucost's number is from it (issue 17).
 */
import { HOURS_PER_DAY } from '../core/units.js';
import type { Registry } from '../presets/catalog.js';
import type { RunPreset } from '../presets/schema.js';
import type { BestMeasuredMfu } from './best-mfu.js';
import { builtinBestMfu } from './builtin-best-mfu.js';

export interface PublishedRun {
  /** Run preset id (gpucost presets show ID has its sources). */
  id: string;
  name: string;
  gpu: string;
  /** null where the source gives GPU-hours only. */
  gpus: number | null;
  tokens: number;
  gpuHours: number;
  /** Wall-clock days as published, or GPU-hours ÷ GPUs; null without a GPU count. */
  days: number | null;
  source: { title: string; url: string };
}

/**
 * The whole training run published for `modelId` on `gpuId`, else on any GPU: only runs that report
 * GPU-hours, or days and a GPU count (throughput benchmarks are not whole runs). Null when none.
 */
export function publishedRunFor(registry: Registry, modelId: string | null, gpuId: string): PublishedRun | null {
  if (modelId === null) return null;
  // The earliest id of the model's runs on the GPU, else of all its runs (deterministic without a locale sort).
  const runs = registry
    .all('runs')
    .filter((r) => r.model === modelId && wholeRunHours(r) !== null)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const run = runs.find((r) => r.gpu === gpuId) ?? runs[0];
  if (!run) return null;
  const gpuHours = wholeRunHours(run) as number;
  const source = run.sources[0];
  return {
    id: run.id,
    name: run.name,
    gpu: run.gpu,
    gpus: run.gpus ?? null,
    tokens: run.tokens,
    gpuHours,
    days: run.reported.wallClockDays ?? (run.gpus ? gpuHours / run.gpus / HOURS_PER_DAY : null),
    source: { title: source?.title ?? run.id, url: source?.url ?? '' },
  };
}

/** GPU-hours of a whole run as published; days extrapolated from a benchmark's rate (it gives TFLOP/s) are not a run. */
function wholeRunHours(run: RunPreset): number | null {
  const r = run.reported;
  if (r.gpuHours !== undefined) return r.gpuHours;
  if (r.wallClockDays !== undefined && run.gpus !== undefined && r.tflopsPerGpu === undefined) return r.wallClockDays * HOURS_PER_DAY * run.gpus;
  return null;
}

/** The largest GPU count any published run used, and the largest step any model trained with. */
export interface KnownLimits {
  gpus: { value: number; run: string } | null;
  batchTokens: { value: number; model: string } | null;
  /** The best MFU the throughput set measured on the GPU at the precision; null when it has too few rows to say. */
  mfu: BestMeasuredMfu | null;
}

/**
 * Rows a GPU and precision need before their best measured MFU is a bound worth warning against:
 * below this the best is more likely a gap in the set than the GPU's ceiling (the seven MoE rows on
 * B200 reach 20% MFU, far under what dense training reaches there). A judgement, not a fit.
 */
export const MIN_ROWS_FOR_MFU_BOUND = 20;

export function knownLimits(registry: Registry, gpu: string, precision: string): KnownLimits {
  let gpus: KnownLimits['gpus'] = null;
  for (const run of registry.all('runs')) if (run.gpus !== undefined && (gpus === null || run.gpus > gpus.value)) gpus = { value: run.gpus, run: run.name };
  let batchTokens: KnownLimits['batchTokens'] = null;
  for (const m of registry.all('models')) {
    const t = m.training.globalBatchTokens;
    if (t !== undefined && (batchTokens === null || t > batchTokens.value)) batchTokens = { value: t, model: m.name };
  }
  const best = builtinBestMfu(gpu, precision);
  return { gpus, batchTokens, mfu: best && best.rows >= MIN_ROWS_FOR_MFU_BOUND ? best : null };
}
