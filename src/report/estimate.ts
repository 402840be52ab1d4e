/** Estimate → JSON record (public contract) and → Report for people. */
import { briefLine, infeasibleVerdict } from './brief.js';
import { FLOPS_CONVENTION_INFO } from '../core/flops.js';
import { BYTES_PER_GB, secondsToDays } from '../core/units.js';
import type { ComputedEstimate } from '../resolve/compute.js';
import type { Resolved } from '../resolve/origin.js';
import { describePlan } from '../resolve/layout-text.js';
import { describeScaling, type ScalingChoice } from '../resolve/estimate.js';
import { formatGrouped } from '../core/grouping.js';
import { formatQuantity } from '../core/quantity.js';
import type { LayoutCandidate } from '../core/layout-search.js';
import { type Recompute, planGpus } from '../core/parallel.js';
import type { Warning } from '../core/warnings.js';
import type { AttentionKernel } from '../core/types.js';
import { formatDeviation, formatNumber, formatPercent, formatScientific } from './format.js';
import type { PublishedRun } from '../resolve/published.js';
import { NF4_BITS_PER_WEIGHT } from '../core/finetune.js';
import { type ActivationKernels, GRAD_BYTES_FP32, LOSS_BYTES_PER_LOGIT_BY_KIND, type LossKind } from '../core/memory.js';
import { DEFAULT_FLASH_KERNEL, FP8_ATTENTION_GAIN } from '../core/perf.js';
import type { FlashKernel } from '../core/enums.js';
import { MEMORY_PEAK_SPREAD } from '../core/range.js';
import type { ResolvedFinetune } from '../resolve/finetune.js';
import { type Assumption, type Column, type Report, type Row, SCHEMA_VERSION } from './model.js';
import {
  energyHowText,
  MONEY_COLUMNS,
  moneyAssumptions,
  moneyCell,
  type MoneyRecordFields,
  moneyRecordFields,
  moneyRows,
  reliabilityHowText,
  timeRangeRows,
} from './money.js';

/** The numbers and ids of an estimate record (see estimateValues). */
export interface EstimateValues extends MoneyRecordFields {
  model: string | null;
  modelName: string;
  gpu: string;
  gpuName: string;
  gpus: number;
  tokens: number;
  params: number;
  totalParams: number;
  precision: string;
  /** The transformer layers' weights held in FP8 between steps (--fp8-params). */
  fp8Params: boolean;
  /** Attention's matmuls in FP8 too (--fp8-attention). */
  fp8Attention: boolean;
  /** Gradients accumulated and reduced in FP32 (--grad-reduce-fp32), else 16 bits. */
  gradReduceFp32: boolean;
  flopsConvention: string;
  trainingFlops: number;
  peakTflopsPerGpu: number;
  tflopsPerGpu: number;
  utilization: number;
  scalingModel: string;
  scalingEfficiency: number;
  wallClockSeconds: number;
  wallClockDays: number;
  gpuHours: number;
  gpuYears: number;
  pricePerGpuHourUsd: number | null;
  costUsd: number | null;
  /** Whether some parallel layout fits in GPU memory (null without an architecture). */
  fits: boolean | null;
  /** Memory per GPU of the layout used, decimal GB (null without an architecture). */
  memoryPerGpuGB: number | null;
  /** Memory of one GPU, decimal GB. */
  gpuMemoryGB: number;
  /** Per-GPU memory by part, decimal GB. */
  memoryBreakdownGB: { weights: number; gradients: number; optimizer: number; activations: number; overhead: number } | null;
  /** Fewest GPUs of this type that fit (only when this count does not). */
  minimumGpus: number | null;
  /**
   * When the layout flags leave no layout that fits: the fastest layout that fits on the same GPUs
   * without them (then minimumGpus is at most this GPU count, since it is searched without the flags).
   */
  fitsWithoutLayoutFlags: PlanRecord | null;
  /** The parallel layout used (searched, or fixed by flags). */
  plan: PlanRecord | null;
  /** Second-fastest layout that fits. */
  runnerUpPlan: PlanRecord | null;
  /** Model FLOPs utilisation (6N + attention, PaLM Appendix B). */
  mfu: number;
  /** Hardware FLOPs utilisation (recomputation counted). */
  hfu: number;
  /** Throughput source: "mfu" (peak × utilisation) or "model" (step-time model). */
  perf: string;
  /**
   * Seconds per optimizer step at the estimate's own throughput: the wall clock without interruptions
   * ÷ steps (null without a sequence length). Since schemaVersion 3; in 2 it was the layout model's.
   */
  stepSeconds: number | null;
  /** The step-time model's own step for the chosen layout, a second opinion when the headline is peak × MFU. */
  layoutStepSeconds: number | null;
  /** Tokens per sequence the steps are counted in (null for a model given by its parameter count alone). */
  seqLen: number | null;
  /** Optimizer steps: tokens ÷ (global batch × seqLen); null without a sequence length or batch. */
  steps: number | null;
  /** Share of the wall clock that trains: the wall clock without interruptions ÷ the wall clock (1 when none are modelled). */
  goodput: number;
  /**
   * Training tokens per second per GPU while it trains, the unit throughput is usually quoted in:
   * tokens ÷ (wall clock × goodput) ÷ GPUs, from the estimate's one throughput.
   */
  tokensPerSecondPerGpu: number;
  /** The FLOPs `mfu` counts: 6nd-attn (6N + attention, PaLM Appendix B) with an architecture, else 6nd. `utilization` counts flopsConvention. */
  mfuConvention: '6nd-attn' | '6nd';
  /** Fine-tuning (--finetune), null for pre-training. */
  finetune: FinetuneRecord | null;
  /**
   * The model preset's published whole run, and this estimate's GPU-hours ÷ its − 1 when both are the
   * same GPU type and tokens (null otherwise); null when the preset has none.
   */
  published: (PublishedRun & { estimateVsPublished: number | null }) | null;
  /** Attention kernel assumed (--attention): flash or eager; null without an architecture. */
  attention: AttentionKernel | null;
  /** What the activation memory assumes the kernels keep (--kernels): eager or fused; null without an architecture. */
  kernels: ActivationKernels | null;
  [key: string]: unknown;
}

