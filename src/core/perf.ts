/**
 * Step-time model of data/tensor/pipeline-parallel transformer training. Time per optimizer step is
 * built from per-micro-batch GEMM time at a shape-dependent efficiency, memory-bound non-GEMM time,
 * exposed tensor-parallel all-reduces, pipeline point-to-point transfers and the pipeline bubble
 * (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU Clusters Using
 * Megatron-LM", https://arxiv.org/abs/2104.04473, §2–§3), plus data-parallel gradient synchronisation
 * and ZeRO-3 parameter gathers (Rajbhandari et al. 2020, https://arxiv.org/abs/1910.02054, §7) that
 * overlap with compute, and the optimizer step.
 */
import { FLOP_PER_MAC, TRAIN_PASSES, TRAIN_PASSES_WITH_RECOMPUTE, attentionForwardFlopsPerToken, logitForwardFlopsPerToken } from './flops.js';
import {
  ACTIVATION_BYTES,
  type ArchParamCounts,
  GRAD_BYTES_16BIT,
  OPTIMIZER_BYTES,
  WEIGHT_BYTES,
  archParamCounts,
  layerActivationBytes,
  paramsPerGpu,
} from './memory.js';
import { type ParallelPlan, microBatchesPerStep, pipelineBubbleSlots, planGpus } from './parallel.js';
import { activeMatmulParamsPerToken } from './params.js';
import type { ModelArch } from './types.js';
import type { GpuArchitecture, Precision } from './enums.js';

/** The hardware a step runs on, in SI units. */
export interface PerfHardware {
  /** Dense peak of one GPU at the training precision, FLOP/s. */
  peakFlopsPerSecond: number;
  /** Device memory bandwidth, bytes/s. */
  memoryBandwidthBytesPerSecond: number;
  /** GPU-to-GPU bandwidth inside a node, one direction, bytes/s per GPU. */
  intraNodeBytesPerSecond: number;
  /** Network bandwidth between nodes, one direction, bytes/s per GPU. */
  interNodeBytesPerSecond: number;
  gpusPerNode: number;
  /** This GPU's GEMM efficiency ceiling at the training precision, when fitted (GEMM_CEILINGS); else PerfConstants'. */
  gemmEfficiencyMax?: number;
}

/**
 * Efficiency constants of the model. They were fitted (scripts/fit-perf.ts) on the published A100
 * runs of the "fit" split in presets/runs (Megatron-LM Tables 1–2, Korthikanti et al. 2022 Table 5,
 * MT-NLG); docs/perf-model.md lists the data and the resulting errors, held-out runs included.
 */
export interface PerfConstants {
  /** GEMM efficiency approached by large per-GPU matrices (fraction of dense peak). */
  gemmEfficiencyMax: number;
  /** Per-GPU hidden width (h/t) at which GEMMs reach half of gemmEfficiencyMax. */
  gemmHalfWidth: number;
  /** Memory traffic of non-GEMM kernels per byte of stored activations (reads + writes). */
  nonGemmTrafficPerActivationByte: number;
  /** Achieved fraction of the intra-node link in all-reduce (bus bandwidth ÷ link bandwidth). */
  intraNodeLinkEfficiency: number;
  /** Achieved fraction of the inter-node network in collectives. */
  interNodeLinkEfficiency: number;
  /**
   * How much of the shorter of compute and overlappable communication still adds to the step:
   * step = max(compute, comm) + this × min(compute, comm). 0 = perfect overlap, 1 = serial.
   */
  overlapPenalty: number;
}

/**
 * Fitted by scripts/fit-perf.ts (coordinate search on the mean squared log error of the fit split;
 * link efficiencies bounded to [0.5, 0.9], since collectives rarely reach more than 90% of the link
 * rate; the inter-node one reaches the bound). docs/perf-model.md has the per-run errors.
 */
