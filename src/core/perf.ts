/**
 * Step-time model of data/tensor/pipeline-parallel transformer training. Time per optimizer step is
 * built from per-micro-batch GEMM time at a shape-dependent efficiency, memory-bound non-GEMM time,
 * exposed tensor-parallel all-reduces, pipeline point-to-point transfers and the pipeline bubble
 * (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU Clusters Using
 * Megatron-LM", https://arxiv.org/abs/2104.04473, §2–§3), plus data-parallel gradient synchronisation
 * and ZeRO-3 parameter gathers (Rajbhandari et al. 2020, https://arxiv.org/abs/1910.02054, §7) that
 * overlap with compute, and the optimizer step.
 */
import {
  FLOP_PER_MAC,
  TRAIN_PASSES,
  TRAIN_PASSES_WITH_RECOMPUTE,
  attentionFlopsPerKey,
  attentionForwardFlopsPerToken,
  logitForwardFlopsPerToken,
} from './flops.js';
import { BYTES_PER_MIB } from './units.js';
import {
  ACTIVATION_BYTES,
  type ActivationKernels,
  type ArchParamCounts,
  GRAD_BYTES_16BIT,
  OPTIMIZER_BYTES,
  FP8_PARAM_BYTES,
  WEIGHT_BYTES,
  archParamCounts,
  attentionScoreBytes,
  layerActivationBytes,
  paramsPerGpuByKind,
} from './memory.js';
import {
  type ParallelPlan,
  contextParallel,
  expertDataRanks,
  expertParallel,
  expertTensorParallel,
  microBatchesPerStep,
  pipelineBubbleSlots,
  shardsWeightsThroughStep,
  stageLayers,
} from './parallel.js';
import { activeMatmulParamsPerToken, moeLayerCount } from './params.js';
import { type GemmHardware, type GemmShape, eagerAttentionShapes, gemmFlops, gemmSeconds, layerGemmShapes } from './gemm.js';
import type { ModelArch } from './types.js';
import { perOpRecomputedParamsPerLayer, perOpRecomputedShapes, perOpRecomputedShare } from './per-op-recompute.js';
import type { FlashKernel, GpuArchitecture } from './enums.js';
import { type LoraTargets, adapterGemmShapes } from './finetune.js';

/** The hardware a step runs on, in SI units. */
export interface PerfHardware {
  /** Dense peak of one GPU at the precision its weight GEMMs run in, FLOP/s. */
  peakFlopsPerSecond: number;
  /** Dense FP8 peak, FLOP/s, where the GPU has one: FP8 attention's (PerfOptions.fp8Attention). */
  fp8PeakFlopsPerSecond?: number;
  /**
   * Dense peak at which attention runs, FLOP/s: the BF16 peak under FP8 training, whose recipes keep
   * attention in BF16 (Transformer Engine's FP8 primer, https://docs.nvidia.com/deeplearning/transformer-engine/user-guide/examples/fp8_primer.html).
   * Absent: peakFlopsPerSecond.
   */
  attentionPeakFlopsPerSecond?: number;
  /**
   * Bytes per element of the weight GEMMs' inputs, cast by the framework before each GEMM: 2 (BF16,
   * FP16), 1 (FP8), with block scales about 1.03 (MXFP8) or 0.56 (NVFP4): resolve/layout.ts.
   */
  gemmInputBytes?: number;
  /** Device memory bandwidth, bytes/s. */
  memoryBandwidthBytesPerSecond: number;
  /** GPU-to-GPU bandwidth inside a node, one direction, bytes/s per GPU. */
  intraNodeBytesPerSecond: number;
  /** Network bandwidth between nodes, one direction, bytes/s per GPU. */
  interNodeBytesPerSecond: number;
  gpusPerNode: number;
  /** This GPU's GEMM efficiency ceiling at the training precision, where its preset has a measured matmul rate; else PerfConstants'. */
  gemmEfficiencyMax?: number;
  /** Fraction of the attention peak each fused (Flash) attention kernel reaches on this GPU in its benchmarks (flashAttentionEfficiencies). */
  flashAttentionEfficiency?: Record<FlashKernel, number>;
}

/**
 * Efficiency constants of the model, one set for every GPU: fitted (scripts/fit-throughput.ts) on the
 * "fit" split of the published A100 runs (Megatron-LM Tables 1–2, Korthikanti et al. 2022 Table 5,
 * MT-NLG) and of the throughput validation set (presets/throughput/); docs/perf-model.md lists the
 * data and the errors, held-out rows included.
 */
export interface PerfConstants {
  /**
   * GEMM efficiency approached by large per-GPU matrices (fraction of dense peak) on GPUs whose preset
   * has no measured matmul rate (matmulTflops): the value fitted on the 2021 A100 runs.
   */
  gemmEfficiencyMax: number;
  /** Device-memory traffic of a GEMM per byte of its operands (≥ 1: tiles re-read what does not fit on chip); see gemm.ts. */
  gemmTrafficFactor: number;
  /** Memory traffic of non-GEMM kernels per byte of stored activations (reads + writes), eager attention scores aside. */
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
  /**
   * Fraction of its fused-attention kernel's benchmark rate (flashAttentionEfficiency) that
   * attention reaches inside a training step, as the model counts the work: it charges the
   * backward's recomputation as one more forward (four forwards in all, where the kernels'
   * benchmarks count 3.5), so 0.875 would be the benchmark itself.
   */
  attentionKernelFraction: number;
}

/**
 * Fitted by `npm run fit:throughput -- --search --runs-weight 10`: coordinate search on the mean
 * squared log error of the fit rows plus ten times that of the fit runs (the 2021 runs anchor the
 * Megatron-LM reproduction); link efficiencies bounded to [0.5, 0.9], since collectives rarely reach
 * more than 90% of the link rate (the inter-node one sits at the bound). gemmEfficiencyMax is not
 * fitted: it is the 2021 value, for GPUs without a measured matmul rate.
 *
 * Refitted on 2026-12-06, once Megatron-LM's Table 1 runs and throughput rows (fit split) took the
 * micro-batch, interleaving and data-parallel implementation of the scripts their authors published
 * (examples/sc21): until then they assumed a micro-batch of 1 (runs) or searched one (rows), and
 * the constants (2.19, 3.9, 0.59, 0.9, 0.237, 0.641) were fitted to that, with the 18.4B at −10.0%.
 * The refit, from those values with the same search (attentionKernelFraction included), moved
 * Table 1 within 5% and the held-out medians from 10.1% to 9.2% (BF16), 9.2% to 9.7% (FP8), 4.5% to
 * 7.2% (FP16, Zero Bubble's pipelines) and 6.0% to 4.7% (NVFP4); docs/perf-model.md has the rest.
 *
 * attentionKernelFraction was added on 2026-12-06, after the held-out errors had been seen, with the
 * kernel classes (FLASH_KERNELS), and first fitted alone with the others held (0.641). The fit rows'
 * long sequences (llm-foundry's MPT at 8K–65K tokens) set it.
 */
