/**
 * The throughput validation set (presets/throughput/): each measured row as tokens per second per
 * GPU, beside what two predictors give for it: one constant MFU, and the step-time model of the
 * row's own parallel layout. Pure: presets come in through a Registry.
 */
import { type ParallelPlan, type ZeroStage, interleavable } from '../core/parallel.js';
import {
  DEFAULT_FLASH_KERNEL,
  DEFAULT_PERF_CONSTANTS,
  DEFAULT_PERF_OPTIONS,
  type PerfHardware,
  type PerfOptions,
  bucketElementsOfMib,
  stepTime,
} from '../core/perf.js';
import type { ModelArch } from '../core/types.js';
import { tflopsToFlopsPerSecond } from '../core/units.js';
import { GRAD_BYTES_16BIT, GRAD_BYTES_FP32 } from '../core/memory.js';
import type { Registry } from '../presets/catalog.js';
import type { GpuPreset, ShardingKind, ThroughputRow, ThroughputSet } from '../presets/schema.js';
import { median } from './backtest.js';
import { type MeasuredCase, measuredCase } from './throughput-measured.js';
import { defaultGlobalBatch, memoryCapacityBytes, perfHardware } from './layout.js';
import { describePlan } from './layout-text.js';
import { type LayoutConstraints, searchLayouts } from '../core/layout-search.js';

export interface ThroughputCase extends MeasuredCase {
  set: ThroughputSet;
  row: ThroughputRow;
  split: 'fit' | 'holdout';
  /** The step-time model's tokens per second per GPU for the row's layout; null with the reason when it cannot be run. */
  model: { tokensPerSecondPerGpu: number; chosen?: string } | { tokensPerSecondPerGpu: null; why: string };
  /** What the step-time model runs on, for refitting its constants (null where it cannot run). */
  layout: { plan: ParallelPlan; hardware: PerfHardware; options: PerfOptions } | null;
}

/** Every row of the sets, resolved against the registry's models and GPUs. */
export function throughputCases(sets: ThroughputSet[], registry: Registry): ThroughputCase[] {
  return sets.flatMap((set) => set.rows.map((row) => throughputCase(set, row, registry)));
}

function throughputCase(set: ThroughputSet, row: ThroughputRow, registry: Registry): ThroughputCase {
  const measured = measuredCase(row, registry);
  return { set, row, split: set.split, ...measured, ...modelRate(set, row, measured.arch, registry.get('gpus', row.gpu), registry) };
}

/**
 * Bytes a gradient element takes, where it is reduced and where it is held: FP32 where the row says
 * its framework reduces in FP32 (Megatron-LM's accumulate_allreduce_grads_in_fp32, whose main_grad
 * buffer is FP32; nanotron's FP32 accumulator), else 16 bits.
 */
export function gradientBytesOf(parallelism: ThroughputRow['parallelism']): number {
  return parallelism.gradientReduceFp32 ? GRAD_BYTES_FP32 : GRAD_BYTES_16BIT;
}

/** ZeRO stage of each sharding a source names: FSDP and HSDP shard weights, gradients and optimizer state as ZeRO-3 does. */
const ZERO_OF: Record<ShardingKind, ZeroStage> = { none: 0, zero1: 1, zero2: 2, zero3: 3, fsdp: 3, hsdp: 3 };

/**
 * The step-time model for the row's layout: as published where the source states all of it, else
 * what gpucost's layout search picks for what the source leaves unsaid (micro-batch, recomputation,
 * sharding, interleaving), as a user who names the model and the GPUs gets it.
 */