export const DEFAULT_PERF_CONSTANTS: PerfConstants = {
  gemmEfficiencyMax: 0.708,
  gemmHalfWidth: 140,
  nonGemmTrafficPerActivationByte: 2.1,
  intraNodeLinkEfficiency: 0.856,
  interNodeLinkEfficiency: 0.9,
  overlapPenalty: 0.235,
};

/**
 * GEMM efficiency ceilings of GPU generations the 2021 fit did not see, per training precision,
 * fitted by `npm run fit:throughput -- --search --ceilings-only` on the fit rows of the throughput
 * validation set (presets/throughput/, llm-foundry's H100 benchmarks) with every other constant
 * held as above. Other GPUs use PerfConstants.gemmEfficiencyMax, which the A100 runs set.
 */
export const GEMM_CEILINGS: Partial<Record<GpuArchitecture, Partial<Record<Precision, number>>>> = {
  hopper: { bf16: 0.49, fp8: 0.24 },
};

export interface PerfOptions {
  /** Bytes per gradient element exchanged in data-parallel synchronisation (2: bf16, 4: fp32). */
  gradCommBytes: number;
  /**
   * Which pipeline engine runs the step (MT-NLG used DeepSpeed's, Smith et al. 2022,
   * https://arxiv.org/abs/2201.11990, §2.3; everything else here Megatron-LM's).
   *
   * `megatron`: each TP rank sends 1/t of the activation (the scatter/gather optimisation of Narayanan
   * et al. 2021 §4.1), a stage's send and receive are batched into one exchange per direction, and the
   * data-parallel gradient reduction overlaps with the pipeline.
   *
   * `deepspeed`, from DeepSpeed's source (microsoft/DeepSpeed, deepspeed/runtime/pipe/schedule.py and
   * engine.py, https://github.com/microsoft/DeepSpeed/tree/master/deepspeed/runtime/pipe):
   * - the TrainSchedule issues four blocking, paired transfers per micro-batch on a middle stage
   *   (receive activation, send gradient, send activation, receive gradient), one after another;
   * - with tensor parallelism the engine partitions the first tensor of every activation and gradient
   *   it sends over the TP group (`is_pipe_partitioned` / `is_grad_partitioned`, on whenever the model-
   *   parallel size exceeds 1; an option to turn it off came only with DeepSpeed PR #4322,
   *   https://github.com/microsoft/DeepSpeed/pull/4322, Nov 2023), so each rank sends 1/t and the
   *   receiver rebuilds the whole tensor with an all-gather over the TP group: the received activation
   *   before the forward, the stage's own output and the received gradient before the backward;
   * - the engine turns off the all-reduce during backward (`enable_backward_allreduce = False`) and the
   *   schedule appends ReduceTiedGrads, ReduceGrads and OptimizerStep to the last step, so the
   *   data-parallel gradient reduction starts after the pipeline has drained and is not overlapped
   *   (also described in EleutherAI/gpt-neox issue #62, https://github.com/EleutherAI/gpt-neox/issues/62).
   */
  pipelineEngine: 'megatron' | 'deepspeed';
}

export const DEFAULT_PERF_OPTIONS: PerfOptions = { gradCommBytes: GRAD_BYTES_16BIT, pipelineEngine: 'megatron' };

export interface StepTime {
  /** Seconds per optimizer step. */
  stepSeconds: number;
  /** Parts, in seconds per step (the pipeline parts summed over all micro-batches). */
  gemmSeconds: number;
  nonGemmSeconds: number;
  tensorParallelSeconds: number;
  pipelineP2pSeconds: number;
  bubbleSeconds: number;
  dataParallelSeconds: number;
  optimizerSeconds: number;
  /** Hardware FLOPs per step on all GPUs (recomputation included). */
  hardwareFlops: number;
  /** Model FLOPs per step on all GPUs (6N + attention, PaLM Appendix B; no recomputation). */
  modelFlops: number;
}