/** One estimate as the JSON contract spells it (schemaVersion 3). Units are in the key names. */
export interface EstimateRecord extends EstimateValues {
  assumptions: Assumption[];
  /** Remarks on how inputs were resolved (e.g. a scenario value that was dropped). */
  notes: string[];
  warnings: Warning[];
}

export interface PlanRecord {
  tp: number;
  pp: number;
  dp: number;
  microBatch: number;
  globalBatch: number;
  zero: number;
  recompute: Recompute;
  sequenceParallel: boolean;
  virtualStages: number;
  /** Context-parallel size (absent in plans made before context parallelism: 1). */
  cp?: number;
  /** Expert-parallel size, carved out of DP × CP (absent: 1). */
  ep?: number;
}

const GB = (bytes: number): number => bytes / BYTES_PER_GB;

/** The numbers and ids of an estimate: its record without assumptions, notes and warnings (cheap per row). */
export function estimateValues(e: ComputedEstimate): EstimateValues {
  const { resolved: r, result, input, layout } = e;
  const mem = layout?.chosen.memory;
  return {
    model: r.model.id,
    modelName: r.model.name,
    gpu: r.gpu.id,
    gpuName: r.gpu.name,
    gpus: r.gpus.value,
    tokens: r.tokens.value,
    params: r.params.value,
    totalParams: r.totalParams,
    precision: r.precision.value,
    fp8Params: r.perfOptions.fp8Params === true,
    fp8Attention: r.perfOptions.fp8Attention === true,
    gradReduceFp32: reducesGradientsInFp32(r),
    flopsConvention: r.convention.value,
    trainingFlops: result.trainingFlops,
    peakTflopsPerGpu: r.peakTflops,
    tflopsPerGpu: r.tflopsPerGpu.value,
    utilization: r.utilization.value,
    scalingModel: describeScaling(r.scaling.value),
    scalingEfficiency: input.scalingEfficiency,
    wallClockSeconds: result.wallClockSeconds,
    wallClockDays: secondsToDays(result.wallClockSeconds),
    gpuHours: result.gpuHours,
    gpuYears: result.gpuYears,
    pricePerGpuHourUsd: r.price.value,
    costUsd: result.costUsd,
    fits: layout ? layout.chosen.fits : null,
    memoryPerGpuGB: mem ? GB(mem.totalBytes) : null,
    gpuMemoryGB: r.gpu.memoryGB,
    memoryBreakdownGB: mem
      ? {
          weights: GB(mem.weightsBytes),
          gradients: GB(mem.gradientsBytes),
          optimizer: GB(mem.optimizerBytes),
          activations: GB(mem.activationsBytes),
          overhead: GB(mem.overheadBytes),
        }
      : null,
    minimumGpus: layout?.minimumGpus ?? null,
    fitsWithoutLayoutFlags: layout?.fitsWithoutLayoutFlags ? { ...layout.fitsWithoutLayoutFlags.plan } : null,
    plan: layout ? { ...layout.chosen.plan } : null,
    runnerUpPlan: layout?.runnerUp ? { ...layout.runnerUp.plan } : null,
    mfu: e.mfu,
    hfu: e.hfu,
    perf: r.perf.value,
    ...stepFields(e),
    finetune: finetuneRecord(r.finetune, r.totalParams, r.params.value),
    attention: r.attention?.value ?? null,
    kernels: r.kernels?.value ?? null,
    published: r.published && { ...r.published, estimateVsPublished: comparable(r, result.gpuHours) },
    ...moneyRecordFields(e),
  };
}

