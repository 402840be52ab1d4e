/**
 * The checks of an estimate, as warnings with stable codes: memory verdicts, batches and pipelines
 * that cannot use their GPUs, utilisation beyond what was measured, sizes beyond published runs,
 * precisions and hardware the rate does not stand behind.
 */
import { MIXED_PRECISION_ADAM_BYTES_PER_PARAM } from '../core/memory.js';
import { formatGrouped } from '../core/grouping.js';
import { formatQuantity } from '../core/quantity.js';
import { CONTEXT_PARALLEL_HIGHEST_RATIO, CONTEXT_PARALLEL_LOWEST_RATIO, MEMORY_PEAK_SPREAD, withinPeakSpread } from '../core/range.js';
import { contextParallel, microBatchesPerStep, pipelineBubbleSlots } from '../core/parallel.js';
import { MFU_WARN_ABOVE } from '../core/constants.js';
import type { ParallelPlan } from '../core/parallel.js';
import { BYTES_PER_GB } from '../core/units.js';
import { type Warning, warning } from '../core/warnings.js';
import type { ResolvedEstimate } from './estimate.js';
import { type LayoutResult, hasLayoutFlags } from './evaluate-layout.js';
import { hostBoundWarnings } from './host-bound.js';
import { measuredBound } from './measured-cap.js';
import { describePlan, layoutDetail, noLayout } from './layout-text.js';

/** Memory verdicts: a plan that cannot run is said loudly, with how far off it is. */
export function layoutWarnings(e: ResolvedEstimate, layout: LayoutResult | null): Warning[] {
  const warnings: Warning[] = [];
  if (layout && e.globalBatch && layout.chosen.plan.globalBatch !== e.globalBatch.value) {
    const { globalBatch, dp } = layout.chosen.plan;
    warnings.push(
      warning(
        'BATCH_ROUNDED',
        `the global batch was rounded from ${e.globalBatch.value} to ${globalBatch} sequences so that ${dp} data-parallel replicas split it evenly`,
        { fromBatch: e.globalBatch.value, toBatch: globalBatch, dataParallel: dp },
      ),
    );
  }
  const rangeReaches = e.perf.value === 'model' && !e.throughputRangeGiven;
  return [...warnings, ...fitWarnings(e, layout), ...contextParallelWarnings(e, layout), ...hostBoundWarnings(e, layout, rangeReaches)];
}

/**
 * Context parallelism timed by the step-time model: how fast ring attention runs depends on its
 * implementation. The held-out CP rows ran at 0.78–1.33 of the model (CONTEXT_PARALLEL_LOWEST_RATIO, _HIGHEST_RATIO):
 * the range reaches down to the slowest.
 */
function contextParallelWarnings(e: ResolvedEstimate, layout: LayoutResult | null): Warning[] {
  const cp = layout ? contextParallel(layout.chosen.plan) : 1;
  if (e.perf.value !== 'model' || cp === 1 || e.throughputRangeGiven) return [];
  const slower = Math.round((1 / CONTEXT_PARALLEL_LOWEST_RATIO - 1) * 100);
  return [
    warning(
      'CONTEXT_PARALLEL_SLOWER',
      `context parallelism (CP ${cp}) runs as fast as its ring-attention implementation: the held-out CP rows (Megatron-Core, NeMo, TorchTitan) ran at ${CONTEXT_PARALLEL_LOWEST_RATIO}–${CONTEXT_PARALLEL_HIGHEST_RATIO} of the step-time model's rate, the slowest taking ${slower}% longer; the time range reaches that far`,
      { cp, lowestMeasuredOverPredicted: CONTEXT_PARALLEL_LOWEST_RATIO },
    ),
  ];
}