function modelRate(set: ThroughputSet, row: ThroughputRow, arch: ModelArch, gpu: GpuPreset, registry: Registry): Pick<ThroughputCase, 'model' | 'layout'> {
  const p = row.parallelism;
  const notRun = (why: string): Pick<ThroughputCase, 'model' | 'layout'> => ({ model: { tokensPerSecondPerGpu: null, why }, layout: null });
  const tp = p.tp ?? 1;
  const pp = p.pp ?? 1;
  const cp = p.cp ?? 1;
  const dp = p.dp ?? row.gpus / (tp * cp * pp);
  if (!Number.isInteger(dp)) return notRun(`${row.gpus} GPUs do not split into TP ${tp} × CP ${cp} × PP ${pp}`);
  if (!interleavable(arch.layers, pp, p.virtualStages ?? 1))
    return notRun(`${arch.layers} layers do not split into ${pp} stages of ${p.virtualStages ?? 1} chunks`);
  // The source's own cluster where the row names one, else the GPU's default.
  const clusterId = row.cluster ?? gpu.defaultCluster;
  const cluster = clusterId ? registry.find('clusters', clusterId) : undefined;
  const hardware = perfHardware(gpu, cluster, row.precision);
  const plan = p.microBatch !== undefined && p.globalBatch !== undefined ? statedPlan(row, tp, pp, dp, cp) : searchedPlan(row, arch, gpu, hardware);
  if (plan === null) return notRun('no layout of the stated parts exists');
  // DeepSpeed's ZeRO-3 where a source names ZeRO-3; PyTorch FSDP's otherwise.
  const options: PerfOptions = {
    ...DEFAULT_PERF_OPTIONS,
    shardingEngine: p.sharding === 'zero3' ? 'deepspeed' : 'fsdp',
    expertOverlap: p.expertOverlap ?? false,
    expertDispatcher: p.expertDispatcher ?? DEFAULT_PERF_OPTIONS.expertDispatcher,
    flashKernel: row.flashKernel ?? set.flashKernel ?? DEFAULT_FLASH_KERNEL,
    ...(row.fp8Params ? { fp8Params: true } : {}),
    ...(p.gradientBucketMiB !== undefined ? { gradientBucketElements: bucketElementsOfMib(p.gradientBucketMiB) } : {}),
    gradCommBytes: gradientBytesOf(p),
  };
  const step = stepTime(arch, plan.plan, hardware, DEFAULT_PERF_CONSTANTS, options).stepSeconds;
  return {
    model: { tokensPerSecondPerGpu: (plan.plan.globalBatch * arch.seqLen) / step / row.gpus, ...(plan.chosen ? { chosen: plan.chosen } : {}) },
    layout: { plan: plan.plan, hardware, options },
  };
}

/**
 * The published layout. What a source leaves unsaid beside micro-batch and batch is assumed: ZeRO-1
 * (Megatron-LM's distributed optimizer), no recomputation, sequence parallelism when TP > 1 (as
 * gpucost's own layouts have it), no interleaving.
 */
function statedPlan(row: ThroughputRow, tp: number, pp: number, dp: number, cp: number): { plan: ParallelPlan; chosen?: string } {
  const p = row.parallelism;
  return {
    plan: {
      tp,
      pp,
      dp,
      microBatch: p.microBatch as number,
      globalBatch: p.globalBatch as number,
      zero: ZERO_OF[p.sharding ?? 'zero1'],
      recompute: p.recompute ?? 'none',
      sequenceParallel: p.sequenceParallel ?? tp > 1,
      virtualStages: p.virtualStages ?? 1,
      cp,
      ep: p.ep ?? 1,
      ...(p.etp !== undefined ? { etp: p.etp } : {}),
    },
  };
}

/**
 * The fastest layout that fits, with the parts the source states held and the rest searched; the
 * global batch, when unstated, is gpucost's default (4M tokens). When nothing fits gpucost's memory
 * estimate, the fastest layout regardless of memory, as the run evidently did fit.
 */