export const DEFAULT_PERF_CONSTANTS: PerfConstants = {
  gemmEfficiencyMax: 0.708,
  gemmTrafficFactor: 2.67,
  nonGemmTrafficPerActivationByte: 3.15,
  intraNodeLinkEfficiency: 0.64,
  interNodeLinkEfficiency: 0.9,
  overlapPenalty: 0.263,
  attentionKernelFraction: 0.632,
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
  /**
   * Which ZeRO-3 implementation gathers the weights under full recomputation. `fsdp` (PyTorch FSDP and
   * FSDP2, as TorchTitan, llm-foundry and fms-fsdp run it) unshards a wrapped block once for its
   * backward, and the checkpointed forward that the backward replays runs on those gathered weights:
   * two gathers per micro-batch. `deepspeed` (DeepSpeed ZeRO-3, the baseline of Narayanan et al.
   * 2021 Table 2) releases each submodule's weights after its forward, the replayed one included, and
   * fetches them again for the backward: three.
   */
  shardingEngine: 'fsdp' | 'deepspeed';
  /**
   * Whether the expert-parallel all-to-all runs alongside computation (DeepSeek-V3's DualPipe, which
   * overlaps it with the forward and backward of another micro-batch, DeepSeek-AI 2024,
   * https://arxiv.org/abs/2412.19437, §3.2.1; Megatron-Core's --overlap-moe-expert-parallel-comm) or
   * waits for it, as by default. Overlapped, only what a layer's computation cannot hide counts.
   */
  expertOverlap: boolean;
  /**
   * Time of the routed experts' GEMMs relative to a perfectly even split of tokens: the busiest EP
   * rank sets the pace. 1.0 by default, the balance DeepSeek-V3's auxiliary-loss-free routing keeps
   * across a batch (§2.1.2); set it to a capacity factor where tokens beyond it are dropped.
   */
  expertImbalance: number;
  /**
   * How tokens reach their experts: `alltoall`, one copy per expert through NCCL's all-to-all
   * (Megatron-Core's default token dispatcher); `deepep`, DeepSeek's DeepEP kernels, one copy per
   * remote node over the network and the rest over NVLink (https://github.com/deepseek-ai/DeepEP).
   */
  expertDispatcher: ExpertDispatcher;
  /**
   * Which fused attention the framework calls (FLASH_KERNELS); absent: DEFAULT_FLASH_KERNEL. The
   * estimate takes it from --kernels: fused (Transformer Engine) runs cuDNN's, eager PyTorch
   * FlashAttention-2 through scaled_dot_product_attention.
   */
  flashKernel?: FlashKernel;
  /**
   * Gradient elements per data-parallel bucket, one collective each (PyTorch DDP and nanotron: 25 MiB
   * of 16-bit gradients, bucket_cap_mb; bucketElementsOfMib). Absent: Megatron-Core's max(40M, 1M × DP).
   */
  gradientBucketElements?: number;
  /** LoRA or QLoRA: a frozen base with trainable adapters (absent when every weight trains). */
  frozenBase?: FrozenBase;
  /**
   * The transformer layers' weights held in FP8 (--fp8-params; FP8_PARAM_BYTES in memory.ts): ZeRO-3
   * gathers them in FP8, half the bytes of 16-bit weights. Absent: false.
   */
  fp8Params?: boolean;
  /**
   * Attention's matmuls in FP8 as well (--fp8-attention; Transformer Engine's FP8 dot-product
   * attention, NVTE_FP8_DPA, which NVIDIA's MLPerf LoRA runs turn on): at FP8_ATTENTION_SHARE of the
   * rate its kernel reaches in 16 bits, counted against the FP8 peak. Only with low-precision GEMMs.
   */
  fp8Attention?: boolean;
}

/**
 * A frozen base under low-rank adapters (Hu et al. 2021, "LoRA", https://arxiv.org/abs/2106.09685):
 * the base's weight GEMMs run forward and, for the activations' gradient, backward, but compute no
 * weight gradient (two forwards' worth, not three); each adapted matrix adds two thin adapter GEMMs in
 * all three passes; only the adapters' gradients are synchronised and stepped. A quantised base
 * (QLoRA's NF4, Dettmers et al. 2023, https://arxiv.org/abs/2305.14314, §3) is dequantised to 16 bits
 * before every use, forward, backward and recomputed forward, as bitsandbytes does: reading its
 * stored bytes and writing 16-bit ones at the memory bandwidth.
 */
export interface FrozenBase {
  rank: number;
  targets: LoraTargets;
  /** Bytes per stored weight of the transformer's linear layers: 2 in 16 bits; below that, each use dequantises unless readsStored. */
  linearWeightBytes: number;
  /** The GEMMs read the stored weights as they are (an FP8 base under FP8 training): no dequantisation; absent: false. */
  readsStored?: boolean;
  /** Trainable parameters ÷ all parameters: the share of gradients synchronised and of state the optimizer steps. */
  trainableShare: number;
  /** Adapter parameters a token passes through. */
  adapterParamsPerToken: number;
  /** Bytes per activation element between the GEMMs (4 under PEFT's k-bit preparation, core/finetune.ts); absent: 2. */
  activationElementBytes?: number;
}

export const EXPERT_DISPATCHERS = ['alltoall', 'deepep'] as const;
export type ExpertDispatcher = (typeof EXPERT_DISPATCHERS)[number];

export const DEFAULT_PERF_OPTIONS: PerfOptions = {
  gradCommBytes: GRAD_BYTES_16BIT,
  pipelineEngine: 'megatron',
  shardingEngine: 'fsdp',
  expertOverlap: false,
  expertImbalance: 1,
  expertDispatcher: 'alltoall',
};

export interface StepTime {
  /** Seconds per optimizer step. */
  stepSeconds: number;
  /** Parts, in seconds per step (the pipeline parts summed over all micro-batches). */
  gemmSeconds: number;
  nonGemmSeconds: number;
  tensorParallelSeconds: number;
  /** Context-parallel key/value exchange left exposed after overlapping it with attention. */
  contextParallelSeconds: number;
  /** Expert-parallel dispatch and combine all-to-alls, less what overlaps with computation. */
  expertParallelSeconds: number;
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
  const stage = stageSecondsPerMicroBatch(m, plan, hw, c, terms, o);
  const gemmPerMicroBatch = stage.gemm;
  const nonGemmPerMicroBatch = stage.nonGemm;
  const tpPerMicroBatch = stage.tensorParallel;
  const cpPerMicroBatch = stage.contextParallel;
  const epPerMicroBatch = stage.expertParallel;
  const p2pPerMicroBatch = pipelineP2pSecondsPerMicroBatch(m, plan, hw, c, o);
  const perMicroBatch = gemmPerMicroBatch + nonGemmPerMicroBatch + tpPerMicroBatch + cpPerMicroBatch + epPerMicroBatch + p2pPerMicroBatch;
  const pipelineSeconds = perMicroBatch * pipelineSlots(plan);

