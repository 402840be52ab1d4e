/** Runs the core on resolved inputs and collects the warnings a user should see. */
import { MFU_WARN_ABOVE } from '../core/constants.js';
import { type EstimateInput, type EstimateResult, estimateTraining } from '../core/estimate.js';
import { tflopsToFlopsPerSecond } from '../core/units.js';
import type { ResolvedEstimate } from './estimate.js';

/** Linear scaling: the article's assumption (every GPU added contributes its full throughput). */
export const LINEAR_SCALING_EFFICIENCY = 1;

export interface ComputedEstimate {
  resolved: ResolvedEstimate;
  input: EstimateInput;
  result: EstimateResult;
  warnings: string[];
}

export function computeEstimate(resolved: ResolvedEstimate): ComputedEstimate {
  const input: EstimateInput = {
    params: resolved.params.value,
    tokens: resolved.tokens.value,
    convention: resolved.convention.value,
    gpus: resolved.gpus.value,
    flopsPerSecondPerGpu: tflopsToFlopsPerSecond(resolved.tflopsPerGpu.value),
    scalingEfficiency: LINEAR_SCALING_EFFICIENCY,
    usdPerGpuHour: resolved.price.value,
  };
  if (resolved.model.arch) input.arch = resolved.model.arch;
  return { resolved, input, result: estimateTraining(input), warnings: estimateWarnings(resolved) };
}

export function estimateWarnings(e: ResolvedEstimate): string[] {
  const warnings: string[] = [];
  const u = e.utilization.value;
  const peak = `${e.peakTflops} TFLOP/s ${e.precision.value} dense peak of ${e.gpu.id}`;
  if (u > 1) {
    warnings.push(
      `${e.tflopsPerGpu.value} TFLOP/s per GPU is above the ${peak} (${pct(u)}); is it a with-sparsity or different-precision figure?`,
    );
  } else if (u > MFU_WARN_ABOVE) {
    warnings.push(`${pct(u)} of the ${peak} is higher than large published runs sustain (PaLM: 46% MFU, 58% HFU)`);
  }
  return warnings;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
