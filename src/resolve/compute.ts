/** Runs the core on resolved inputs and collects the warnings a user should see. */
import { MFU_WARN_ABOVE } from '../core/constants.js';
import { type EstimateInput, type EstimateResult, estimateTraining } from '../core/estimate.js';
import { scalingEfficiency } from '../core/scaling.js';
import { tflopsToFlopsPerSecond } from '../core/units.js';
import { GpucostError } from '../errors.js';
import type { ResolvedEstimate } from './estimate.js';
import { type ComputedMoney, computeMoney } from './money.js';


export interface ComputedEstimate {
  resolved: ResolvedEstimate;
  input: EstimateInput;
  result: EstimateResult;
  /** Energy, carbon, the low/high range and interruptions (resolve/money.ts). */
  money: ComputedMoney;
  warnings: string[];
}

export function computeEstimate(resolved: ResolvedEstimate): ComputedEstimate {
  const input: EstimateInput = {
    params: resolved.params.value,
    tokens: resolved.tokens.value,
    convention: resolved.convention.value,
    gpus: resolved.gpus.value,
    flopsPerSecondPerGpu: tflopsToFlopsPerSecond(resolved.tflopsPerGpu.value),
    scalingEfficiency: resolvedScalingEfficiency(resolved),
    usdPerGpuHour: resolved.price.value,
  };
  if (resolved.model.arch) input.arch = resolved.model.arch;
  const money = computeMoney(resolved, input, estimateTraining(input));
  return { resolved, input, result: money.result, money, warnings: [...estimateWarnings(resolved), ...resolved.money.warnings] };
}

export function resolvedScalingEfficiency(r: ResolvedEstimate): number {
  const s = r.scaling.value;
  if (s.kind === 'model') throw new GpucostError('E_INPUT', '--scaling model needs the performance model', 'use linear or efficiency:X');
  return scalingEfficiency(s, r.gpus.value);
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
  const batch = globalBatchSequences(e);
  if (batch !== undefined && e.gpus.value > batch) {
    warnings.push(
      `more GPUs than the global batch of ${batch} sequences: pure data parallelism cannot use them all (Narayanan et al. 2021 §5.4.3); the rest need tensor or pipeline parallelism`,
    );
  }
  return warnings;
}

/** Sequences per optimizer step of the model's published recipe, when known. */
export function globalBatchSequences(e: ResolvedEstimate): number | undefined {
  const tokens = e.model.preset?.training.globalBatchTokens;
  const seqLen = e.model.arch?.seqLen;
  return tokens !== undefined && seqLen !== undefined ? Math.round(tokens / seqLen) : undefined;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
