import { costUsd, gpuHours, gpuYears } from './cost.js';
import type { FlopsConvention } from './enums.js';
import { trainingFlops } from './flops.js';
import { wallClockSeconds } from './throughput.js';
import type { ModelArch } from './types.js';

/** Fully resolved inputs of one training estimate, in SI units. */
export interface EstimateInput {
  /** Parameters used in FLOPs formulas (active parameters for MoE). */
  params: number;
  tokens: number;
  arch?: ModelArch;
  convention: FlopsConvention;
  gpus: number;
  /** Sustained per-GPU rate, FLOP/s, counted in the chosen convention's FLOPs. */
  flopsPerSecondPerGpu: number;
  /** Fraction of linear scaling achieved at this GPU count (1 = linear). */
  scalingEfficiency: number;
  /** Price per GPU-hour in USD, or null when none was given. */
  usdPerGpuHour: number | null;
  /** LoRA/QLoRA: frozen base, trainable adapters (flops.ts, TrainingFlopsInput.finetune). */
  finetune?: { adapterParams: number };
}

/** The numbers of one training estimate, in SI units. */
export interface EstimateResult {
  trainingFlops: number;
  wallClockSeconds: number;
  gpuHours: number;
  gpuYears: number;
  costUsd: number | null;
}

/** Training FLOPs → wall-clock → GPU-hours → cost, all pure arithmetic on resolved inputs. */
export function estimateTraining(input: EstimateInput): EstimateResult {
  const flops = trainingFlops(input);
  const seconds = wallClockSeconds({
    flops,
    gpus: input.gpus,
    flopsPerSecondPerGpu: input.flopsPerSecondPerGpu,
    scalingEfficiency: input.scalingEfficiency,
  });
  const hours = gpuHours(input.gpus, seconds);
  return {
    trainingFlops: flops,
    wallClockSeconds: seconds,
    gpuHours: hours,
    gpuYears: gpuYears(hours),
    costUsd: input.usdPerGpuHour === null ? null : costUsd(hours, input.usdPerGpuHour),
  };
}