/**
 * The numbers that tie the wall clock to the step: steps = tokens ÷ (global batch × seqLen), and
 * wall clock = steps × stepSeconds ÷ goodput, all from the estimate's one throughput.
 */
function stepFields(
  e: ComputedEstimate,
): Pick<EstimateValues, 'stepSeconds' | 'layoutStepSeconds' | 'seqLen' | 'steps' | 'goodput' | 'tokensPerSecondPerGpu' | 'mfuConvention'> {
  const { resolved: r, result, layout } = e;
  const seqLen = r.model.arch?.seqLen ?? null;
  const batch = layout?.chosen.plan.globalBatch ?? r.globalBatch?.value ?? null;
  const steps = seqLen !== null && batch !== null ? r.tokens.value / (batch * seqLen) : null;
  const trainingSeconds = e.money.reliability?.idealWallClockSeconds ?? result.wallClockSeconds;
  return {
    stepSeconds: steps === null ? null : trainingSeconds / steps,
    layoutStepSeconds: layout ? layout.chosen.step.stepSeconds : null,
    seqLen,
    steps,
    goodput: trainingSeconds / result.wallClockSeconds,
    tokensPerSecondPerGpu: r.tokens.value / trainingSeconds / r.gpus.value,
    mfuConvention: r.model.arch ? '6nd-attn' : '6nd',
  };
}

/** Token counts this close are the same run's: a paper's "15T" or "2.0T" is rounded to two or three figures. */
const SAME_TOKENS_WITHIN = 0.01;

/**
 * The estimate's GPU-hours ÷ the published run's − 1, when both describe the same work (its GPU type
 * and token count); null when the estimate changed either, as the numbers then answer different questions.
 */
function comparable(r: ComputedEstimate['resolved'], gpuHours: number): number | null {
  const p = r.published;
  if (!p || p.gpu !== r.gpu.id || Math.abs(p.tokens / r.tokens.value - 1) > SAME_TOKENS_WITHIN) return null;
  return gpuHours / p.gpuHours - 1;
}

/** "1.30M GPU-hours on H100 (Meta, Llama 3 model card), 15T tokens: this estimate −62%". */
function publishedText(rec: EstimateRecord): string | null {
  const p = rec.published;
  if (!p) return null;
  const size = p.gpus !== null ? ` on ${formatGrouped(p.gpus)} × ${p.gpu}` : ` on ${p.gpu}`;
  const days = p.days !== null ? `, ${formatNumber(p.days, 3)} days` : '';
  const vs = p.estimateVsPublished === null ? 'this estimate differs in GPU or tokens' : `this estimate ${formatDeviation(p.estimateVsPublished)}`;
  return `${formatQuantity(p.gpuHours)} GPU-hours${size}${days}, ${formatQuantity(p.tokens)} tokens (${p.source.title}): ${vs}`;
}

export function estimateRecord(e: ComputedEstimate): EstimateRecord {
  return { ...estimateValues(e), assumptions: estimateAssumptions(e), notes: e.resolved.notes, warnings: e.warnings };
}