function fitWarnings(e: ResolvedEstimate, layout: LayoutResult | null): Warning[] {
  if (!layout && !e.model.arch) return stateOnlyFit(e);
  if (!layout && e.model.arch) {
    const a = e.model.arch;
    return [
      warning('NO_LAYOUT', `${noLayout(e)}, so memory was not checked`, {
        gpus: e.gpus.value,
        layers: a.layers,
        heads: a.heads,
        globalBatch: e.globalBatch?.value ?? null,
        ...layoutDetail(e),
      }),
    ];
  }
  if (!layout) return [];
  const need = layout.chosen.memory.totalBytes;
  const have = layout.memoryCapacityBytes;
  if (layout.chosen.fits) return withinPeakSpread(need, have) ? [tightFit(e, layout.chosen.plan, need, have)] : [];
  const other = layout.fitsWithoutLayoutFlags;
  // The fewest GPUs are searched without the layout flags, so they can be no more than the GPUs given:
  // then the flags, not the GPU count, are what keeps the model from fitting.
  const min = other
    ? ` Without the layout flags it fits on ${e.gpus.value} × ${e.gpu.id} as ${describePlan(other.plan)} (${gb(other.memory.totalBytes)} per GPU).`
    : layout.minimumGpus !== null
      ? ` It needs at least ${layout.minimumGpus} × ${e.gpu.id}.`
      : layout.method === 'lean'
        ? ''
        : ' No GPU count up to a million makes it fit.';
  const leanest = hasLayoutFlags(e) ? 'the leanest layout the flags allow' : 'the leanest layout';
  return [
    warning(
      'OOM',
      `DOES NOT FIT: ${e.model.name} on ${e.gpus.value} × ${e.gpu.id} needs ${gb(need)} per GPU even with ${leanest} (${describePlan(layout.chosen.plan)}), and a GPU has ${gb(have)} (${(need / have).toFixed(1)}× over).${min}`,
      {
        gpu: e.gpu.id,
        gpus: e.gpus.value,
        needBytes: need,
        haveBytes: have,
        ratio: need / have,
        minimumGpus: layout.minimumGpus,
        fitsWithoutLayoutFlags: other ? describePlan(other.plan) : null,
      },
    ),
  ];
}

/**
 * A layout that fits gpucost's estimate by less than the measured spread may not fit the GPU: 10% of
 * the held-out fine-tuning measurements ran more than MEMORY_PEAK_SPREAD × the estimate, and in
 * the Ultra-Scale Playbook's pre-training sweep 34 of the 40 layouts that ran out of memory although
 * gpucost said they fit were within that spread of the GPU's memory (docs/layout-ranking.md).
 */
function tightFit(e: ResolvedEstimate, plan: ParallelPlan, need: number, have: number): Warning {
  const spare = 1 - need / have;
  // Only hint at what the layout has not already done.
  const untried = [...(plan.recompute === 'full' ? [] : ['--recompute full']), ...(plan.microBatch > 1 ? ['a smaller --micro-batch'] : [])];
  const room = `${untried.length > 0 ? untried.join(' or ') : 'a shorter --seq-len, more GPUs or a GPU with more memory'} leaves room`;
  const evidence = e.finetune
    ? '1 in 10 held-out fine-tuning peaks ran above'
    : 'most layouts in the Ultra-Scale Playbook sweep that ran out of memory although gpucost said they fit had less room than';
  return warning(
    'MEMORY_TIGHT',
    `the ${e.finetune ? 'fine-tune' : 'layout'} fits with ${spare < 0.005 ? 'under 0.5%' : `${Math.round(spare * 100)}%`} of the memory to spare (${gb(need)} of ${gb(have)}), but ${evidence} ${MEMORY_PEAK_SPREAD}× gpucost's estimate (${gb(need * MEMORY_PEAK_SPREAD)} here): ${room}`,
    { gpu: e.gpu.id, gpus: e.gpus.value, needBytes: need, haveBytes: have, spread: MEMORY_PEAK_SPREAD },
  );
}