/**
 * Tensor-parallel all-reduces of a layer's output per micro-batch and layer: two in the forward pass
 * (after attention and after the MLP: the g operator) and two in the backward (the f operator),
 * Shoeybi et al. 2019, "Megatron-LM", §3 (https://arxiv.org/abs/1909.08053); full recomputation
 * repeats the forward's.
 */
const TP_ALL_REDUCES_FORWARD = 2;
const TP_ALL_REDUCES_BACKWARD = 2;

/**
 * Pipeline tensors per micro-batch on a middle stage, each 1/t of a layer output per TP rank (see
 * PerfOptions): Megatron-LM batches its send and receive into one exchange per direction (2);
 * DeepSpeed's TrainSchedule runs receive activation, send gradient, send activation and receive
 * gradient one after another (4), and rebuilds 3 whole tensors with all-gathers over the TP group.
 */
const PIPELINE_EXCHANGES = { megatron: 2, deepspeed: 4 } as const;
const DEEPSPEED_PARTITION_GATHERS = 3;

/** Ring collective time: all-reduce moves 2(n−1)/n of the data, all-gather and reduce-scatter (n−1)/n. */
function ringSeconds(bytes: number, ranks: number, bytesPerSecond: number, kind: 'all-reduce' | 'all-gather'): number {
  if (ranks <= 1) return 0;
  const factor = ((kind === 'all-reduce' ? 2 : 1) * (ranks - 1)) / ranks;
  return (factor * bytes) / bytesPerSecond;
}

function gemmEfficiency(perGpuWidth: number, hw: PerfHardware, c: PerfConstants): number {
  return ((hw.gemmEfficiencyMax ?? c.gemmEfficiencyMax) * perGpuWidth) / (perGpuWidth + c.gemmHalfWidth);
}

/** Per-token FLOP terms and parameter counts that every layout of an architecture shares (computed once per search). */
export interface ArchFlopTerms extends ArchParamCounts {
  /** Active weight-matmul parameters per token (activeMatmulParamsPerToken). */
  matmulParams: number;
  /** Forward attention-matmul FLOPs per token, all layers. */
  attentionFlops: number;
  /** Forward logit-projection FLOPs per token. */
  logitFlops: number;
}

export function archFlopTerms(m: ModelArch): ArchFlopTerms {
  return {
    matmulParams: activeMatmulParamsPerToken(m),
    attentionFlops: attentionForwardFlopsPerToken(m),
    logitFlops: logitForwardFlopsPerToken(m),
    ...archParamCounts(m),
  };
}

/**
 * Time of one optimizer step of `plan` for model `m` on `hw`. `terms` are `archFlopTerms(m)`, passed
 * in by searches that time many layouts of one model.
 */
export function stepTime(
  m: ModelArch,
  plan: ParallelPlan,
  hw: PerfHardware,
  c: PerfConstants = DEFAULT_PERF_CONSTANTS,
  o: PerfOptions = DEFAULT_PERF_OPTIONS,
  terms: ArchFlopTerms = archFlopTerms(m),
): StepTime {
  const mb = microBatchesPerStep(plan);
  const gemmPerMicroBatch = gemmSecondsPerMicroBatch(m, plan, hw, c, terms);
  const nonGemmPerMicroBatch = nonGemmSecondsPerMicroBatch(m, plan, hw, c);
  const tpPerMicroBatch = tensorParallelSecondsPerMicroBatch(m, plan, hw, c);
  const p2pPerMicroBatch = pipelineP2pSecondsPerMicroBatch(m, plan, hw, c, o);
  const perMicroBatch = gemmPerMicroBatch + nonGemmPerMicroBatch + tpPerMicroBatch + p2pPerMicroBatch;
  const pipelineSeconds = perMicroBatch * pipelineSlots(plan);

  const params = paramsPerGpu(m, plan, true, terms);
  const dataParallelSeconds = dataParallelSecondsPerStep(plan, params, hw, c, o);
  const overlapped = overlapWithPipeline(pipelineSeconds, dataParallelSeconds, plan, c, o);
  const embeddingSyncSeconds = tiedEmbeddingSyncSeconds(m, plan, hw, c, o);
  const optimizerSeconds = optimizerStepSeconds(plan, params, hw, o);

  const stepTokens = plan.globalBatch * m.seqLen;
  const modelFlopsPerToken = modelFlopsPerTrainingToken(terms);
  return {
    stepSeconds: overlapped + embeddingSyncSeconds + optimizerSeconds,
    gemmSeconds: gemmPerMicroBatch * mb,
    nonGemmSeconds: nonGemmPerMicroBatch * mb,
    tensorParallelSeconds: tpPerMicroBatch * mb,
    pipelineP2pSeconds: p2pPerMicroBatch * mb,
    bubbleSeconds: perMicroBatch * pipelineBubbleSlots(plan),
    dataParallelSeconds: dataParallelSeconds + embeddingSyncSeconds,
    optimizerSeconds,
    hardwareFlops: (modelFlopsPerToken + recomputeFlopsPerToken(m, plan, terms)) * stepTokens,
    modelFlops: modelFlopsPerToken * stepTokens,
  };
}