export function estimateAssumptions(e: ComputedEstimate): Assumption[] {
  const r = e.resolved;
  const conv = FLOPS_CONVENTION_INFO[r.convention.value];
  const list: Assumption[] = [
    { name: 'Model', value: r.model.id ? `${r.model.name} (${r.model.id})` : r.model.name, origin: r.model.origin },
    { name: 'Parameters', value: formatQuantity(r.params.value), origin: r.params.origin },
    { name: 'Training tokens', value: formatQuantity(r.tokens.value), origin: r.tokens.origin },
    { name: 'GPU', value: `${r.gpu.name} (${r.gpu.id})`, origin: 'preset' },
    { name: 'GPUs', value: String(r.gpus.value), origin: r.gpus.origin },
    { name: 'Precision', value: r.precision.value, origin: r.precision.origin },
    ...(r.perfOptions.fp8Params ? [FP8_WEIGHTS_ASSUMPTION] : []),
    ...(r.perfOptions.fp8Attention ? [FP8_ATTENTION_ASSUMPTION] : []),
    ...(reducesGradientsInFp32(r) ? [FP32_GRADIENTS_ASSUMPTION] : []),
    { name: 'FLOPs convention', value: `${conv.id}: ${conv.formula}`, origin: r.convention.origin },
    { name: 'Throughput per GPU', value: `${formatNumber(r.tflopsPerGpu.value)} TFLOP/s`, origin: r.tflopsPerGpu.origin },
    { name: 'Utilisation of peak', value: `${formatPercent(r.utilization.value)} (${r.convention.value} FLOPs)`, origin: r.utilization.origin },
    { name: 'Scaling', value: scalingText(r.scaling.value, e.input.scalingEfficiency), origin: r.scaling.origin },
    { name: 'Price', value: r.price.value === null ? 'none' : `$${r.price.value} per GPU-hour`, origin: r.price.origin },
    ...moneyAssumptions(e),
  ];
  if (r.cluster) list.push({ name: 'Cluster', value: `${r.cluster.name} (${r.cluster.gpusPerNode} GPUs per node)`, origin: `preset ${r.cluster.id}` });
  if (r.globalBatch) list.push({ name: 'Global batch', value: `${formatGrouped(r.globalBatch.value)} sequences`, origin: r.globalBatch.origin });
  if (r.seqLen) list.push({ name: 'Sequence length', value: `${formatGrouped(r.seqLen.value)} tokens`, origin: r.seqLen.origin });
  list.push(...kernelAssumptions(r));
  if (r.perf.value === 'model') list.push(collectivesAssumption(r.gradientBucketMib));
  if (r.model.arch?.moe && r.perf.value === 'model') list.push(...expertAssumptions(r));
  if (r.finetune) list.push(finetuneAssumption(r.finetune));
  if (e.layout) {
    const of = `${e.layout.evaluated} layouts${Object.keys(r.layout).length ? ' allowed by the flags' : ''}`;
    const how =
      e.layout.method === 'lean'
        ? 'leanest layout (no search: large sweep)'
        : e.layout.chosen.fits
          ? e.layout.headroom
            ? `fastest of ${of} that leaves room for peaks ${MEMORY_PEAK_SPREAD}× the memory estimate`
            : `fastest that fits of ${of}`
          : `least memory of ${of}; none fits`;
    list.push({ name: 'Parallel layout', value: describePlan(e.layout.chosen.plan), origin: how });
  }
  return list;
}

/** Whether the estimate holds and reduces its gradients in FP32 (--grad-reduce-fp32): the step-time model's gradient width is the one switch. */
function reducesGradientsInFp32(r: ComputedEstimate['resolved']): boolean {
  return r.perfOptions.gradCommBytes === GRAD_BYTES_FP32;
}

const FP32_GRADIENTS_ASSUMPTION: Assumption = {
  name: 'Gradients',
  value: `accumulated and reduced in FP32 (${GRAD_BYTES_FP32} bytes a gradient, held and sent)`,
  origin: "flag --grad-reduce-fp32 (Megatron-LM's accumulate_allreduce_grads_in_fp32, on for --bf16 by default; NeMo's grad_reduce_in_fp32)",
};

const FP8_WEIGHTS_ASSUMPTION: Assumption = {
  name: 'FP8 weights',
  value: 'transformer layers held in FP8 between steps (1 byte a weight), gathered in FP8 under ZeRO-3',
  origin: 'flag --fp8-params (Transformer Engine fp8_model_init, Megatron-Core --fp8-param-gather)',
};