/** Gigabytes as people read them: 3 significant figures, grouped digits from 1,000 GB up (no exponents). */
function gb(bytes: number): string {
  const v = bytes / BYTES_PER_GB;
  return `${v < 1000 ? v.toPrecision(3) : formatGrouped(Math.round(v))} GB`;
}

/**
 * Without an architecture (--params alone) no layout can be searched, but the model state alone
 * bounds the memory from below: mixed-precision Adam's 16 bytes a parameter, sharded over every GPU
 * (ZeRO-3), no activations. When even that does not fit, nothing does.
 */
function stateOnlyFit(e: ResolvedEstimate): Warning[] {
  const need = (MIXED_PRECISION_ADAM_BYTES_PER_PARAM * e.totalParams) / e.gpus.value;
  const have = e.gpu.memoryGB * BYTES_PER_GB;
  if (need <= have) return [];
  const fewest = Math.ceil((MIXED_PRECISION_ADAM_BYTES_PER_PARAM * e.totalParams) / have);
  return [
    warning(
      'OOM',
      `DOES NOT FIT: ${e.model.name} on ${e.gpus.value} × ${e.gpu.id} needs at least ${gb(need)} per GPU for its weights, gradients and optimizer state alone (16 bytes a parameter sharded over every GPU, no activations), and a GPU has ${gb(have)}. It needs more than ${fewest} × ${e.gpu.id}.`,
      { gpu: e.gpu.id, gpus: e.gpus.value, needBytes: need, haveBytes: have, ratio: need / have, minimumGpus: null },
    ),
  ];
}

export function estimateWarnings(e: ResolvedEstimate, layout: LayoutResult | null = null, mfu: number | null = null): Warning[] {
  const warnings: Warning[] = [...utilisationWarnings(e, mfu)];
  // The batch the layout splits: --global-batch, else the model's published or default batch.
  const batch = e.globalBatch?.value;
  // Without a layout the article's pure data parallelism is implied; with one, DP is N/(TP·PP).
  const dataParallel = layout ? layout.chosen.plan.dp : e.gpus.value;
  if (batch !== undefined && dataParallel > batch) {
    warnings.push(
      warning(
        'BATCH_BELOW_DP',
        `more GPUs than the global batch of ${batch} sequences: pure data parallelism cannot use them all (Narayanan et al. 2021 §5.4.3); the rest need tensor or pipeline parallelism`,
        { batch, dataParallel, gpus: e.gpus.value },
      ),
    );
  }
  warnings.push(...pipelineWarnings(e, layout), ...beyondPublishedWarnings(e), ...finetuneHardwareWarnings(e), ...lowPrecisionWarnings(e));
  return warnings;
}

/**
 * MXFP8 and NVFP4 training have few measured rows in the throughput set (presets/throughput): MXFP8
 * torchao's two on power-limited B200, NVFP4 MLPerf Training v5.1's seventeen, all from NVIDIA's NeMo
 * on B200, B300, GB200 and GB300. A default rate at either is the step-time model's gain over BF16 with every
 * weight GEMM at that precision (NVIDIA's NVFP4 recipe keeps some layers in BF16,
 * https://arxiv.org/abs/2509.25149), or, without an architecture, FP8's measured gain. A rate the
 * user gives is theirs.
 */