/**
 * Pipeline transfer seconds of one micro-batch on one GPU: each stage sends activations forward and
 * gradients back, split across the TP group (Narayanan et al. 2021 §4.1, scatter/gather
 * optimisation). DeepSpeed's engine (see PerfOptions) also sends 1/t per rank, but as four blocking
 * transfers in a row, and rebuilds three whole tensors per micro-batch with all-gathers over the TP group.
 */
function pipelineP2pSecondsPerMicroBatch(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants, o: PerfOptions): number {
  const { tp: t, pp: p } = plan;
  const ppLink = linkBytesPerSecond(t * p, hw, c);
  const tensorBytes = activationTensorBytes(m, plan.microBatch);
  const p2pBytes = (PIPELINE_EXCHANGES[o.pipelineEngine] * tensorBytes) / t;
  const partitionGathers =
    o.pipelineEngine === 'deepspeed' ? DEEPSPEED_PARTITION_GATHERS * ringSeconds(tensorBytes, t, linkBytesPerSecond(t, hw, c), 'all-gather') : 0;
  return p > 1 ? p2pBytes / ppLink + partitionGathers : 0;
}

/**
 * Data-parallel seconds per step: the gradient all-reduce (ZeRO 0–2), or a reduce-scatter plus
 * parameter all-gathers for every forward, backward and recomputed forward of every micro-batch
 * (ZeRO-3, Rajbhandari et al. 2020 §7). `params` are the parameters on one GPU.
 */
function dataParallelSecondsPerStep(plan: ParallelPlan, params: number, hw: PerfHardware, c: PerfConstants, o: PerfOptions): number {
  const d = plan.dp;
  const dpLink = linkBytesPerSecond(planGpus(plan), hw, c);
  if (plan.zero < 3) return ringSeconds(params * o.gradCommBytes, d, dpLink, 'all-reduce');
  const gathers = microBatchesPerStep(plan) * (2 + (plan.recompute === 'full' ? 1 : 0));
  return ringSeconds(params * o.gradCommBytes, d, dpLink, 'all-gather') + gathers * ringSeconds(params * WEIGHT_BYTES, d, dpLink, 'all-gather');
}

/**
 * The pipeline and the data-parallel communication together: overlapped, up to the fitted penalty,
 * except under DeepSpeed's pipeline engine, which reduces gradients only after the pipeline has
 * drained (see PerfOptions).
 */
function overlapWithPipeline(pipelineSeconds: number, dataParallelSeconds: number, plan: ParallelPlan, c: PerfConstants, o: PerfOptions): number {
  if (o.pipelineEngine === 'deepspeed' && plan.pp > 1) return pipelineSeconds + dataParallelSeconds;
  return Math.max(pipelineSeconds, dataParallelSeconds) + c.overlapPenalty * Math.min(pipelineSeconds, dataParallelSeconds);
}