const FP8_ATTENTION_ASSUMPTION: Assumption = {
  name: 'FP8 attention',
  value: `attention's matmuls in FP8 too, at ${FP8_ATTENTION_GAIN}× their 16-bit rate (step-time model)`,
  origin: "flag --fp8-attention (Transformer Engine's FP8 dot-product attention; FlashAttention-3's FP8 and BF16 rates)",
};

/** How the step-time model times collectives (core/perf.ts: collectiveBytesPerSecond, ringLatencySeconds). */
function collectivesAssumption(bucket: Resolved<number> | undefined): Assumption {
  const rings = "NCCL rings: the intra-node link inside a node; across nodes every network interface a group has in a node, plus NCCL's ring latency per call";
  if (bucket === undefined)
    return {
      name: 'Collectives',
      value: `${rings}; gradients reduced in Megatron-Core's buckets`,
      origin: 'step-time model: NCCL tuning model (src/graph/tuning.cc), Megatron-Core bucket size max(40M, 1M × DP) parameters (--grad-bucket-mib to change)',
    };
  return {
    name: 'Collectives',
    value: `${rings}; gradients reduced in buckets of ${formatNumber(bucket.value)} MiB`,
    origin: `step-time model: NCCL tuning model (src/graph/tuning.cc); ${bucket.origin}`,
  };
}

/** How the step-time model treats a mixture of experts' all-to-all and load balance. */
function expertAssumptions(r: ComputedEstimate['resolved']): Assumption[] {
  const o = r.perfOptions;
  return [
    {
      name: 'Expert all-to-all',
      value: o.expertOverlap ? 'overlapped with computation' : 'waits for computation',
      origin: o.expertOverlap ? 'flag --moe-overlap (DeepSeek-V3 DualPipe, Megatron-Core EP overlap)' : 'default (--moe-overlap to overlap)',
    },
    {
      name: 'Expert load',
      value: `busiest rank ${o.expertImbalance}× an even split`,
      origin: expertLoadOrigin(o.expertImbalance, r.capacityFactor),
    },
    ...(r.capacityFactor === null
      ? []
      : [
          {
            name: 'Capacity factor',
            value: `${r.capacityFactor}× an even share per expert; tokens beyond it are dropped`,
            origin: 'flag --capacity-factor (GShard, Switch Transformers)',
          },
        ]),
  ];
}

function expertLoadOrigin(imbalance: number, capacityFactor: number | null): string {
  if (capacityFactor !== null && imbalance === capacityFactor) return 'capped by --capacity-factor';
  return imbalance === 1 ? 'default: balanced routing (DeepSeek-V3 §2.1.2)' : 'flag --expert-imbalance';
}

function scalingText(s: ScalingChoice, efficiency: number): string {
  if (s.kind === 'linear') return 'linear (every GPU adds its full throughput)';
  if (s.kind === 'efficiency') {
    return `${s.perDoubling} per doubling beyond ${s.baseGpus} GPUs: ${formatPercent(efficiency)} of linear here`;
  }
  return `performance model: ${formatPercent(efficiency)} of linear here`;
}

/** Columns of the machine table (CSV): one row per estimate, units in headers. */
export const ESTIMATE_COLUMNS: Column[] = [
  { key: 'model', label: 'model', kind: 'text' },
  { key: 'gpu', label: 'gpu', kind: 'text' },
  { key: 'gpus', label: 'gpus', kind: 'integer' },
  { key: 'tokens', label: 'tokens', kind: 'count' },
  { key: 'params', label: 'params', kind: 'count' },
  { key: 'precision', label: 'precision', kind: 'text' },
  { key: 'flopsConvention', label: 'flops convention', kind: 'text' },
  { key: 'trainingFlops', label: 'training FLOPs', unit: 'FLOP', kind: 'flops' },
  { key: 'tflopsPerGpu', label: 'throughput per GPU', unit: 'TFLOP/s', kind: 'tflops' },
  { key: 'utilization', label: 'utilisation', unit: 'fraction of peak', kind: 'fraction' },
  { key: 'scalingEfficiency', label: 'scaling efficiency', unit: 'fraction', kind: 'fraction' },
  { key: 'wallClockSeconds', label: 'wall-clock', unit: 's', kind: 'duration' },
  { key: 'wallClockDays', label: 'wall-clock days', unit: 'days', kind: 'number' },
  { key: 'gpuHours', label: 'GPU-hours', unit: 'GPU-h', kind: 'hours' },
  { key: 'gpuYears', label: 'GPU-years', unit: 'GPU-years', kind: 'years' },
  { key: 'pricePerGpuHourUsd', label: 'price', unit: 'USD per GPU-hour', kind: 'number' },
  { key: 'costUsd', label: 'cost', unit: 'USD', kind: 'usd' },
  { key: 'fits', label: 'fits in memory', kind: 'text' },
  { key: 'memoryPerGpuGB', label: 'memory per GPU', unit: 'GB', kind: 'number' },
  { key: 'mfu', label: 'MFU', unit: 'fraction', kind: 'fraction' },
  { key: 'hfu', label: 'HFU', unit: 'fraction', kind: 'fraction' },
  { key: 'tp', label: 'TP', kind: 'integer' },
  { key: 'pp', label: 'PP', kind: 'integer' },
  { key: 'dp', label: 'DP', kind: 'integer' },
  { key: 'microBatch', label: 'micro-batch', unit: 'sequences', kind: 'integer' },
  { key: 'zero', label: 'ZeRO stage', kind: 'integer' },
  { key: 'recompute', label: 'recompute', kind: 'text' },
  ...MONEY_COLUMNS,
];
export const MONEY_KEYS = new Set(MONEY_COLUMNS.map((c) => c.key));