function lowPrecisionWarnings(e: ResolvedEstimate): Warning[] {
  const p = e.precision.value;
  const modelled = e.perf.value === 'model';
  if ((p !== 'mxfp8' && p !== 'fp4') || !(e.utilizationIsDefault || modelled)) return [];
  const allGemms = `every weight GEMM in ${p}${p === 'fp4' ? " (NVIDIA's NVFP4 recipe keeps some layers in BF16)" : ''}`;
  const rate = modelled
    ? `the step-time model's, with ${allGemms}`
    : e.model.arch
      ? `the calibrated 16-bit one times the step-time model's ${p} gain, with ${allGemms}`
      : "the calibrated 16-bit one times FP8's measured gain";
  // torchao's MXFP8 rows (presets/throughput/torchao-float8-llama3.yaml) ran on power-limited B200.
  const measured =
    p === 'mxfp8'
      ? "the only MXFP8 training throughput in gpucost's validation set, torchao's on power-limited B200, ran 2.4–2.5× below the step-time model, as the same runs' BF16 ran 2.2× below (the model's MXFP8 gain over BF16 is 1.32×, measured 1.16–1.20×)"
      : "gpucost's only NVFP4 training throughput, MLPerf Training v5.1's seventeen Llama 3.1 8B and 405B runs in NVIDIA's NeMo on B200, B300, GB200 and GB300, came within 17% of the step-time model: the 8B on one node ran 4–17% faster than it, on two and four nodes within 2%, the 405B on 512 to 5,120 GPUs up to 8% slower";
  return [
    warning('LOW_PRECISION_UNMEASURED', `${measured}: the rate is ${rate}; give a measured rate (--tokens-per-sec, --mfu) when you have one`, {
      precision: p,
    }),
  ];
}

/**
 * QLoRA's frozen base is stored in 4 bits (NF4) or 8 bits by bitsandbytes, whose kernels run on
 * NVIDIA, AMD and Intel GPUs and Intel Gaudi, not on TPUs (bitsandbytes installation guide,
 * https://huggingface.co/docs/bitsandbytes/v0.50.2/en/installation.md, retrieved 2026-12-06): a QLoRA
 * time on a TPU would be a plan no framework runs.
 */
function finetuneHardwareWarnings(e: ResolvedEstimate): Warning[] {
  if (e.finetune?.mode !== 'qlora' || e.gpu.vendor !== 'google') return [];
  return [
    warning(
      'QLORA_NO_KERNELS',
      `QLoRA keeps its frozen base in ${e.finetune.adapters?.base === 'int8' ? '8' : '4'} bits through bitsandbytes, which runs on NVIDIA, AMD and Intel GPUs and Intel Gaudi, not on ${e.gpu.id}; use LoRA (--finetune lora) there, or a GPU`,
      { gpu: e.gpu.id, vendor: e.gpu.vendor },
    ),
  ];
}

/**
 * A throughput above the peak, or above what was ever measured: above the best MFU the throughput set
 * measured on this GPU at this precision, where it has enough rows (counted the same way, with
 * attention FLOPs when the architecture is known), or above what large published runs sustain.
 */
function utilisationWarnings(e: ResolvedEstimate, mfu: number | null): Warning[] {
  const u = e.utilization.value;
  const peak = `${e.peakTflops} TFLOP/s ${e.precision.value} dense peak of ${e.gpu.id}`;
  const rate = { gpu: e.gpu.id, precision: e.precision.value, peakTflops: e.peakTflops, tflopsPerGpu: e.tflopsPerGpu.value, utilization: u };
  if (u > 1) {
    return [
      warning(
        'TFLOPS_ABOVE_PEAK',
        `${e.tflopsPerGpu.value} TFLOP/s per GPU is above the ${peak} (${pct(u)}); is it a with-sparsity or different-precision figure?`,
        rate,
      ),
    ];
  }
  const best = e.knownLimits.mfu;
  const withAttention = e.model.arch !== undefined;
  const bound = best ? measuredBound(best, withAttention) : null;
  if (best && bound !== null && mfu !== null && mfu > bound) {
    const counted = withAttention ? '6N + attention' : '6N';
    return [
      warning(
        'MFU_ABOVE_PUBLISHED',
        `${pct(mfu)} MFU (${counted} FLOPs) is above the best of ${best.rows} published measurements on ${e.gpu.id} at ${e.precision.value} (${pct(bound)}, ${best.row}: ${best.source.title})`,
        { ...rate, mfu, threshold: bound, measuredRows: best.rows, bestRow: best.row, bestSource: best.source.url },
      ),
    ];
  }
  if (u <= MFU_WARN_ABOVE) return [];
  return [
    warning('MFU_ABOVE_PUBLISHED', `${pct(u)} of the ${peak} is higher than large published runs sustain (PaLM: 46% MFU, 58% HFU)`, {
      ...rate,
      threshold: MFU_WARN_ABOVE,
    }),
  ];
}

