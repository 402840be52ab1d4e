/** Runs the core on resolved inputs and collects the warnings a user should see (./checks.ts). */
import {
  CONTEXT_PARALLEL_LOWEST_RATIO,
  FINETUNE_STEP_TIME_RANGE,
  SMALL_STEP_MEASURED_RANGE,
  STEP_TIME_MODEL_RANGE,
  type ThroughputRange,
} from '../core/range.js';
import { contextParallel } from '../core/parallel.js';
import { type EstimateInput, type EstimateResult, estimateTraining } from '../core/estimate.js';
import { FLOPS_CONVENTION_INFO, trainingFlops } from '../core/flops.js';
import { DEFAULT_PERF_CONSTANTS, stepTime } from '../core/perf.js';
import { scalingEfficiency } from '../core/scaling.js';
import { flopsPerSecondToTflops, tflopsToFlopsPerSecond } from '../core/units.js';
import type { Warning } from '../core/warnings.js';
import { GpucostError } from '../errors.js';
import { estimateWarnings, layoutWarnings } from './checks.js';
import type { ResolvedEstimate } from './estimate.js';
import { type LayoutResult, evaluateLayout } from './evaluate-layout.js';
import { hostBoundLayerSeconds } from './host-bound.js';
import { perfHardware } from './layout.js';
import { NO_LAYOUT_HINT, describePlan, layoutFlags, noLayout } from './layout-text.js';
import { capAtMeasured } from './measured-cap.js';
import { type Resolved, r } from './origin.js';
import { type ComputedMoney, computeMoney } from './money.js';

export interface ComputedEstimate {
  resolved: ResolvedEstimate;
  input: EstimateInput;
  result: EstimateResult;
  /** Energy, carbon, the low/high range and interruptions (resolve/money.ts). */
  money: ComputedMoney;
  warnings: Warning[];
  /** The parallel layout and its memory (null without an architecture). */
  layout: LayoutResult | null;
  /** Model FLOPs utilisation (PaLM Appendix B: 6N + attention, no recomputation) of the estimate. */
  mfu: number;
  /** Hardware FLOPs utilisation (recomputation counted) of the estimate. */
  hfu: number;
}

export function computeEstimate(resolvedIn: ResolvedEstimate): ComputedEstimate {
  const layout = evaluateLayout(resolvedIn);
  let resolved = resolvedIn;
  if (resolved.perf.value === 'model') resolved = withModelThroughput(resolved, layout);
  else if (resolved.lowPrecisionFromSixteenBit !== null && layout)
    resolved = withModelledLowPrecisionGain(resolved, resolved.lowPrecisionFromSixteenBit, layout);
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
  const finetune = finetuneFlops(resolved);
  if (finetune) input.finetune = finetune;
  // Utilisation describes the throughput itself, before interruptions stretch the run (money.ts).
  const ideal = estimateTraining(input);
  const { mfu, hfu } = utilisation(resolved, input, ideal, layout);
  const money = computeMoney(resolved, input, ideal);
  return {
    resolved,
    input,
    result: money.result,
    money,
    layout,
    mfu,
    hfu,
    warnings: [...estimateWarnings(resolved, layout, mfu), ...layoutWarnings(resolved, layout), ...resolved.money.warnings],
  };
}

/** Replaces the throughput with what the step-time model predicts for the chosen layout. */
function withModelThroughput(e: ResolvedEstimate, layout: LayoutResult | null): ResolvedEstimate {
  const arch = e.model.arch;
  if (!layout || !arch)
    throw new GpucostError('E_INPUT', `the performance model found no parallel layout${layoutFlags(e)} for ${e.gpus.value} GPUs`, NO_LAYOUT_HINT, 'no-layout');
  const { plan, step } = layout.chosen;
  const finetune = finetuneFlops(e);
  const stepFlops = trainingFlops({
    convention: e.convention.value,
    params: e.params.value,
    tokens: plan.globalBatch * arch.seqLen,
    arch,
    ...(finetune ? { finetune } : {}),
  });
  const tflops = flopsPerSecondToTflops(stepFlops / step.stepSeconds / e.gpus.value);
  return {
    ...e,
    // A default choice of the model says why; a flag needs no reason.
    tflopsPerGpu: r(
      tflops,
      `performance model: ${describePlan(plan)}, ${step.stepSeconds.toPrecision(3)} s per step${e.perf.origin.startsWith('default') ? ` (${e.perf.origin})` : ''}`,
    ),
    utilization: r(tflops / e.peakTflops, `implied: ${tflops.toPrecision(4)} ÷ ${e.peakTflops} TFLOP/s ${e.precision.value} peak`),
    // The model's own rate inside the spread its held-out measurements showed, not peak × PaLM's MFU spread.
    throughputRange: e.throughputRangeGiven
      ? e.throughputRange
      : modelThroughputRange(tflops, e.finetune?.adapters != null, contextParallel(plan) > 1, hostBoundLayerSeconds(e, layout) !== null),
  };
}

/**
 * The step-time model's rate inside the spread of its held-out rows: fine-tuning ones for LoRA and
 * QLoRA; with context parallelism, reaching down to the slowest held-out CP row; for a step too small
 * for the model (HOST_BOUND), down to the slowest such row.
 */