export function recordRow(rec: EstimateValues): Row {
  const row: Row = {};
  const flat: Record<string, unknown> = { ...rec, ...(rec.plan ?? {}) };
  for (const c of ESTIMATE_COLUMNS) row[c.key] = MONEY_KEYS.has(c.key) ? moneyCell(rec, c.key) : ((flat[c.key] as Row[string] | undefined) ?? null);
  return row;
}

/** The report of one estimate; `rec` is its record when the caller has built it already. */
export function estimateReport(e: ComputedEstimate, rec: EstimateRecord = estimateRecord(e)): Report {
  const r = e.resolved;
  const title = `${r.model.name} · ${formatQuantity(r.tokens.value)} tokens · ${r.gpus.value} × ${r.gpu.name}`;
  const conv = FLOPS_CONVENTION_INFO[r.convention.value];
  // An impossible plan says so before any number it would have had.
  const verdict = infeasibleVerdict(rec.warnings);
  const result: Row[] = [
    ...(verdict === null ? [] : [{ q: 'Verdict', v: `${verdict} (the figures below are as if it could run)` }]),
    { q: 'Wall-clock', v: { value: rec.wallClockSeconds, kind: 'duration' } },
    ...timeRangeRows(rec),
    { q: 'GPU-hours', v: { value: rec.gpuHours, kind: 'hours', unit: 'GPU-hours' } },
    { q: 'GPU-years', v: { value: rec.gpuYears, kind: 'years', unit: 'GPU-years' } },
    { q: 'Cost', v: rec.costUsd === null ? 'no price given (--price, --provider or --owned)' : { value: rec.costUsd, kind: 'usd' } },
    ...moneyRows(rec, e),
    { q: `Training FLOPs (${conv.id}${r.finetune?.adapters ? ', frozen base' : ''})`, v: { value: rec.trainingFlops, kind: 'flops', unit: 'FLOP' } },
    { q: 'MFU / HFU', v: `${formatPercent(rec.mfu)} / ${formatPercent(rec.hfu)} (${rec.mfuConvention === '6nd-attn' ? '6N + attention' : '6N'} FLOPs)` },
    { q: 'Tokens/s per GPU', v: `${formatGrouped(Math.round(rec.tokensPerSecondPerGpu))} while training` },
    ...stepRows(rec),
  ];
  if (e.layout) {
    const fit = e.layout.chosen.fits ? 'fits' : 'DOES NOT FIT';
    result.push(
      { q: 'Memory per GPU', v: `${(rec.memoryPerGpuGB ?? 0).toPrecision(3)} GB of ${rec.gpuMemoryGB} GB: ${fit}` },
      { q: 'Parallel layout', v: describePlan(e.layout.chosen.plan) },
    );
    if (rec.minimumGpus !== null) result.push({ q: 'Fewest GPUs that fit', v: fewestGpusText(rec.minimumGpus, rec.gpu, e.layout.fitsWithoutLayoutFlags) });
  }
  const published = publishedText(rec);
  if (published) result.push({ q: 'Published run', v: published });
  const how = [
    `${formatScientific(rec.trainingFlops)} FLOP (${conv.formula}) ÷ (${rec.gpus} GPU${rec.gpus === 1 ? '' : 's'} × ${formatNumber(rec.tflopsPerGpu)} TFLOP/s` +
      ` × scaling ${rec.scalingEfficiency}) = ${formatScientific(e.money.reliability?.idealWallClockSeconds ?? rec.wallClockSeconds)} s.`,
    `FLOPs convention ${conv.id}: ${conv.source}.`,
    ...[reliabilityHowText(e), energyHowText(rec, rec.gpuHours)].filter((t): t is string => t !== null),
    ...r.notes.map((n) => `Note: ${n}.`),
  ].join('\n');
  return {
    title,
    tables: [
      {
        columns: [
          { key: 'q', label: 'Result', kind: 'text' },
          { key: 'v', label: 'Value', kind: 'text' },
        ],
        rows: result,
      },
    ],
    primary: { columns: ESTIMATE_COLUMNS, rows: [recordRow(rec)] },
    assumptions: rec.assumptions,
    warnings: rec.warnings,
    notes: [{ title: 'How', text: how }],
    json: { schemaVersion: SCHEMA_VERSION, estimates: [rec] },
    brief: [briefLine(rec)],
  };
}

