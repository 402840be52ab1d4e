/**
 * Scaling models: the fraction of linear speed-up a cluster keeps as it grows.
 *
 * `linear` is the article's assumption. `efficiency` keeps a fixed fraction of per-GPU throughput
 * for every doubling of the GPU count beyond a reference count where the throughput figure holds
 * (a crude curve between ideal scaling and a communication model; the performance model in
 * `perf/` derives scaling from the parallel layout instead).
 */
export type ScalingModel = { kind: 'linear' } | { kind: 'efficiency'; perDoubling: number; baseGpus: number };

/** A scaling model as chosen by --scaling; `model` derives it from the parallel layout (perf model). */
export type ScalingChoice = ScalingModel | { kind: 'model' };

/** One node of eight GPUs: the default reference count for the `efficiency` model. */
export const DEFAULT_SCALING_BASE_GPUS = 8;

/** Fraction of linear throughput kept at `gpus` GPUs (1 = linear). Never above 1. */
export function scalingEfficiency(model: ScalingModel, gpus: number): number {
  if (model.kind === 'linear' || gpus <= model.baseGpus) return 1;
  return model.perDoubling ** Math.log2(gpus / model.baseGpus);
}

/** Speed-up of `n` GPUs over `base` GPUs given their wall-clock times. */
export function speedup(baseSeconds: number, seconds: number): number {
  return baseSeconds / seconds;
}

/** Parallel efficiency of going from `baseGpus` to `gpus`: speed-up ÷ GPU ratio. */
export function parallelEfficiency(baseGpus: number, baseSeconds: number, gpus: number, seconds: number): number {
  return speedup(baseSeconds, seconds) / (gpus / baseGpus);
}