  const params = paramsPerGpuByKind(m, plan, true, terms);
  const dataParallelSeconds = dataParallelSecondsPerStep(m, plan, params, hw, c, o);
  const overlapped = overlapWithPipeline(pipelineSeconds, dataParallelSeconds, plan, c, o);
  const embeddingSyncSeconds = tiedEmbeddingSyncSeconds(m, plan, hw, c, o);
  const optimizerSeconds = optimizerStepSeconds(plan, params, hw, o);

  const stepTokens = plan.globalBatch * m.seqLen;
  const modelFlopsPerToken = modelFlopsPerTrainingToken(terms, o.frozenBase);
  return {
    stepSeconds: overlapped + embeddingSyncSeconds + optimizerSeconds,
    gemmSeconds: gemmPerMicroBatch * mb,
    nonGemmSeconds: nonGemmPerMicroBatch * mb,
    tensorParallelSeconds: tpPerMicroBatch * mb,
    contextParallelSeconds: cpPerMicroBatch * mb,
    expertParallelSeconds: epPerMicroBatch * mb,
    pipelineP2pSeconds: p2pPerMicroBatch * mb,
    bubbleSeconds: perMicroBatch * pipelineBubbleSlots(plan),
    dataParallelSeconds: dataParallelSeconds + embeddingSyncSeconds,
    optimizerSeconds,
    hardwareFlops: (modelFlopsPerToken + recomputeFlopsPerToken(m, plan, terms)) * stepTokens,
    modelFlops: modelFlopsPerToken * stepTokens,
  };
}

/**
 * GPU time of one layer's forward and backward pass for one micro-batch (its GEMMs and the rest,
 * recomputation included), as the step-time model counts it: the work each of the layer's kernel
 * launches carries. The model charges no time for launching kernels, so where this is small the
 * host, not the GPU, can set the pace (see SMALL_STEP_LAYER_SECONDS in range.ts).
 */
export function layerSecondsPerMicroBatch(step: StepTime, plan: ParallelPlan, layers: number): number {
  const layersPerStage = Math.ceil(layers / plan.pp);
  return (step.gemmSeconds + step.nonGemmSeconds) / microBatchesPerStep(plan) / layersPerStage;
}

/**
 * Pipeline transfer seconds of one micro-batch on one GPU: each stage sends activations forward and
 * gradients back, split across the TP group (Narayanan et al. 2021 §4.1, scatter/gather
 * optimisation). DeepSpeed's engine (see PerfOptions) also sends 1/t per rank, but as four blocking
 * transfers in a row, and rebuilds three whole tensors per micro-batch with all-gathers over the TP group.
 */
function pipelineP2pSecondsPerMicroBatch(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants, o: PerfOptions): number {
  const { tp: t, pp: p } = plan;
  const ppLink = linkBytesPerSecond(t * contextParallel(plan) * p, hw, c);
  const tensorBytes = activationTensorBytes(m, plan);
  const p2pBytes = (PIPELINE_EXCHANGES[o.pipelineEngine] * tensorBytes) / t;
  const partitionGathers =
    o.pipelineEngine === 'deepspeed' ? DEEPSPEED_PARTITION_GATHERS * ringSeconds(tensorBytes, t, collectiveBytesPerSecond(t, 1, hw, c), 'all-gather') : 0;
  // The interleaved schedule crosses a stage boundary v times per micro-batch (Narayanan et al. 2021 §2.2.2).
  return p > 1 ? plan.virtualStages * (p2pBytes / ppLink + partitionGathers) : 0;
}

/**
 * Data-parallel seconds per step: the gradient all-reduce (ZeRO 0–2), or a reduce-scatter plus
 * parameter all-gathers for every forward, backward and recomputed forward of every micro-batch
 * (ZeRO-3, Rajbhandari et al. 2020 §7). `params` are the parameters on one GPU.
 */