function searchedPlan(row: ThroughputRow, arch: ModelArch, gpu: GpuPreset, hardware: PerfHardware): { plan: ParallelPlan; chosen: string } | null {
  const p = row.parallelism;
  const constraints: LayoutConstraints = {
    ...(p.tp !== undefined ? { tp: p.tp } : {}),
    ...(p.pp !== undefined ? { pp: p.pp } : {}),
    ...(p.dp !== undefined ? { dp: p.dp } : {}),
    cp: p.cp ?? 1,
    ...(p.ep !== undefined ? { ep: p.ep } : {}),
    ...(p.etp !== undefined ? { etp: p.etp } : {}),
    ...(p.microBatch !== undefined ? { microBatch: p.microBatch } : {}),
    ...(p.sharding !== undefined ? { zero: ZERO_OF[p.sharding] } : {}),
    ...(p.recompute !== undefined ? { recompute: p.recompute } : {}),
    ...(p.virtualStages !== undefined ? { virtualStages: p.virtualStages } : {}),
    ...(p.sequenceParallel !== undefined ? { sequenceParallel: p.sequenceParallel } : {}),
  };
  const globalBatch = p.globalBatch ?? defaultGlobalBatch(arch, undefined).value;
  const input = { arch, gpus: row.gpus, globalBatch, hardware, memoryCapacityBytes: memoryCapacityBytes(gpu), constraints, batchSlack: 0.25 };
  const fitting = searchLayouts(input).best;
  // The run did fit: when gpucost's memory estimate says nothing does, the fastest layout regardless.
  const plan = fitting?.plan ?? searchLayouts({ ...input, memoryCapacityBytes: Number.POSITIVE_INFINITY }).best?.plan;
  if (plan === undefined) return null;
  return { plan, chosen: `searched: ${describePlan(plan)}, batch ${plan.globalBatch}${fitting ? '' : " (over gpucost's memory estimate)"}` };
}

/** Tokens per second per GPU that one MFU (PaLM's convention) predicts for a case. */
export function constantMfuRate(c: ThroughputCase, mfu: number): number {
  return tflopsToFlopsPerSecond(mfu * c.peakTflops) / c.modelFlopsPerToken;
}

/** The median measured MFU of the fit split: the "one well-chosen constant" every model must beat. */
export function fittedConstantMfu(cases: ThroughputCase[]): number {
  return median(cases.filter((c) => c.split === 'fit').map((c) => c.mfu));
}

/** The value below which `fraction` of the values lie (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

/** The errors of both predictors over one split and precision. */
export interface ThroughputSummary {
  split: 'fit' | 'holdout';
  precision: string;
  rows: number;
  constantMedianAbsError: number;
  constantP90AbsError: number;
  /** Rows the step-time model can run, and its errors there. */
  modelledRows: number;
  modelMedianAbsError: number | null;
  modelP90AbsError: number | null;
  /** The constant's errors on those same rows, for a like-for-like comparison. */
  constantOnModelledMedianAbsError: number | null;
}

/** predicted ÷ measured − 1 on tokens per second per GPU. */
export function rateError(predicted: number, c: ThroughputCase): number {
  return predicted / c.measured.tokensPerSecondPerGpu - 1;
}

export function throughputSummaries(cases: ThroughputCase[], constantMfu: number): ThroughputSummary[] {
  const precisions = [...new Set(cases.map((c) => c.row.precision))].sort();
  return (['fit', 'holdout'] as const).flatMap((split) =>
    precisions.flatMap((precision) => {
      const group = cases.filter((c) => c.split === split && c.row.precision === precision);
      return group.length === 0 ? [] : [summarize(split, precision, group, constantMfu)];
    }),
  );
}

function summarize(split: 'fit' | 'holdout', precision: string, group: ThroughputCase[], constantMfu: number): ThroughputSummary {
  const constant = group.map((c) => Math.abs(rateError(constantMfuRate(c, constantMfu), c)));
  const modelled = group.filter((c) => c.model.tokensPerSecondPerGpu !== null);
  const model = modelled.map((c) => Math.abs(rateError(c.model.tokensPerSecondPerGpu as number, c)));
  const constantSame = modelled.map((c) => Math.abs(rateError(constantMfuRate(c, constantMfu), c)));
  const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);
  return {
    split,
    precision,
    rows: group.length,
    constantMedianAbsError: median(constant),
    constantP90AbsError: percentile(constant, 0.9),
    modelledRows: modelled.length,
    modelMedianAbsError: orNull(median(model)),
    modelP90AbsError: orNull(percentile(model, 0.9)),
    constantOnModelledMedianAbsError: orNull(median(constantSame)),
  };
}