/** A size or a step no published run reached: gpucost's calibration says nothing about it. */
function beyondPublishedWarnings(e: ResolvedEstimate): Warning[] {
  const out: Warning[] = [];
  const { gpus: most, batchTokens: widest } = e.knownLimits;
  if (most && e.gpus.value > most.value) {
    out.push(
      warning(
        'GPUS_BEYOND_PUBLISHED',
        `${formatGrouped(e.gpus.value)} GPUs is more than any published run in the presets used (${formatGrouped(most.value)}, ${most.run}): scaling and failures at this size are untested`,
        {
          gpus: e.gpus.value,
          mostPublished: most.value,
        },
      ),
    );
  }
  const stepTokens = e.globalBatch && e.model.arch ? e.globalBatch.value * e.model.arch.seqLen : undefined;
  if (widest && stepTokens !== undefined && stepTokens > widest.value) {
    out.push(
      warning(
        'BATCH_BEYOND_PUBLISHED',
        `${formatQuantity(stepTokens)} tokens per step is more than any published model trained with (${formatQuantity(widest.value)}, ${widest.model})`,
        {
          stepTokens,
          mostPublished: widest.value,
        },
      ),
    );
  }
  return out;
}

/** A pipeline that idles more than this share of each step is said to be starved (PIPELINE_STARVED). */
export const PIPELINE_IDLE_WARN_ABOVE = 0.25;

/**
 * Above this idle share, peak × MFU at linear scaling is off by more than 2× (the GPUs work less than
 * half of each step), so the estimate is not a plan but an error-level check (PIPELINE_MOSTLY_IDLE),
 * which --fail-if-infeasible fails on. The step-time model counts the idle time, so it only warns.
 */
export const PIPELINE_IDLE_ERROR_ABOVE = 0.5;

/**
 * The pipeline's idle share: (p − 1)/v bubble slots among m + (p − 1)/v (Narayanan et al. 2021
 * §2.2). Peak × MFU at linear scaling does not count it, so a size whose batch leaves a pipeline
 * almost empty would look as fast as any other.
 */
function pipelineWarnings(e: ResolvedEstimate, layout: LayoutResult | null): Warning[] {
  const plan = layout?.chosen.plan;
  if (!plan || plan.pp === 1) return [];
  const bubble = pipelineBubbleSlots(plan);
  const idle = bubble / (microBatchesPerStep(plan) + bubble);
  if (idle <= PIPELINE_IDLE_WARN_ABOVE) return [];
  const modelled = e.perf.value === 'model';
  const counted = modelled ? 'the step-time model counts it' : 'peak × MFU at linear scaling does not count it (--perf model does)';
  const detail = { gpus: e.gpus.value, globalBatch: plan.globalBatch, microBatches: microBatchesPerStep(plan), pipelineStages: plan.pp, idleShare: idle };
  const starved = warning(
    'PIPELINE_STARVED',
    `on ${e.gpus.value} GPUs the ${plan.globalBatch}-sequence batch leaves ${microBatchesPerStep(plan)} micro-batch(es) for a pipeline of ${plan.pp} stages, which then idles ${pct(idle)} of each step; ${counted}`,
    detail,
  );
  if (modelled || idle <= PIPELINE_IDLE_ERROR_ABOVE) return [starved];
  return [
    starved,
    warning(
      'PIPELINE_MOSTLY_IDLE',
      `NOT A PLAN: ${e.gpus.value} GPUs would idle ${pct(idle)} of each step, and the time shown assumes they never do; use fewer GPUs, a larger --global-batch, or --perf model`,
      detail,
    ),
  ];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