/** The step the wall clock is made of, and the layout model's own where it is only a second opinion. */
function stepRows(rec: EstimateRecord): Row[] {
  if (rec.stepSeconds === null || rec.steps === null) return [];
  const rows: Row[] = [
    {
      q: 'Steps',
      v: `${formatGrouped(Math.round(rec.steps))} × ${formatNumber(rec.stepSeconds, 3)} s${rec.goodput < 1 ? ` ÷ goodput ${formatPercent(rec.goodput)}` : ''}`,
    },
  ];
  if (rec.perf !== 'model' && rec.layoutStepSeconds !== null) {
    rows.push({ q: 'Layout model step', v: `${formatNumber(rec.layoutStepSeconds, 3)} s (a second opinion; --perf model times the run with it)` });
  }
  return rows;
}

/** What a fine-tuning mode trains and holds, in one line of the assumptions. */
function finetuneAssumption(f: ResolvedFinetune): Assumption {
  const optimizer = {
    adamw: 'AdamW',
    'adamw-8bit': '8-bit AdamW',
    'paged-adamw': 'paged AdamW (state paged to CPU memory when the GPU runs short)',
    'adamw-bf16': 'AdamW in pure bf16 (bf16 moments, no fp32 master copy)',
  }[f.optimizer];
  if (!f.adapters) return { name: 'Fine-tuning', value: `full: every weight trains; ${optimizer}`, origin: 'flag --finetune' };
  const a = f.adapters;
  const where = { attn: 'attention projections', mlp: 'MLP matrices', all: 'every linear layer' }[a.targets];
  const base = a.base === 'bf16' ? 'bf16' : a.base === 'nf4' ? `NF4 (${NF4_BITS_PER_WEIGHT.toFixed(3)} bits with its constants)` : 'int8';
  return {
    name: 'Fine-tuning',
    value: `${f.mode === 'qlora' ? 'QLoRA' : 'LoRA'}: rank ${a.rank} adapters on ${where} (${formatQuantity(a.params)} trainable, ${formatPercent(a.trainableShare, 2)}), frozen base in ${base}, no weight gradients for it${a.dropout > 0 ? `; dropout ${a.dropout} on each adapter's input, whose copy and mask are kept` : ''}${a.bnbLegacy ? '; bitsandbytes before 0.43.2: each 4-bit layer keeps its 16-bit input' : ''}${f.mode === 'qlora' ? (a.peftPrepare ? "; prepared by PEFT's prepare_model_for_kbit_training as the QLoRA recipe and TRL do: fp32 norms make the activations 32-bit (--no-peft-prepare for torchtune, LitGPT, Unsloth)" : '; 16-bit activations (--no-peft-prepare)') : ''}; ${optimizer}`,
    origin: 'flag --finetune (defaults: the QLoRA recipe, Dettmers et al. 2023, https://arxiv.org/abs/2305.14314)',
  };
}