/**
 * A tied embedding lives on the first and the last stage; its gradients are summed between them
 * after the backward pass (Narayanan et al. 2021 §2.2), outside the overlap with the pipeline.
 */
function tiedEmbeddingSyncSeconds(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants, o: PerfOptions): number {
  if (!(plan.pp > 1 && m.tiedEmbeddings)) return 0;
  const inter = hw.interNodeBytesPerSecond * c.interNodeLinkEfficiency;
  return ringSeconds(((m.vocab * m.dModel) / plan.tp) * o.gradCommBytes, 2, inter, 'all-reduce');
}

/** Optimizer step: read and write the (ZeRO-1+-sharded) master weights, moments, weights and gradients. */
function optimizerStepSeconds(plan: ParallelPlan, params: number, hw: PerfHardware, o: PerfOptions): number {
  const optimizerShard = plan.zero >= 1 ? plan.dp : 1;
  return (2 * params * (OPTIMIZER_BYTES + WEIGHT_BYTES + o.gradCommBytes)) / optimizerShard / hw.memoryBandwidthBytesPerSecond;
}

/**
 * Model FLOPs per training token: forward and backward of the weight matmuls, attention and logits,
 * without recomputation (Chowdhery et al. 2022, "PaLM", Appendix B, https://arxiv.org/abs/2204.02311).
 */
function modelFlopsPerTrainingToken(terms: ArchFlopTerms): number {
  return FLOP_PER_MAC * TRAIN_PASSES * terms.matmulParams + TRAIN_PASSES * terms.attentionFlops + TRAIN_PASSES * terms.logitFlops;
}

/**
 * FLOPs per token that recomputation adds, as hardware utilisation counts it: a whole forward (full),
 * or the attention matmuls only (selective; Korthikanti et al. 2022, https://arxiv.org/abs/2205.05198,
 * §5); FlashAttention's backward recomputes the attention matmuls too. Counted in full, like the model
 * FLOPs, although a causal kernel skips about half of them (the step time takes that into account).
 */
function recomputeFlopsPerToken(m: ModelArch, plan: ParallelPlan, terms: ArchFlopTerms): number {
  const flash = m.attention === 'flash' ? terms.attentionFlops : 0;
  if (plan.recompute === 'full') return FLOP_PER_MAC * terms.matmulParams + terms.attentionFlops + flash;
  return (plan.recompute === 'selective' ? terms.attentionFlops : 0) + flash;
}

/**
 * Share of the attention-matmul work a causal FlashAttention kernel does: it skips the blocks above
 * the diagonal that the mask zeroes, about half (Dao 2023, "FlashAttention-2",
 * https://arxiv.org/abs/2307.08691, §3.1.1). Eager attention computes the whole score matrix.
 */
const FLASH_CAUSAL_WORK = 0.5;

/**
 * GEMM seconds of one micro-batch on one GPU of the slowest (last) pipeline stage: forward, backward
 * (two forwards) and recomputation FLOPs at the shape-dependent GEMM efficiency.
 */
function gemmSecondsPerMicroBatch(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants, terms: ArchFlopTerms): number {
  const t = plan.tp;
  const tokens = plan.microBatch * m.seqLen;
  // FLOPs of one micro-batch on one GPU of the last stage, forward only.
  const layerMatmul = (FLOP_PER_MAC * terms.matmulParams * tokens) / m.layers / t;
  const flash = m.attention === 'flash';
  const layerAttention = ((flash ? FLASH_CAUSAL_WORK : 1) * terms.attentionFlops * tokens) / m.layers / t;
  const logits = (terms.logitFlops * tokens) / t;
  const fwdLayer = layerMatmul + layerAttention;
  // Backward costs two forwards; full recomputation repeats the forward, selective only attention.
  // FlashAttention's backward recomputes the scores it did not keep: one more attention forward.
  const recomputeLayer = (plan.recompute === 'full' ? fwdLayer : plan.recompute === 'selective' ? layerAttention : 0) + (flash ? layerAttention : 0);
  const stageFlops = (m.layers / plan.pp) * (TRAIN_PASSES * fwdLayer + recomputeLayer) + TRAIN_PASSES * logits;
  return stageFlops / (hw.peakFlopsPerSecond * gemmEfficiency(m.dModel / t, hw, c));
}