function dataParallelSecondsPerStep(
  m: ModelArch,
  plan: ParallelPlan,
  params: { dense: number; expert: number },
  hw: PerfHardware,
  c: PerfConstants,
  o: PerfOptions,
): number {
  // Context-parallel ranks hold the same weights: gradients are reduced over DP × CP, the experts'
  // over the DP × CP ÷ EP ranks that hold the same experts.
  const d = plan.dp * contextParallel(plan);
  // DeepSpeed's ZeRO-3 of 2021 crossed nodes at one interface's rate per GPU, as if its group had one
  // member a node (see collectiveBytesPerSecond); otherwise a group's GPUs sit `stride` apart.
  const flat = shardsWeightsThroughStep(plan) && o.shardingEngine === 'deepspeed';
  const dpStride = flat ? hw.gpusPerNode : plan.tp;
  const expertStride = flat ? hw.gpusPerNode : expertParallel(plan) * expertTensorParallel(plan);
  // Under a frozen base only the adapters have gradients; ZeRO-3 gathers the base as it is stored.
  const trainable = o.frozenBase?.trainableShare ?? 1;
  const gatheredBytes = o.frozenBase ? Math.min(WEIGHT_BYTES, o.frozenBase.linearWeightBytes) : o.fp8Params ? FP8_PARAM_BYTES : WEIGHT_BYTES;
  const layers = Math.ceil(m.layers / plan.pp);
  const sync = (n: number, ranks: number, stride: number): number => {
    const link = collectiveBytesPerSecond(ranks, stride, hw, c);
    const gradElements = n * trainable;
    // ZeRO-3 under a pipeline gathers once and reduce-scatters once per step: an all-reduce's volume (shardsWeightsThroughStep).
    if (!shardsWeightsThroughStep(plan)) {
      const buckets = Math.ceil(gradElements / (o.gradientBucketElements ?? Math.max(MEGATRON_BUCKET_ELEMENTS, MEGATRON_BUCKET_ELEMENTS_PER_RANK * ranks)));
      // A sharded optimizer (ZeRO-1/2, Megatron's distributed optimizer) reduce-scatters each bucket
      // and gathers its updated weights back: two half-length rings instead of one all-reduce.
      const perBucket = plan.zero >= 1 ? 2 * ringLatencySeconds('all-gather', ranks, stride, hw) : ringLatencySeconds('all-reduce', ranks, stride, hw);
      return ringSeconds(gradElements * o.gradCommBytes, ranks, link, 'all-reduce') + buckets * perBucket;
    }
    const gathers = microBatchesPerStep(plan) * (2 + (rebuildsLayers(plan) && o.shardingEngine === 'deepspeed' ? 1 : 0));
    // FSDP gathers and reduce-scatters one wrapped block (a layer) at a time. DeepSpeed's rate, read
    // from its measured throughput, holds its latency already.
    const latency = flat ? 0 : (gathers + 1) * layers * ringLatencySeconds('all-gather', ranks, stride, hw);
    return (
      ringSeconds(gradElements * o.gradCommBytes, ranks, link, 'all-gather') + gathers * ringSeconds(n * gatheredBytes, ranks, link, 'all-gather') + latency
    );
  };
  return sync(params.dense, d, dpStride) + sync(params.expert, expertDataRanks(plan), expertStride);
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
function optimizerStepSeconds(plan: ParallelPlan, params: { dense: number; expert: number }, hw: PerfHardware, o: PerfOptions): number {
  const shards = plan.zero >= 1 ? plan.dp * contextParallel(plan) : 1;
  const perShard = (params.dense / shards + params.expert / (plan.zero >= 1 ? expertDataRanks(plan) : 1)) * (o.frozenBase?.trainableShare ?? 1);
  return (2 * perShard * (OPTIMIZER_BYTES + WEIGHT_BYTES + o.gradCommBytes)) / hw.memoryBandwidthBytesPerSecond;
}

/**
 * Model FLOPs per training token: forward and backward of the weight matmuls, attention and logits,
 * without recomputation (Chowdhery et al. 2022, "PaLM", Appendix B, https://arxiv.org/abs/2204.02311).
 */
function modelFlopsPerTrainingToken(terms: ArchFlopTerms, frozen?: FrozenBase): number {
  if (!frozen) return FLOP_PER_MAC * TRAIN_PASSES * terms.matmulParams + TRAIN_PASSES * terms.attentionFlops + TRAIN_PASSES * terms.logitFlops;
  // A frozen base: forward and activation gradients of its matmuls and logits, all three passes of the adapters.
  const weightPasses = TRAIN_PASSES - 1;
  return (
    FLOP_PER_MAC * weightPasses * terms.matmulParams +
    TRAIN_PASSES * terms.attentionFlops +
    weightPasses * terms.logitFlops +
    FLOP_PER_MAC * TRAIN_PASSES * frozen.adapterParamsPerToken
  );
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
  if (plan.recompute === 'op') return FLOP_PER_MAC * perOpRecomputedParamsPerLayer(m) * m.layers + flash;
  return (plan.recompute === 'selective' ? terms.attentionFlops : 0) + flash;
}

/** Whether the backward pass replays a layer's forward, whole (full) or all but what the per-op policy kept (op). */
function rebuildsLayers(plan: ParallelPlan): boolean {
  return plan.recompute === 'full' || plan.recompute === 'op';
}

/**
 * Forward seconds the backward pass adds to a layer by recomputing: its whole forward (full), the
 * per-op policy's recomputed projections (op, timed by `perOpGemmSeconds`), or attention (selective).
 */
function recomputedForwardSeconds(plan: ParallelPlan, fwdLayer: number, layerAttention: number, perOpGemmSeconds: () => number): number {
  if (plan.recompute === 'full') return fwdLayer;
  if (plan.recompute === 'op') return perOpGemmSeconds();
  return plan.recompute === 'selective' ? layerAttention : 0;
}

/**
 * How many of a layer's forward TP collectives recomputation runs again: all under full recomputation;
 * under the per-op policy all without sequence parallelism and half with it (it keeps the
 * reduce-scatters' outputs and repeats the all-gathers, each half an all-reduce's traffic).
 */
function tensorParallelForwardRepeats(plan: ParallelPlan): number {
  if (plan.recompute === 'full') return 1;
  if (plan.recompute === 'op') return plan.sequenceParallel ? 0.5 : 1;
  return 0;
}

/** Share of a layer's weight GEMMs the recomputation runs again: all (full), the per-op policy's (op), none. */
function recomputedGemmShare(m: ModelArch, plan: ParallelPlan): number {
  if (plan.recompute === 'full') return 1;
  return plan.recompute === 'op' ? perOpRecomputedShare(m) : 0;
}

/**
 * Share of the attention-matmul work a causal FlashAttention kernel does: it skips the blocks above
 * the diagonal that the mask zeroes, about half (Dao 2023, "FlashAttention-2",
 * https://arxiv.org/abs/2307.08691, §3.1.1). Eager attention computes the whole score matrix.
 */
const FLASH_CAUSAL_WORK = 0.5;

/** Transformer Engine's fused attention, as Megatron-Core and NeMo (the layouts gpucost searches) run it. */
export const DEFAULT_FLASH_KERNEL: FlashKernel = 'cudnn';

/** The fused attention that goes with a framework's kernels: Transformer Engine's cuDNN, or eager PyTorch's SDPA (FlashAttention-2). */
export function flashKernelOf(kernels: ActivationKernels): FlashKernel {
  return kernels === 'fused' ? 'cudnn' : 'fa2';
}

/**
 * Fraction of the attention peak each fused-attention kernel reaches in its own benchmarks, forward
 * and backward together at long sequences, per GPU generation:
 * - Hopper, from FlashAttention-3's figures of the H100 SXM5 at head dimension 128 and 16K tokens
 *   (Shah et al. 2024, https://arxiv.org/abs/2407.08608, §4.1): FlashAttention-2 335 TFLOP/s
 *   forward (causal) and 322 backward, so 325 over a step whose backward does 2.5 forwards' work,
 *   0.33 of 989; cuDNN 539 and 516, so 522, 0.53 (FlashAttention-3's own kernel, 0.58, is not a
 *   class of its own).
 * - Ampere: FlashAttention-2 reaches 50–73% of A100's peak (Dao 2023,
 *   https://arxiv.org/abs/2307.08691, abstract and §4.1; 0.6, the middle); Transformer Engine runs
 *   FlashAttention-2 there, so cuDNN's class takes the same.
 * - Ada: on the RTX 4090 FlashAttention-2 runs its forward at 151 TFLOP/s and its backward at 99
 *   (causal, head dimension 128, 2K tokens, FP32 accumulation; "The flash-attention performance on
 *   RTX-4090 GPU", https://github.com/apache/tvm/blob/bd6f95705749439fea3600bf078bccc26b780cd9/tl_doc/flash_perf.md),
 *   so 110 over a step as for Hopper, 0.67 of 165; its forward is no faster at 16K (173 TFLOP/s
 *   against 172 at 2K, non-causal head dimension 64: ROCm/flash-attention issue 27,
 *   https://github.com/ROCm/flash-attention/issues/27). cuDNN's kernels tie with FlashAttention-2
 *   on Ada (1.00× on L40S, against 0.82× on A100 and 1.7–2.3× on H100: huggingface/transformers
 *   pull request 48163, https://github.com/huggingface/transformers/pull/48163), so its class takes
 *   the same. Measured on a GeForce card, whose 16-bit tensor rate with FP32 accumulation is half
 *   the professional parts' (L40S, RTX 6000 Ada); no rate is published for those.
 * - FlashAttention-2 is "around 2× faster" than the first FlashAttention (the same abstract): fa1 is half of fa2.
 * - Blackwell: FlashAttention-4 reaches about 1,605 TFLOP/s on B200 (71% of the peak), up to 1.3×
 *   cuDNN 9.13 (Together AI, "FlashAttention-4", https://www.together.ai/blog/flashattention-4), so
 *   cuDNN's forward is about 0.55 of the peak there, as on Hopper (539 of 989); with no backward
 *   figure, Blackwell takes Hopper's fractions, as do the generations no paper measured.
 */
const HOPPER_FLASH_ATTENTION: Record<FlashKernel, number> = { cudnn: 0.53, fa2: 0.33, fa1: 0.33 / 2 };
const FLASH_ATTENTION_BY_ARCHITECTURE: Partial<Record<GpuArchitecture, Record<FlashKernel, number>>> = {
  ampere: { cudnn: 0.6, fa2: 0.6, fa1: 0.6 / 2 },
  ada: { cudnn: 0.67, fa2: 0.67, fa1: 0.67 / 2 },
};

/**
 * Fraction of its peak that fused attention in FP8 reaches, relative to the fraction it reaches in
 * BF16: FlashAttention-3 reaches 740 TFLOP/s in BF16 (75% of H100's peak) and close to 1.2 PFLOP/s
 * in FP8, 61% of its peak (Shah et al. 2024, https://arxiv.org/abs/2407.08608, abstract): 0.81.
 * So FP8 attention runs at 1.62× the 16-bit rate where the FP8 peak is twice the 16-bit one.
 */
const FP8_ATTENTION_SHARE = 0.81;

/** FP8 attention's rate over its 16-bit rate on a GPU whose FP8 peak is twice its 16-bit peak (every NVIDIA preset's), as the help and assumptions state it. */
export const FP8_ATTENTION_GAIN = 2 * FP8_ATTENTION_SHARE;

/** Each fused-attention kernel's benchmark fraction of the attention peak on a GPU generation. */
export function flashAttentionEfficiencies(architecture: GpuArchitecture): Record<FlashKernel, number> {
  return FLASH_ATTENTION_BY_ARCHITECTURE[architecture] ?? HOPPER_FLASH_ATTENTION;
}

/**
 * GEMM seconds of one micro-batch on one GPU, per transformer layer and for the logits: forward,
 * backward (two forwards) and recomputation of the weight GEMMs, attention matmuls and logits, each
 * GEMM at the efficiency of its own shape (gemm.ts).
 */
function gemmSecondsPerMicroBatch(
  m: ModelArch,
  plan: ParallelPlan,
  hw: PerfHardware,
  c: PerfConstants,
  terms: ArchFlopTerms,
  o: PerfOptions,
): { perLayer: number; logits: number; attention: number } {
  const t = plan.tp;
  const tokens = (plan.microBatch * m.seqLen) / contextParallel(plan);
  const gemmHw = gemmHardware(hw, c);
  const shapes = layerGemmShapes(m, tokens, t, expertParallel(plan), expertTensorParallel(plan));
  const layerMatmul = gemmSeconds(shapes, hw.peakFlopsPerSecond, gemmHw, c.gemmTrafficFactor, o.expertImbalance);
  const layerAttention = attentionSecondsPerLayer(m, plan, hw, c, terms, o);
  const logits = gemmSeconds([{ m: tokens, k: m.dModel, n: m.vocab / t, count: 1 }], hw.peakFlopsPerSecond, gemmHw, c.gemmTrafficFactor);
  const frozen = o.frozenBase;
  const adapters = frozen ? gemmSeconds(adapterGemmShapes(m, frozen.rank, frozen.targets, tokens, t), hw.peakFlopsPerSecond, gemmHw, c.gemmTrafficFactor) : 0;
  const fwdLayer = layerMatmul + layerAttention + adapters;
  // Backward costs two forwards; full recomputation repeats the forward, selective only attention.
  // FlashAttention's backward recomputes the scores it did not keep: one more attention forward.
  // A frozen base computes no weight gradients: its GEMMs' backward is one forward, not two.
  const flash = m.attention === 'flash';
  const recomputeLayer =
    recomputedForwardSeconds(plan, fwdLayer, layerAttention, () =>
      gemmSeconds(perOpRecomputedShapes(m, tokens, t), hw.peakFlopsPerSecond, gemmHw, c.gemmTrafficFactor),
    ) + (flash ? layerAttention : 0);
  const frozenSaving = frozen ? layerMatmul : 0;
  const dequant = frozen ? dequantSecondsPerLayer(m, terms, plan, hw, frozen) : 0;
  return {
    perLayer: TRAIN_PASSES * fwdLayer - frozenSaving + recomputeLayer + dequant,
    logits: (frozen ? TRAIN_PASSES - 1 : TRAIN_PASSES) * logits,
    attention: layerAttention,
  };
}

/**
 * Dequantising a quantised frozen base (QLoRA) for one average layer and micro-batch: before each of
 * its uses (forward, backward, and the recomputed forward: all of it under full recomputation, the
 * recomputed projections' share under the per-op policy) every weight of the layer on this GPU is
 * read at its stored size and written in 16 bits.
 */
function dequantSecondsPerLayer(m: ModelArch, terms: ArchFlopTerms, plan: ParallelPlan, hw: PerfHardware, frozen: FrozenBase): number {
  if (frozen.linearWeightBytes >= WEIGHT_BYTES || frozen.readsStored) return 0;
  const uses = 2 + recomputedGemmShare(m, plan);
  const weights = terms.layerParams / plan.tp;
  return (DEQUANT_TRAFFIC_FACTOR * uses * weights * (frozen.linearWeightBytes + WEIGHT_BYTES)) / hw.memoryBandwidthBytesPerSecond;
}

/**
 * Device-memory traffic of dequantising a frozen 4-bit base, per byte it must read and write: fitted
 * on the fit split's two paired LoRA and QLoRA rows of ms-swift's benchmark (Qwen-7B-Chat and
 * Qwen-14B-Chat on one A100, same rank, targets, length and batch, gradient checkpointing on; the
 * extra seconds per sample over the bandwidth-bound dequantisation: 7.6 and 7.5; "ms-swift LLM
 * Benchmark", https://github.com/modelscope/ms-swift/blob/d2b45ec8c6acbfc126f784f3781aac31db1c297a/docs/source_en/LLM/Benchmark.md).
 * bitsandbytes' training path dequantises whole weights to 16 bits and moves them more than once;
 * no held-out row isolates the same comparison (docs/finetune-measurements.md).
 */
export const DEQUANT_TRAFFIC_FACTOR = 7.6;

/** Seconds of one micro-batch on one GPU of the pipeline's slowest stage, by part. */
interface StageSeconds {
  gemm: number;
  nonGemm: number;
  tensorParallel: number;
  contextParallel: number;
  expertParallel: number;
}

/**
 * One micro-batch on the slowest stage: the last stage, which adds the logits to its layers, or a
 * middle stage when uneven stages leave the last one lighter (stageLayers).
 */
function stageSecondsPerMicroBatch(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants, terms: ArchFlopTerms, o: PerfOptions): StageSeconds {
  const g = gemmSecondsPerMicroBatch(m, plan, hw, c, terms, o);
  const nonGemm = nonGemmSecondsPerLayer(m, plan, hw, c, o.frozenBase?.activationElementBytes);
  const tp = tensorParallelSecondsPerLayer(m, plan, hw, c);
  const cp = contextParallelSecondsPerLayer(m, plan, hw, c, g.attention);
  const ep = expertParallelSecondsPerLayer(m, plan, hw, c, o, g.perLayer);
  const perLayer = g.perLayer + nonGemm + tp + cp + ep;
  const stages = stageLayers(m.layers, plan.pp) ?? { middle: Math.ceil(m.layers / plan.pp), last: Math.ceil(m.layers / plan.pp) };
  const lastIsSlowest = stages.last * perLayer + g.logits >= stages.middle * perLayer;
  const layers = lastIsSlowest ? stages.last : stages.middle;
  return {
    gemm: layers * g.perLayer + (lastIsSlowest ? g.logits : 0),
    nonGemm: layers * nonGemm,
    tensorParallel: layers * tp,
    contextParallel: layers * cp,
    expertParallel: layers * ep,
  };
}

/**
 * Exposed expert-parallel seconds of an average layer and micro-batch: in each MoE layer the tokens
 * a rank holds go to the ranks of their top-k experts (dispatch) and come back (combine), in the
 * forward and, as gradients, in the backward; full recomputation repeats the forward's
 * (Lepikhin et al. 2020, "GShard", https://arxiv.org/abs/2006.16668, §2.2; Megatron-Core's
 * all-to-all token dispatcher). (EP − 1)/EP of a rank's tokens leave it, over NVLink while the EP
 * group fits in a node and over the network beyond. Dispatch moves FP8 when the GEMMs run in FP8
 * (DeepSeek-V3, https://arxiv.org/abs/2412.19437, §3.3.2), combine 16-bit.
 */
function expertParallelSecondsPerLayer(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants, o: PerfOptions, computeSeconds: number): number {
  const ep = expertParallel(plan);
  if (!m.moe || ep === 1) return 0;
  const moeShare = moeLayerCount(m) / m.layers;
  // With sequence parallelism each TP rank dispatches its own s/t tokens.
  const tokens = (plan.microBatch * m.seqLen) / contextParallel(plan) / (plan.sequenceParallel ? plan.tp : 1);
  const elementBytes = (hw.gemmInputBytes ?? ACTIVATION_BYTES) + ACTIVATION_BYTES;
  const forwards = plan.recompute === 'full' ? 2 : 1;
  const tokenBytes = (forwards + 1) * tokens * m.dModel * elementBytes;
  const copies = tokenCopies(m.moe.expertsPerToken, ep, expertTensorParallel(plan), hw.gpusPerNode, o.expertDispatcher);
  const intra = copies.intraNode > 0 ? (tokenBytes * copies.intraNode) / (hw.intraNodeBytesPerSecond * c.intraNodeLinkEfficiency) : 0;
  const inter = copies.interNode > 0 ? (tokenBytes * copies.interNode) / (hw.interNodeBytesPerSecond * c.interNodeLinkEfficiency) : 0;
  // NVLink and the network carry their shares at the same time.
  const seconds = moeShare * Math.max(intra, inter);
  return o.expertOverlap ? Math.max(0, seconds - computeSeconds) : seconds;
}

/**
 * Copies of each token a rank sends per all-to-all, inside its node and to other nodes, with its
 * top-k experts spread evenly over the EP ranks. The EP group spans ep × etp GPUs (the experts' TP
 * ranks sit between EP peers), so a node holds gpusPerNode ÷ etp of them. A plain all-to-all sends
 * one copy per expert; DeepEP's dispatch (DeepSeek-V3, https://arxiv.org/abs/2412.19437, §3.2.2)
 * sends a token over the network once per remote node it visits, in expectation
 * (N − 1)(1 − (1 − 1/N)^k) of N nodes, and forwards it inside the node over NVLink.
 */
function tokenCopies(
  k: number,
  ep: number,
  etp: number,
  gpusPerNode: number,
  dispatcher: PerfOptions['expertDispatcher'],
): { intraNode: number; interNode: number } {
  const perNode = groupMembersPerNode(ep, etp, gpusPerNode);
  const nodes = ep / perNode;
  const localCopies = (k * (perNode - 1)) / ep;
  const remoteCopies = (k * (ep - perNode)) / ep;
  if (nodes <= 1) return { intraNode: localCopies, interNode: 0 };
  if (dispatcher === 'alltoall') return { intraNode: localCopies, interNode: remoteCopies };
  const remoteNodes = (nodes - 1) * (1 - (1 - 1 / nodes) ** k);
  return { intraNode: localCopies + remoteCopies, interNode: remoteNodes };
}

/**
 * Exposed context-parallel seconds of one layer and micro-batch. Ring attention passes each rank's
 * keys and values around the CP group, cp − 1 transfers of s/cp tokens per forward, and in the
 * backward the key/value gradients too (twice the forward), each transfer overlapped with the
 * attention of the block before it (Transformer Engine's context_parallel.py, the P2P variant that
 * Megatron-Core uses by default; Liu et al. 2023, "Ring Attention with Blockwise Transformers",
 * https://arxiv.org/abs/2310.01889). Only what attention cannot hide adds to the step.
 */
function contextParallelSecondsPerLayer(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants, attentionSeconds: number): number {
  const cp = contextParallel(plan);
  if (cp === 1) return 0;
  const kvBytes = (2 * ACTIVATION_BYTES * plan.microBatch * (m.seqLen / cp) * m.kvHeads * m.dHead) / plan.tp;
  const forward = ((cp - 1) * kvBytes) / linkBytesPerSecond(plan.tp * cp, hw, c);
  return Math.max(0, forward - attentionSeconds) + Math.max(0, 2 * forward - 2 * attentionSeconds);
}

/** What gemm.ts needs of the hardware: the ceiling, the roofline's ridge point and the input width. */
function gemmHardware(hw: PerfHardware, c: PerfConstants): GemmHardware {
  return {
    efficiencyMax: hw.gemmEfficiencyMax ?? c.gemmEfficiencyMax,
    ridgeFlopsPerByte: hw.peakFlopsPerSecond / hw.memoryBandwidthBytesPerSecond,
    inputBytes: hw.gemmInputBytes ?? ACTIVATION_BYTES,
  };
}

/**
 * Forward seconds of one layer's attention matmuls for one micro-batch on one GPU. A fused kernel does
 * the causal half of the work (FLASH_CAUSAL_WORK) at the fraction of peak measured for it on this GPU
 * generation; eager attention runs Q·Kᵀ and scores·V as batched GEMMs of their own shapes, in 16 bits.
 */
function attentionSecondsPerLayer(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants, terms: ArchFlopTerms, o: PerfOptions): number {
  // Causal load balancing (each rank takes two mirrored chunks) gives every CP rank an equal share.
  const flops = (terms.attentionFlops * plan.microBatch * m.seqLen) / m.layers / plan.tp / contextParallel(plan);
  const peak = hw.attentionPeakFlopsPerSecond ?? hw.peakFlopsPerSecond;
  if (m.attention === 'flash') {
    const kernel = o.flashKernel ?? DEFAULT_FLASH_KERNEL;
    const efficiency = (hw.flashAttentionEfficiency ?? HOPPER_FLASH_ATTENTION)[kernel] * c.attentionKernelFraction;
    const fp8Peak = o.fp8Attention ? hw.fp8PeakFlopsPerSecond : undefined;
    const rate = fp8Peak !== undefined ? fp8Peak * efficiency * FP8_ATTENTION_SHARE : peak * efficiency;
    return (FLASH_CAUSAL_WORK * flops) / rate;
  }
  // Eager attention computes every score and masks those outside a sliding window: every key of the sequence.
  const eagerFlops = (attentionFlopsPerKey(m) * m.seqLen * plan.microBatch * m.seqLen) / plan.tp / contextParallel(plan);
  const shapes: GemmShape[] = eagerAttentionShapes(m.seqLen, m.dHead, 1, 1);
  const gemmHw = { ...gemmHardware(hw, c), ridgeFlopsPerByte: peak / hw.memoryBandwidthBytesPerSecond, inputBytes: ACTIVATION_BYTES };
  return (eagerFlops * gemmSeconds(shapes, peak, gemmHw, c.gemmTrafficFactor)) / gemmFlops(shapes);
}

/**
 * Non-GEMM seconds of one micro-batch on one GPU: the kernels between the GEMMs (norms, softmax,
 * dropout, activations) are bound by memory traffic, taken as proportional to the activation bytes a
 * layer writes (Korthikanti et al. 2022 Table 2, no recompute, 16-bit; `elementBytes` wide when wider);
 * full recomputation adds a forward pass.
 */
function nonGemmSecondsPerLayer(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants, elementBytes = ACTIVATION_BYTES): number {
  const actBytes = layerActivationBytes(m, {
    tp: plan.tp,
    microBatch: plan.microBatch,
    recompute: 'none',
    sequenceParallel: plan.sequenceParallel,
    cp: plan.cp,
  });
  // The scores' traffic is not charged as non-GEMM time: the score matmuls' roofline
  // (attentionSecondsPerLayer) already moves the s × s matrices, and a refit that gave them a
  // traffic constant of their own set it to 0.
  const scoreBytes = attentionScoreBytes(m, plan);
  // Per-op recomputation replays every norm, activation and product as full recomputation does.
  const passes = rebuildsLayers(plan) ? TRAIN_PASSES_WITH_RECOMPUTE : TRAIN_PASSES;
  const traffic = passes * (actBytes - scoreBytes) * (elementBytes / ACTIVATION_BYTES) * c.nonGemmTrafficPerActivationByte;
  return (traffic + lowPrecisionCastBytesPerLayer(m, plan, hw)) / hw.memoryBandwidthBytesPerSecond;
}

/**
 * Bytes an element moves when cast for a low-precision GEMM: read in BF16 (2), written at the GEMM's
 * input width once as is and once transposed, since Hopper's FP8 tensor cores take only one operand
 * layout and the weight-gradient GEMM needs the transpose (Transformer Engine's FP8 primer,
 * https://docs.nvidia.com/deeplearning/transformer-engine/user-guide/examples/fp8_primer.html,
 * and its fused cast_transpose kernels); block-scaled formats quantize along both directions too.
 * FP8: 2 + 1 + 1 = 4 bytes.
 */
function castBytesPerElement(inputBytes: number): number {
  return ACTIVATION_BYTES + 2 * inputBytes;
}

/**
 * Memory traffic of low-precision (FP8, MXFP8, NVFP4) casts in one layer and micro-batch: every
 * weight GEMM's input activation in the forward pass (again under full recomputation) and its output
 * gradient in the backward.
 * Weights are cast once per step and not counted. Zero for 16-bit GEMMs.
 */
function lowPrecisionCastBytesPerLayer(m: ModelArch, plan: ParallelPlan, hw: PerfHardware): number {
  if ((hw.gemmInputBytes ?? ACTIVATION_BYTES) >= ACTIVATION_BYTES) return 0;
  let inputs = 0;
  let outputGrads = 0;
  for (const g of layerGemmShapes(m, (plan.microBatch * m.seqLen) / contextParallel(plan), plan.tp, expertParallel(plan), expertTensorParallel(plan))) {
    inputs += g.m * g.k * g.count;
    outputGrads += g.m * g.n * g.count;
  }
  const forwards = 1 + recomputedGemmShare(m, plan);
  return castBytesPerElement(hw.gemmInputBytes ?? ACTIVATION_BYTES) * (forwards * inputs + outputGrads);
}

/**
 * Tensor-parallel seconds of one micro-batch on one GPU: two all-reduces of the layer output per
 * forward and two per backward (Shoeybi et al. 2019, "Megatron-LM", §3), the forward's repeated by
 * recomputation (tensorParallelForwardRepeats); not overlapped with compute. A group that spans nodes pays NCCL's ring latency per call.
 */
function tensorParallelSecondsPerLayer(m: ModelArch, plan: ParallelPlan, hw: PerfHardware, c: PerfConstants): number {
  const t = plan.tp;
  const allReduces = TP_ALL_REDUCES_FORWARD * (1 + tensorParallelForwardRepeats(plan)) + TP_ALL_REDUCES_BACKWARD;
  const perCall =
    ringSeconds(activationTensorBytes(m, plan), t, collectiveBytesPerSecond(t, 1, hw, c), 'all-reduce') + ringLatencySeconds('all-reduce', t, 1, hw);
  return allReduces * perCall;
}

/**
 * Achieved bandwidth of a point-to-point transfer among `groupGpus` GPUs, bytes/s per GPU: the
 * intra-node link when the group fits in a node, else the GPU's own network interface, each at its
 * fitted efficiency.
 */
function linkBytesPerSecond(groupGpus: number, hw: PerfHardware, c: PerfConstants): number {
  return groupGpus <= hw.gpusPerNode ? hw.intraNodeBytesPerSecond * c.intraNodeLinkEfficiency : hw.interNodeBytesPerSecond * c.interNodeLinkEfficiency;
}

/**
 * NCCL's own cost model of a ring collective with its Simple protocol (NCCL_TUNING_SOURCE: NVIDIA/nccl
 * src/graph/tuning.cc, baseLat, hwLat and ncclTopoGetAlgoTime, at
 * https://github.com/NVIDIA/nccl/blob/01afd20a77b5804e0ecf1042509dd9d20ebf9e93/src/graph/tuning.cc):
 * a base latency per call, and per ring step 3.4 µs over NVLink and 9.6 µs over the network; an
 * all-reduce takes 2(n − 1) steps, 2(nodes − 1) of them across nodes, and across nodes its latency
 * is 1.9× ("plateau effect of ring"). Only collectives that cross nodes are charged it: inside a node
 * the fitted intra-node efficiency already holds what NVLink collectives lose.
 */
const NCCL_RING_BASE_LATENCY_S = 8.4e-6;
const NCCL_RING_NVLINK_STEP_S = 3.4e-6;
const NCCL_RING_NETWORK_STEP_S = 9.6e-6;
const NCCL_RING_ALL_REDUCE_PLATEAU = 1.9;

/** Latency of one ring collective call over `ranks` GPUs spaced `stride` apart (collectiveBytesPerSecond). */
function ringLatencySeconds(kind: 'all-reduce' | 'all-gather', ranks: number, stride: number, hw: PerfHardware): number {
  if (ranks <= 1 || ranks * stride <= hw.gpusPerNode) return 0;
  const nodes = Math.ceil(ranks / groupMembersPerNode(ranks, stride, hw.gpusPerNode));
  const passes = kind === 'all-reduce' ? 2 : 1;
  const steps = passes * (ranks - 1);
  const networkSteps = passes * (nodes - 1);
  const latency = NCCL_RING_BASE_LATENCY_S + (steps - networkSteps) * NCCL_RING_NVLINK_STEP_S + networkSteps * NCCL_RING_NETWORK_STEP_S;
  return kind === 'all-reduce' ? NCCL_RING_ALL_REDUCE_PLATEAU * latency : latency;
}

/**
 * Megatron-Core's gradient buckets: max(40M, 1M × data-parallel size) parameters
 * (megatron/core/distributed/distributed_data_parallel.py, bucket_size), one collective each.
 */
const MEGATRON_BUCKET_ELEMENTS = 40e6;
const MEGATRON_BUCKET_ELEMENTS_PER_RANK = 1e6;

/** Gradient elements in a bucket stated in MiB of 16-bit gradients (PyTorch DDP's bucket_cap_mb counts the parameters' bytes). */
export function bucketElementsOfMib(mib: number): number {
  return (mib * BYTES_PER_MIB) / GRAD_BYTES_16BIT;
}

/**
 * Achieved bus bandwidth of a ring collective (all-reduce, all-gather, reduce-scatter) over `ranks`
 * GPUs spaced `stride` apart in rank order (Megatron-LM's: TP innermost, then CP, then DP), bytes/s
 * per GPU. Inside a node, the intra-node link. Across nodes, NCCL runs one ring per channel and gives
 * each channel's node crossing a different network interface, so the group's members in a node
 * cross with all their interfaces together; the rest of a ring's hops stay on the intra-node link,
 * which bounds the rate. NCCL's tuning model counts a ring's bus bandwidth as channels × per-channel
 * speed (NCCL_TUNING_SOURCE); "Demystifying NCCL" (Hu et al. 2025, https://arxiv.org/abs/2507.04786)
 * describes rings and channels; an NCCL maintainer expects 46–48 GB/s of ring bus bandwidth per
 * 400 Gb/s NIC across nodes (https://github.com/NVIDIA/nccl-tests/issues/290). A data-parallel group
 * with TP 8 has one member per node and crosses at one interface's rate; with TP 1, at eight.
 *
 * DeepSpeed's ZeRO-3 is timed as if its group had one member per node (a stride of a whole node):
 * in Narayanan et al. 2021 Table 2 (https://arxiv.org/abs/2104.04473), 175B under ZeRO-3 on 384, 768
 * and 1,536 A100s at one global batch runs at 144, 88 and 44 TFLOP/s per GPU, a step time that does
 * not fall as GPUs are added. Its weight gathers then move about 16 GB/s per GPU, under one 200 Gb/s
 * interface's rate; at the rate of all of a node's interfaces the step would stay compute-bound and
 * shrink. This is read from the measurement, not from DeepSpeed's source.
 */
function collectiveBytesPerSecond(ranks: number, stride: number, hw: PerfHardware, c: PerfConstants): number {
  const intra = hw.intraNodeBytesPerSecond * c.intraNodeLinkEfficiency;
  if (ranks * stride <= hw.gpusPerNode) return intra;
  return Math.min(intra, groupMembersPerNode(ranks, stride, hw.gpusPerNode) * hw.interNodeBytesPerSecond * c.interNodeLinkEfficiency);
}

/** Members of a group of `ranks` GPUs spaced `stride` apart in rank order that share one node (at least one). */
function groupMembersPerNode(ranks: number, stride: number, gpusPerNode: number): number {
  return Math.max(1, Math.min(ranks, Math.floor(gpusPerNode / stride)));
}

/** Bytes of one layer's output on one rank (s/cp × b × h at 16 bits) for a micro-batch. */
function activationTensorBytes(m: ModelArch, plan: Pick<ParallelPlan, 'microBatch' | 'cp'>): number {
  return (ACTIVATION_BYTES * plan.microBatch * m.seqLen * m.dModel) / contextParallel(plan);
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
  o: PerfOptions = DEFAULT_PERF_OPTIONS,
): number {
  const stage = stageSecondsPerMicroBatch(m, plan, hw, c, terms, o);
  // The expert-parallel all-to-all counts too: its exposed part never makes a step shorter.
  return (stage.gemm + stage.nonGemm + stage.tensorParallel + stage.contextParallel + stage.expertParallel) * pipelineSlots(plan);
}