export interface FinetuneRecord {
  mode: 'full' | 'lora' | 'qlora';
  optimizer: string;
  /** LoRA/QLoRA only (null for full): adapter rank and targets, trainable parameters (all, and those a token passes through), and the base's storage. */
  loraRank: number | null;
  loraTargets: string | null;
  /** LoRA dropout on each adapter's input (null for full fine-tuning). */
  loraDropout: number | null;
  /** QLoRA on bitsandbytes before 0.43.2, whose 4-bit layers keep their inputs (null unless QLoRA). */
  bnbLegacy: boolean | null;
  /** QLoRA prepared by PEFT's prepare_model_for_kbit_training, activations 32-bit (null unless QLoRA). */
  peftPrepare: boolean | null;
  trainableParams: number;
  activeTrainableParams: number;
  base: string;
}

/** Full fine-tuning trains every parameter: `total`, of which a token passes through `active`. */
function finetuneRecord(f: ResolvedFinetune | null, total: number, active: number): FinetuneRecord | null {
  if (!f) return null;
  const a = f.adapters;
  return {
    mode: f.mode,
    optimizer: f.optimizer,
    loraRank: a?.rank ?? null,
    loraTargets: a?.targets ?? null,
    loraDropout: a?.dropout ?? null,
    bnbLegacy: f.mode === 'qlora' ? (a?.bnbLegacy ?? false) : null,
    peftPrepare: f.mode === 'qlora' ? (a?.peftPrepare ?? false) : null,
    trainableParams: a ? a.params : total,
    activeTrainableParams: a ? a.activeParams : active,
    base: a ? a.base : 'bf16',
  };
}

/**
 * The "Fewest GPUs that fit" line. The count is searched without the layout flags, so when the flags
 * alone keep the model from fitting it can be the very count that did not fit: say so, with the layout.
 * The layout that fits without the flags is at the count given, which may be more than the fewest:
 * then the line names both counts, so the layout is not read as the fewest's.
 */
export function fewestGpusText(minimumGpus: number, gpu: string, other: LayoutCandidate | null): string {
  if (!other) return `${minimumGpus} × ${gpu}`;
  const given = planGpus(other.plan);
  const layout = describePlan(other.plan);
  return given === minimumGpus
    ? `${minimumGpus} × ${gpu}, without the layout flags (${layout})`
    : `${formatGrouped(minimumGpus)} × ${gpu} without the layout flags; the ${formatGrouped(given)} given fit without them as ${layout}`;
}

/** How the kernel classes are named in the assumptions. */
const FLASH_KERNEL_NAME: Record<FlashKernel, string> = {
  cudnn: "Transformer Engine's fused attention: cuDNN's on Hopper and Blackwell",
  fa2: "FlashAttention-2 through PyTorch's SDPA",
  fa1: 'the first FlashAttention',
};

/** Attention kernel, loss and the kernels' saved tensors: what the activation memory and attention speed assume. */
function kernelAssumptions(r: ComputedEstimate['resolved']): Assumption[] {
  const list: Assumption[] = [];
  if (r.attention)
    list.push({
      name: 'Attention',
      value:
        r.attention.value === 'flash'
          ? `fused (${FLASH_KERNEL_NAME[r.perfOptions.flashKernel ?? DEFAULT_FLASH_KERNEL]}; follows Kernels)`
          : 'eager (materialised scores)',
      origin: r.attention.origin,
    });
  if (r.loss) list.push({ name: 'Loss', value: lossText(r.loss.value), origin: r.loss.origin });
  if (r.kernels)
    list.push({
      name: 'Kernels',
      value:
        r.kernels.value === 'eager'
          ? "eager PyTorch: a gated MLP keeps three tensors of its width, K and V repeated to the query heads (memory); attention through PyTorch's SDPA (speed)"
          : "fused (Transformer Engine): a gated MLP keeps its input, K and V at their heads, frozen layers no inputs (memory); Transformer Engine's fused attention (speed)",
      origin: r.kernels.origin,
    });
  return list;
}

function lossText(kind: LossKind): string {
  if (kind === 'fused') return 'fused with the output layer (no logits held)';
  const bytes = LOSS_BYTES_PER_LOGIT_BY_KIND[kind];
  if (kind === 'full') return `logits held whole (${bytes} bytes each)`;
  if (kind === 'upcast') return `logits upcast whole with a shifted copy, as Hugging Face transformers before v4.46 (${bytes} bytes each)`;
  return `16-bit logits, upcast a chunk at a time (${bytes} bytes each)`;
}
