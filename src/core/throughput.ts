export interface WallClockInput {
  /** Total training FLOPs, in FLOP. */
  flops: number;
  gpus: number;
  /** Sustained rate of one GPU in isolation, in FLOP/s. */
  flopsPerSecondPerGpu: number;
  /** Fraction of linear speed-up the cluster achieves (1 = perfect linear scaling). */
  scalingEfficiency: number;
}

/**
 * Wall-clock training time in seconds: FLOPs ÷ (GPUs × per-GPU FLOP/s × scaling efficiency).
 * This is Narayanan et al. 2021 eq. (4) (https://arxiv.org/abs/2104.04473) generalised to any FLOPs
 * count; with scaling efficiency 1 it is the article's linear-scaling arithmetic.
 */
export function wallClockSeconds(input: WallClockInput): number {
  return input.flops / (input.gpus * input.flopsPerSecondPerGpu * input.scalingEfficiency);
}

/** Utilisation implied by a sustained rate against a dense peak (both in TFLOP/s). */
export function impliedUtilization(sustainedTflops: number, peakTflops: number): number {
  return sustainedTflops / peakTflops;
}

/** The sustained per-GPU rate (FLOP/s) that finishes `flops` in `gpuSeconds` GPU-seconds. */
export function impliedFlopsPerSecond(flops: number, gpuSeconds: number): number {
  return flops / gpuSeconds;
}