function modelThroughputRange(tflops: number, adapters: boolean, cp: boolean, hostBound: boolean): Resolved<ThroughputRange> {
  const [range, rows] = adapters
    ? [FINETUNE_STEP_TIME_RANGE, "the step-time model's held-out fine-tuning throughput rows (gpucost backtest --finetune)"]
    : [STEP_TIME_MODEL_RANGE, "the step-time model's held-out throughput rows"];
  const floors: [ratio: number, why: string][] = [];
  if (cp) floors.push([CONTEXT_PARALLEL_LOWEST_RATIO, 'the slowest held-out context-parallel row (CONTEXT_PARALLEL_SLOWER)']);
  if (hostBound) floors.push([SMALL_STEP_MEASURED_RANGE.low, 'the slowest held-out row with as little work per layer (HOST_BOUND)']);
  const lowest = floors.filter(([ratio]) => ratio < range.low).sort((a, b) => a[0] - b[0])[0];
  const low = lowest ? lowest[0] : range.low;
  const note = lowest ? `, down to ${lowest[0]}, ${lowest[1]}` : '';
  return r({ low: tflops * low, high: tflops * range.high }, `measured ÷ predicted ${range.low}–${range.high}: 90% of ${rows}${note}`);
}

/**
 * FP8 (or MXFP8, NVFP4) at the default utilisation, with a layout: the calibrated 16-bit rate × the
 * step-time model's gain for that layout (GEMMs at the low-precision peak, attention in BF16, the
 * casts), in place of the fit set's median FP8 gain, which comes from small models where attention
 * weighs more.
 */
function withModelledLowPrecisionGain(e: ResolvedEstimate, sixteenBit: Resolved<number>, layout: LayoutResult): ResolvedEstimate {
  const arch = e.model.arch as NonNullable<ResolvedEstimate['model']['arch']>;
  const { plan, step } = layout.chosen;
  const sixteenBitStep = stepTime(arch, plan, perfHardware(e.gpu, e.cluster, 'bf16'), DEFAULT_PERF_CONSTANTS, e.perfOptions).stepSeconds;
  const gain = sixteenBitStep / step.stepSeconds;
  // The low-precision rate, too, never promises more than was measured at that precision on this GPU.
  const cap = capAtMeasured(
    (sixteenBit.value * gain) / e.peakTflops,
    e.knownLimits.mfu,
    e.params.value,
    arch,
    e.convention.value,
    finetuneFlops(e)?.adapterParams,
  );
  const tflops = cap ? cap.utilization * e.peakTflops : sixteenBit.value * gain;
  const scale = tflops / e.tflopsPerGpu.value;
  const { low, high } = e.throughputRange.value;
  const name = e.precision.value.toUpperCase();
  const origin = `${sixteenBit.origin} × ${gain.toFixed(3)} ${name} gain (step-time model, ${describePlan(plan)})${cap ? `, ${cap.note}` : ''}`;
  return {
    ...e,
    tflopsPerGpu: r(tflops, origin),
    utilization: r(tflops / e.peakTflops, `implied: ${tflops.toPrecision(4)} ÷ ${e.peakTflops} TFLOP/s ${e.precision.value} peak`),
    throughputRange: e.throughputRangeGiven ? e.throughputRange : r({ low: low * scale, high: high * scale }, e.throughputRange.origin),
  };
}

/** A LoRA or QLoRA fine-tune's FLOPs skip the frozen base's weight gradients (core/flops.ts); undefined otherwise. */
function finetuneFlops(e: ResolvedEstimate): { adapterParams: number } | undefined {
  const adapters = e.finetune?.adapters;
  return adapters ? { adapterParams: adapters.activeParams } : undefined;
}

/** MFU against 6N + attention FLOPs (6N without an architecture), and HFU with the layout's recomputation. */
function utilisation(e: ResolvedEstimate, input: EstimateInput, result: EstimateResult, layout: LayoutResult | null): { mfu: number; hfu: number } {
  const modelFlops = trainingFlops({ ...input, convention: input.arch ? '6nd-attn' : '6nd' });
  const mfu = modelFlops / (result.wallClockSeconds * input.gpus * tflopsToFlopsPerSecond(e.peakTflops));
  // A throughput counted in a convention that includes recomputation (8nd, megatron) already is a
  // hardware rate; otherwise the layout's recomputation decides how much extra work the GPUs do.
  if (e.perf.value === 'mfu' && FLOPS_CONVENTION_INFO[e.convention.value].includesRecompute) {
    return { mfu, hfu: result.trainingFlops / (result.wallClockSeconds * input.gpus * tflopsToFlopsPerSecond(e.peakTflops)) };
  }
  const recomputeRatio = layout ? layout.chosen.step.hardwareFlops / layout.chosen.step.modelFlops : 1;
  return { mfu, hfu: mfu * recomputeRatio };
}

export function resolvedScalingEfficiency(r: ResolvedEstimate): number {
  const s = r.scaling.value;
  // The performance model already accounts for how the cluster scales.
  if (s.kind === 'model' || r.perf.value === 'model') return 1;
  return scalingEfficiency(s, r.gpus.value);
}

/**
 * For commands whose answer is the layout (`gpucost memory`): an error when there is none to show,
 * because the model has no architecture or no layout fits the flags.
 */
export function requireLayout(c: ComputedEstimate): NonNullable<ComputedEstimate['layout']> {
  if (!c.resolved.model.arch) {
    throw new GpucostError(
      'E_INPUT',
      'memory needs a model architecture, and --params gives only a count',
      'give --model, a config.json, or --layers and --d-model',
    );
  }
  if (!c.layout) throw new GpucostError('E_INPUT', noLayout(c.resolved), 'change --gpus or the layout flags, or leave the flags out');
  return c.layout;
}