/**
 * Non-GEMM seconds of one micro-batch on one GPU: the kernels between the GEMMs (norms, softmax,
 * dropout, activations) are bound by memory traffic, taken as proportional to the activation bytes a
 * layer writes (Korthikanti et al. 2022 Table 2, no recompute); full recomputation adds a forward pass.
 */
function nonGemmSecondsPerMicroBatch(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants): number {
  const actBytes = layerActivationBytes(m, { tp: plan.tp, microBatch: plan.microBatch, recompute: 'none', sequenceParallel: plan.sequenceParallel });
  const passes = plan.recompute === 'full' ? TRAIN_PASSES_WITH_RECOMPUTE : TRAIN_PASSES;
  return ((m.layers / plan.pp) * passes * actBytes * c.nonGemmTrafficPerActivationByte) / hw.memoryBandwidthBytesPerSecond;
}

/**
 * Tensor-parallel seconds of one micro-batch on one GPU: two all-reduces of the layer output per
 * forward and two per backward (Shoeybi et al. 2019, "Megatron-LM", §3), repeated by full
 * recomputation; not overlapped with compute.
 */
function tensorParallelSecondsPerMicroBatch(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants): number {
  const t = plan.tp;
  const allReduces = TP_ALL_REDUCES_FORWARD * (plan.recompute === 'full' ? 2 : 1) + TP_ALL_REDUCES_BACKWARD;
  return (m.layers / plan.pp) * allReduces * ringSeconds(activationTensorBytes(m, plan.microBatch), t, linkBytesPerSecond(t, hw, c), 'all-reduce');
}

/**
 * Achieved bandwidth of a collective among `groupGpus` GPUs, bytes/s per GPU: the intra-node link
 * when the group fits in a node, else the inter-node network, each at its fitted efficiency.
 */
function linkBytesPerSecond(groupGpus: number, hw: PerfHardware, c: PerfConstants): number {
  return groupGpus <= hw.gpusPerNode ? hw.intraNodeBytesPerSecond * c.intraNodeLinkEfficiency : hw.interNodeBytesPerSecond * c.interNodeLinkEfficiency;
}

/** Bytes of one layer's output (s × b × h at 16 bits) for a micro-batch of `microBatch` sequences. */
function activationTensorBytes(m: ModelArch, microBatch: number): number {
  return ACTIVATION_BYTES * microBatch * m.seqLen * m.dModel;
}

/** Micro-batch slots a pipeline step takes: m micro-batches plus the bubble's (Narayanan et al. 2021 §2.2). */
function pipelineSlots(plan: ParallelPlan): number {
  return microBatchesPerStep(plan) + pipelineBubbleSlots(plan);
}

/**
 * A lower bound on `stepTime(…).stepSeconds` that costs a fraction of it: the pipeline's GEMM,
 * non-GEMM and tensor-parallel time. Every other term of the step (pipeline transfers, data-parallel
 * communication, the optimizer) only adds to it. Layout searches use it to skip layouts
 * that cannot be the fastest.
 */
export function stepSecondsLowerBound(
  m: ModelArch,
  plan: ParallelPlan,
  hw: PerfHardware,
  c: PerfConstants = DEFAULT_PERF_CONSTANTS,
  terms: ArchFlopTerms = archFlopTerms(m),
): number {
  const perMicroBatch =
    gemmSecondsPerMicroBatch(m, plan, hw, c, terms) + nonGemmSecondsPerMicroBatch(m, plan, hw, c) + tensorParallelSecondsPerMicroBatch(m, plan, hw, c);
  return perMicroBatch * pipelineSlots(plan);
}
