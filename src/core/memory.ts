/**
 * Training memory per GPU: model state (weights, gradients, optimizer) sharded by TP, PP and ZeRO,
 * and activations per Korthikanti et al. 2022, "Reducing Activation Recomputation in Large
 * Transformer Models" (https://arxiv.org/abs/2205.05198), §4 and Table 2.
 */
import { DEFAULT_MEMORY_METRIC, type MemoryMetric } from './enums.js';
import { perOpHeldBytesPerToken } from './per-op-recompute.js';
import type { ModelArch } from './types.js';
import {
  type ParallelPlan,
  type Recompute,
  contextParallel,
  expertDataRanks,
  expertParallel,
  expertTensorParallel,
  microBatchesPerStep,
  planGpus,
  shardsWeightsThroughStep,
  stageLayers,
} from './parallel.js';
import { BYTES_PER_GIB } from './units.js';
import { embeddingParams, isGatedMlp, moeLayerCount, routedExpertParams, transformerLayerParams } from './params.js';

/** bf16/fp16 weights, bytes per parameter. */
export const WEIGHT_BYTES = 2;

/**
 * Bytes per weight of the transformer layers when the model keeps them in FP8 between optimizer
 * steps (Transformer Engine's fp8_model_init; Megatron-Core's --fp8-param-gather, which also gathers
 * them in FP8 under the distributed optimizer): one, with the FP32 master copy in the optimizer state
 * as before. The embedding and output layer stay 16-bit. NVIDIA Transformer Engine's PyTorch API,
 * fp8_model_init, the context that creates a module's parameters in FP8,
 * https://docs.nvidia.com/deeplearning/transformer-engine/user-guide/api/pytorch.html.
 */
export const FP8_PARAM_BYTES = 1;
/** bf16/fp16 gradients, bytes per parameter (ZeRO's accounting). */
export const GRAD_BYTES_16BIT = 2;
/** Megatron-LM accumulates gradients in fp32 ("main_grad"): 4 bytes, 18 B/param in all. */
export const GRAD_BYTES_FP32 = 4;
/** fp32 master weights + Adam first and second moments, bytes per parameter (4 + 4 + 4). */
export const OPTIMIZER_BYTES = 12;
/**
 * Mixed-precision Adam: fp16/bf16 weights (2 B) and gradients (2 B), fp32 master weights (4 B), Adam
 * momentum (4 B) and variance (4 B) = 16 bytes per parameter (Rajbhandari et al. 2020, "ZeRO: Memory
 * Optimizations Toward Training Trillion Parameter Models", §3.1, https://arxiv.org/abs/1910.02054).
 */
export const MIXED_PRECISION_ADAM_BYTES_PER_PARAM = WEIGHT_BYTES + GRAD_BYTES_16BIT + OPTIMIZER_BYTES;
/** Activations are stored in 16-bit precision (Korthikanti et al. 2022 §4.1). */
export const ACTIVATION_BYTES = 2;

/**
 * Memory the framework takes beyond weights, optimizer and activations: CUDA context, communication
 * buffers, allocator fragmentation. EleutherAI's memory calculator carries a "misc" term for an
 * overhead of about 5 GiB it measured with Megatron-DeepSpeed and could not attribute
 * (EleutherAI cookbook, calc/calc_transformer_mem.py, https://github.com/EleutherAI/cookbook).
 */
export const FRAMEWORK_OVERHEAD_BYTES = 5 * BYTES_PER_GIB;

/**
 * The same allowance on one GPU, which holds no communication buffers. ms-swift's trainer logs the
 * caching allocator's peak (torch.cuda.max_memory_reserved, SwiftMixin.get_max_cuda_memory in
 * swift/trainers/mixin.py, https://github.com/modelscope/ms-swift/blob/main/swift/trainers/mixin.py,
 * retrieved 2026-12-06), so this is the allocator's spare beyond the tensors, without the CUDA
 * context; overheadSeenBy counts it for every reserved peak. Fitted as the median, over the
 * nine one-GPU LoRA rows of ms-swift's benchmark at 512 tokens (fit split, docs/finetune-measurements.md
 * S13–S58: Qwen 1.8B–14B, ChatGLM3-6B, Yi-6B/34B, a Mistral-7B fine-tune, Baichuan2-7B/13B on an A100,
 * gradient checkpointing on), of the measured peak less what gpucost holds for weights, adapters,
 * activations (eager kernels) and the loss: 1.03–4.04 GiB, median 2.54 GiB (2.55 before the activations were
 * counted tensor by tensor)
 * (tests/validation/finetune-memory-fit.test.ts; "ms-swift LLM Benchmark",
 * https://github.com/modelscope/ms-swift/blob/d2b45ec8c6acbfc126f784f3781aac31db1c297a/docs/source_en/LLM/Benchmark.md).
 */
export const SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES = 2.54 * BYTES_PER_GIB;

/** The framework allowance of a layout: the one-GPU one, or the multi-GPU one with its communication buffers. */
export function frameworkOverheadBytes(plan: Pick<ParallelPlan, 'tp' | 'pp' | 'dp' | 'cp'>): number {
  return planGpus(plan) === 1 ? SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES : FRAMEWORK_OVERHEAD_BYTES;
}

/**
 * How much of the framework allowance a measured peak of `metric` sees (MEMORY_METRICS). An allocated
 * peak holds the tensors alone: none. A reserved peak (PyTorch's max_memory_reserved) holds the
 * caching allocator's spare blocks but not the CUDA context or NCCL's buffers, which are allocated
 * outside it: SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES on any number of GPUs, since that allowance was
 * itself fitted on reserved peaks (ms-swift's trainer logs max_memory_reserved). A device peak
 * (nvidia-smi) sees all of it: frameworkOverheadBytes; a metric not given is the device's
 * (DEFAULT_MEMORY_METRIC). Used where gpucost is compared with
 * measurements; an estimate's own memory per GPU is the device's, what must fit.
 */
export function overheadSeenBy(metric: MemoryMetric | undefined, plan: Pick<ParallelPlan, 'tp' | 'pp' | 'dp' | 'cp'>): number {
  metric ??= DEFAULT_MEMORY_METRIC;
  if (metric === 'allocated') return 0;
  return metric === 'reserved' ? SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES : frameworkOverheadBytes(plan);
}

/**
 * A memory estimate as a measured peak of `metric` would count it: the estimate without its framework
 * allowance, plus the part of the allowance that metric sees (overheadSeenBy).
 */
export function bytesSeenBy(
  memory: Pick<MemoryBreakdown, 'totalBytes' | 'overheadBytes'>,
  metric: MemoryMetric | undefined,
  plan: Pick<ParallelPlan, 'tp' | 'pp' | 'dp' | 'cp'>,
): number {
  return memory.totalBytes - memory.overheadBytes + overheadSeenBy(metric, plan);
}

/** Bytes of weights, gradients and optimizer state for mixed-precision Adam, before any sharding. */
export function modelStateBytes(params: number, bytesPerParam = MIXED_PRECISION_ADAM_BYTES_PER_PARAM): number {
  return params * bytesPerParam;
}

export interface MemoryOptions {
  /** Bytes per gradient element: 2 (ZeRO's accounting) or 4 (fp32 accumulation, Megatron-LM). */
  gradBytes: number;
  /** Add the framework allowance, frameworkOverheadBytes (false when reproducing a paper's bare breakdown). */
  frameworkOverhead: boolean;
  /** Count the embedding on the first pipeline stage (the busiest stage for memory). */
  includeEmbedding: boolean;
  /** Count the loss's logits on the last stage (lossBytes); absent: true. False for a paper's layers-only breakdown. */
  includeLoss?: boolean;
  /** How the loss meets the logits (LossKind); absent: full. */
  loss?: LossKind;
  /** The transformer layers' weights held in FP8 (FP8_PARAM_BYTES), the embedding 16-bit; absent: false. */
  fp8Params?: boolean;
  /** What the framework's kernels keep for the backward pass (heldLayerActivationBytes); absent: DEFAULT_ACTIVATION_KERNELS. */
  kernels?: ActivationKernels;
  /**
   * Fine-tuning (core/finetune.ts): the base weights are frozen at `baseWeightBytes` per weight (2 in
   * bf16, about 0.52 in NF4; 0 for full fine-tuning, where all of them train) and hold no gradients
   * or optimizer state; the trainable ones, a `trainableShare` of the parameters, carry 16-bit
   * weights and gradients and `optimizerBytesPerTrainable` of optimizer state.
   */
  finetune?: {
    baseWeightBytes: number;
    trainableShare: number;
    optimizerBytesPerTrainable: number;
    /** What LoRA dropout keeps per token in an average layer (loraDropoutBytesPerToken); absent: none. */
    dropoutBytesPerToken?: number;
    /** What the quantized layers keep of their inputs per token in an average layer (quantizedInputBytesPerToken, bitsandbytes before 0.43.2); absent: none. */
    quantizedInputBytesPerToken?: number;
    /** Bytes per element of the layer activations (PEFT_PREPARED_ACTIVATION_BYTES under PEFT's k-bit preparation); absent: ACTIVATION_BYTES. */
    activationElementBytes?: number;
    /** The linear layers that train (LoRA's targets); the others are frozen and keep no inputs. Absent: all. */
    trainedLinears?: TrainedLinears;
  };
}

export const DEFAULT_MEMORY_OPTIONS: MemoryOptions = { gradBytes: GRAD_BYTES_16BIT, frameworkOverhead: true, includeEmbedding: true };

export interface MemoryBreakdown {
  weightsBytes: number;
  gradientsBytes: number;
  optimizerBytes: number;
  activationsBytes: number;
  overheadBytes: number;
  totalBytes: number;
  /** Parameters held by the busiest GPU (first pipeline stage), before ZeRO sharding. */
  paramsPerGpu: number;
}

/**
 * Parameters on the first pipeline stage of one TP rank: its share of the transformer layers plus
 * (optionally) the input embedding, which that stage owns; TP splits both. In two parts: the routed
 * experts, which expert parallelism spreads over EP ranks (and the experts' TP splits), and
 * everything else.
 */
export function paramsPerGpuByKind(
  m: ModelArch,
  plan: Pick<ParallelPlan, 'tp' | 'pp' | 'dp' | 'cp' | 'ep' | 'etp'>,
  includeEmbedding: boolean,
  counts: ArchParamCounts = archParamCounts(m),
): { dense: number; expert: number } {
  const layers = Math.ceil(m.layers / plan.pp);
  const expertPerLayer = counts.routedExpertParams / m.layers;
  return {
    dense: (layers * (counts.layerParams - expertPerLayer)) / plan.tp + embeddingParamsPerGpu(m, plan, includeEmbedding, counts),
    expert: (layers * expertPerLayer) / expertTensorParallel(plan) / expertParallel(plan),
  };
}

/** Parameter counts that every layout of a model shares (a layout search computes them once). */
export interface ArchParamCounts {
  /** Parameters of one transformer layer (layerParams). */
  layerParams: number;
  /** Embedding and untied output head (embeddingParams). */
  embeddingParams: number;
  /** Routed experts of all layers (routedExpertParams; 0 for dense models). */
  routedExpertParams: number;
}

export function archParamCounts(m: ModelArch): ArchParamCounts {
  return { layerParams: layerParams(m), embeddingParams: embeddingParams(m), routedExpertParams: routedExpertParams(m) };
}

/** Embedding (and untied output head) parameters on the first stage's GPUs: split over TP, the head on the last stage when pipelined. */
function embeddingParamsPerGpu(m: ModelArch, plan: Pick<ParallelPlan, 'tp' | 'pp'>, includeEmbedding: boolean, counts: ArchParamCounts): number {
  return includeEmbedding ? counts.embeddingParams / (m.tiedEmbeddings || plan.pp === 1 ? 1 : 2) / plan.tp : 0;
}

/** Parameters of one transformer layer (the average over dense and MoE layers for MoE models). */
export function layerParams(m: ModelArch): number {
  return transformerLayerParams(m).total / m.layers;
}

/**
 * Activation bytes of one transformer layer for one micro-batch on one GPU, Korthikanti et al. 2022
 * Table 2 (s sequence, b micro-batch, h hidden, a heads, t TP size):
 *   no recomputation:  s·b·h·(10 + 24/t + 5·a·s/(h·t)), or s·b·h·(34 + 5·a·s/h)/t with sequence parallelism;
 *   selective:         s·b·h·(10 + 24/t), or s·b·h·34/t with sequence parallelism;
 *   full:              2·s·b·h (only the layer input), or 2·s·b·h/t with sequence parallelism.
 * The constants assume 16-bit activations and 1-byte dropout masks; gated MLPs and GQA change them
 * slightly, which this function does not model. With FlashAttention the 5·a·s/(h·t) term of the
 * scores is gone, so no recomputation then holds what selective recomputation does.
 */
export function layerActivationBytes(m: ModelArch, plan: Pick<ParallelPlan, 'tp' | 'microBatch' | 'recompute' | 'sequenceParallel' | 'cp'>): number {
  const { dModel: h, heads: a } = m;
  // Context parallelism gives each rank s/cp tokens of every sequence (and of its attention scores' rows).
  const s = m.seqLen / contextParallel(plan);
  const b = plan.microBatch;
  const t = plan.tp;
  const sbh = s * b * h;
  // FlashAttention keeps only the softmax statistics, O(s) per head, not the s×s scores, their
  // softmax and dropout mask (Dao et al. 2022, https://arxiv.org/abs/2205.14135, §3.1).
  const attentionScores = m.attention === 'flash' ? 0 : (5 * a * m.seqLen) / (h * t);
  const experts = (moeMlpScale(m) - 1) * (MLP_ACTIVATION_SBH / t);
  switch (plan.recompute) {
    case 'full':
      return (ACTIVATION_BYTES * sbh) / (plan.sequenceParallel ? t : 1);
    // Per-op recomputation is modelled for dense models (heldLayerActivationBytes); a mixture of
    // experts or MLA, which resolve refuses it for, would keep at most what selective keeps.
    case 'selective':
    case 'op':
      return sbh * ((plan.sequenceParallel ? 34 / t : 10 + 24 / t) + experts);
    case 'none':
      return sbh * ((plan.sequenceParallel ? 34 / t + attentionScores : 10 + 24 / t + attentionScores) + experts);
  }
}

/**
 * Bytes of eager attention's scores, their softmax and dropout mask in one layer and micro-batch on
 * one rank (Korthikanti et al. 2022 Table 2, the 5as/h term): s/cp rows of s columns per head.
 * FlashAttention keeps none.
 */
export function attentionScoreBytes(m: ModelArch, plan: Pick<ParallelPlan, 'tp' | 'microBatch' | 'cp'>): number {
  if (m.attention === 'flash') return 0;
  return (5 * m.heads * plan.microBatch * m.seqLen * (m.seqLen / contextParallel(plan))) / plan.tp;
}

/** Whether a model's activations are counted tensor by tensor (heldLayerActivationBytes): dense models without MLA. */
export function countsByKernels(m: ModelArch): boolean {
  return !m.moe && !m.mla;
}

/** Which linear layers of a layer take weight gradients: the attention's (QKV and output) and the MLP's. */
export interface TrainedLinears {
  attention: boolean;
  mlp: boolean;
}

const ALL_TRAINED: TrainedLinears = { attention: true, mlp: true };

/**
 * What a framework's kernels keep for the backward pass where Korthikanti et al.'s count (written for
 * GPT-3: one 4h-wide GeLU MLP, multi-head attention) does not say:
 * - `fused`, Megatron-Core with Transformer Engine: a gated MLP keeps its 2f-wide input and recomputes
 *   the gate (Megatron-Core's bias_swiglu_fusion; TE's LayerNormMLP), and attention keeps K and V at
 *   the key/value heads' width (TE's and FlashAttention's kernels take grouped-query attention as it is);
 * - `eager`, PyTorch modules (Hugging Face transformers, LitGPT, torchtune, TorchTitan, nanotron): a
 *   gated MLP is act(gate(x)) · up(x), whose autograd keeps the gate's output for the activation and
 *   both factors of the product, three f-wide tensors; attention repeats K and V to the query heads'
 *   count before scaled_dot_product_attention, which keeps the repeated copies (transformers'
 *   repeat_kv, LlamaSdpaAttention, https://github.com/huggingface/transformers/blob/v4.46.0/src/transformers/models/llama/modeling_llama.py;
 *   its FlashAttention-2 path passes them unrepeated, which this count, with 3h more a token for
 *   Llama 3 8B, overstates).
 * A frozen linear layer (LoRA's base) needs no input for its backward. Transformer Engine keeps
 * none (pull request 739, https://github.com/NVIDIA/TransformerEngine/pull/739); eager PyTorch keeps
 * it all the same, as nn.Linear on a batch of sequences goes through matmul, whose one backward
 * formula for both operands saves both whatever needs a gradient
 * (https://github.com/pytorch/pytorch/issues/97575). LitGPT's LoRA peaks for Phi-1.5 and StableLM,
 * whose 4h GeLU MLPs are frozen, sit within 2% of the count with those inputs and 6–21% above it
 * without them (presets/finetune/litgpt-resource-tables.yaml).
 */
export const ACTIVATION_KERNELS = ['eager', 'fused'] as const;
export type ActivationKernels = (typeof ACTIVATION_KERNELS)[number];

/**
 * Pre-training's default: fused, as Megatron-Core and NeMo train, the frameworks behind most of the
 * published pre-training runs and throughput rows (for GPT-3's shape it is Korthikanti's count).
 * Fine-tuning defaults to eager (resolve/estimate.ts): its held-out peaks were all measured on eager
 * PyTorch (PEFT, LitGPT, torchtune, Unsloth, fms-acceleration).
 */
export const DEFAULT_ACTIVATION_KERNELS: ActivationKernels = 'fused';
export const FINETUNE_ACTIVATION_KERNELS: ActivationKernels = 'eager';

/**
 * Activation bytes one layer keeps for one micro-batch on one GPU, tensor by tensor, for dense models
 * (bytes per token, s·b of them, TP-split as in Korthikanti et al. Table 2):
 *   kept whole without sequence parallelism: the two norms' inputs (2h + 2h), the two dropout masks
 *   (h + h), the QKV input (2h, when the attention trains), the MLP input (2h, when the MLP trains);
 *   split over TP: Q (2·q), K and V (2·kv each, or 2·q each under `eager`), the attention output (2·q,
 *   kept by FlashAttention for its backward, or by the output projection when it trains), the MLP's
 *   activation input (2f; gated: 4f `fused`, 6f `eager`) and the down projection's input (2f, when
 *   the MLP trains); plus eager attention's scores without recomputation.
 * With multi-head attention and a 4h GeLU MLP, all trained, it is Korthikanti et al.'s 34·s·b·h.
 * Mixtures of experts and MLA keep Korthikanti's count (layerActivationBytes).
 */
export function heldLayerActivationBytes(
  m: ModelArch,
  plan: Pick<ParallelPlan, 'tp' | 'microBatch' | 'recompute' | 'sequenceParallel' | 'cp'>,
  trained: TrainedLinears = ALL_TRAINED,
  kernels: ActivationKernels = DEFAULT_ACTIVATION_KERNELS,
): number {
  if (plan.recompute === 'full' || !countsByKernels(m)) return layerActivationBytes(m, plan);
  const sb = (m.seqLen / contextParallel(plan)) * plan.microBatch;
  // The per-op policy keeps what it keeps whatever the kernels and whichever layers train.
  if (plan.recompute === 'op') return sb * perOpHeldBytesPerToken(m, plan.tp, plan.sequenceParallel);
  const { dModel: h, ffnHidden: f } = m;
  // Eager PyTorch keeps a frozen layer's input all the same (see ActivationKernels).
  const { attention: attnTrains, mlp: mlpTrains } = kernels === 'eager' ? ALL_TRAINED : trained;
  const t = plan.tp;
  const q = m.heads * m.dHead;
  const kv = kernels === 'eager' ? q : m.kvHeads * m.dHead;
  const whole = 2 * h + 2 * h + 2 * h + (attnTrains ? 2 * h : 0) + (mlpTrains ? 2 * h : 0);
  const gated = isGatedMlp(m.mlp);
  const activation = gated ? (kernels === 'eager' ? 6 : 4) * f : 2 * f;
  const attention = 2 * q + 2 * 2 * kv + (m.attention === 'flash' || attnTrains ? 2 * q : 0);
  const split = attention + activation + (mlpTrains ? 2 * f : 0);
  const scores = plan.recompute === 'none' ? attentionScoreBytes(m, plan) : 0;
  return sb * (whole / (plan.sequenceParallel ? t : 1) + split / t) + scores;
}

/**
 * The MLP's share of Korthikanti et al.'s 34·s·b·h bytes per layer: its input (2), the activation's
 * input and output (8 + 8) and the dropout mask (1), for a 4h-wide MLP.
 */
const MLP_ACTIVATION_SBH = 19;

/**
 * How much more the MLP activations of an average layer hold in a mixture of experts than a dense MLP
 * of the model's ffnHidden would: each token's activations are kept for every expert it visits
 * (top-k routed plus shared), each of its own width. 1 for dense models.
 */
function moeMlpScale(m: ModelArch): number {
  if (!m.moe) return 1;
  const { expertsPerToken, expertFfnHidden, sharedExperts, sharedExpertFfnHidden } = m.moe;
  const moeShare = moeLayerCount(m) / m.layers;
  const width = expertsPerToken * expertFfnHidden + sharedExperts * sharedExpertFfnHidden;
  // Korthikanti's 19 for a dense 4h MLP: input 2, hidden 8 + 8, dropout mask 1. An MoE layer keeps a
  // copy of each token's input for every expert it visits, the hidden activations of each, and each
  // routed expert's output until the weighted combine.
  const dense = MLP_ACTIVATION_SBH * (m.ffnHidden / (4 * m.dModel));
  const moe = 2 * (expertsPerToken + sharedExperts) + (16 * width) / (4 * m.dModel) + 2 * expertsPerToken;
  return 1 - moeShare + (moeShare * moe) / Math.max(dense, Number.MIN_VALUE);
}

/**
 * What the backward pass of one layer rebuilds on top of what every layer holds: under full
 * recomputation the layer's whole forward (its activations without recomputation, and the extras
 * held with them); under per-op recomputation what the policy did not keep; else nothing.
 */
function rebuiltLayerBytes<P extends { recompute: Recompute }>(plan: P, held: (p: P) => number, widen: number, extras: number): number {
  const whole = () => held({ ...plan, recompute: 'none' }) * widen;
  if (plan.recompute === 'full') return whole() + extras;
  if (plan.recompute === 'op') return Math.max(0, whole() - held(plan) * widen);
  return 0;
}

/**
 * Activation bytes held by the first pipeline stage, which keeps p micro-batches in flight under 1F1B:
 * L/p layers × p micro-batches = L layers' worth (Korthikanti et al. 2022 §4.2.3), times
 * (1 + (p − 1)/(p·v)) for the interleaved schedule with v model chunks per stage. Without pipelining
 * one micro-batch is live. Full recomputation keeps only each layer's input, but the backward pass of
 * a layer first recomputes that layer's forward, whose activations are then all live: one layer's
 * worth without recomputation (PyTorch's torch.utils.checkpoint, https://pytorch.org/docs/stable/checkpoint.html;
 * Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost", https://arxiv.org/abs/1604.06174, §3).
 */
export function activationBytesPerGpu(
  m: ModelArch,
  plan: Pick<ParallelPlan, 'tp' | 'pp' | 'microBatch' | 'recompute' | 'sequenceParallel' | 'virtualStages' | 'globalBatch' | 'dp' | 'cp'>,
  options: Pick<MemoryOptions, 'includeLoss' | 'loss' | 'finetune' | 'kernels'> = {},
): number {
  // LoRA dropout's inputs and masks, and the inputs old bitsandbytes kept, are layer activations like
  // the others: held in every layer, or under full recomputation only in the layer being rebuilt.
  const ft = options.finetune;
  const perToken = (ft?.dropoutBytesPerToken ?? 0) + (ft?.quantizedInputBytesPerToken ?? 0);
  const extras = (perToken * plan.microBatch * m.seqLen) / contextParallel(plan) / plan.tp;
  // Korthikanti's byte counts are for 16-bit activations; 32-bit ones (a PEFT-prepared QLoRA base) hold twice as much.
  const widen = (ft?.activationElementBytes ?? ACTIVATION_BYTES) / ACTIVATION_BYTES;
  const held = (p: typeof plan): number => heldLayerActivationBytes(m, p, ft?.trainedLinears, options.kernels);
  const perLayer = held(plan) * widen + (plan.recompute === 'full' ? 0 : extras);
  const inFlight = Math.min(plan.pp, Math.max(1, microBatchesPerStep(plan)));
  // Uneven stages: the first holds its layers for every micro-batch in flight, the second one fewer.
  const stages = stageLayers(m.layers, plan.pp);
  const layersHeld =
    stages === null || plan.pp === 1 || m.layers % plan.pp === 0
      ? (m.layers / plan.pp) * inFlight
      : Math.max(stages.first * inFlight, stages.middle * Math.max(1, inFlight - 1));
  const interleave = plan.virtualStages > 1 ? 1 + (plan.pp - 1) / (plan.pp * plan.virtualStages) : 1;
  const rebuilt = rebuiltLayerBytes(plan, held, widen, extras);
  const first = perLayer * layersHeld * interleave + rebuilt;
  // The loss sits on the last stage, which holds one micro-batch of its own layers in flight.
  const loss = options.includeLoss === false ? 0 : lossBytes(m, plan, options.loss);
  if (plan.pp === 1) return first + loss;
  const lastLayers = stages?.last ?? m.layers / plan.pp;
  return Math.max(first, perLayer * lastLayers + rebuilt + loss);
}

/**
 * Bytes per logit the loss holds at its peak, the start of the backward pass: the 16-bit logits the
 * model returned, the 32-bit log-probabilities cross-entropy saved for its backward, and the 32-bit
 * gradient it computes from them, 2 + 4 + 4. So in TorchTitan (`cross_entropy(pred.float(), labels)`,
 * https://github.com/pytorch/torchtitan/blob/main/torchtitan/components/loss.py) and in Hugging Face
 * transformers' causal-LM models from v4.46, whose loss function upcasts the returned 16-bit logits
 * and shifts the labels instead (UPCAST_LOSS_BYTES_PER_LOGIT for the versions before).
 */
export const LOSS_BYTES_PER_LOGIT = 10;

/**
 * Bytes per logit Hugging Face transformers' causal-LM loss held before v4.46: the model upcast its
 * logits to 32 bits and returned them (4), sliced a shifted 32-bit copy for the loss (4), and
 * cross-entropy saved the 32-bit log-probabilities (4), all alive at the end of the forward pass;
 * the backward's start holds the log-probabilities with their gradient and the input gradient, as
 * many (LlamaForCausalLM.forward, `logits = logits.float()` then
 * `shift_logits = logits[..., :-1, :].contiguous()`, v4.44.2,
 * https://github.com/huggingface/transformers/blob/v4.44.2/src/transformers/models/llama/modeling_llama.py).
 */
export const UPCAST_LOSS_BYTES_PER_LOGIT = 4 + 4 + 4;

/**
 * Chunks torchtune's chunked cross-entropy splits the tokens into (CEWithChunkedOutputLoss,
 * num_output_chunks = 8, https://github.com/pytorch/torchtune/blob/main/torchtune/modules/loss/ce_chunked_output_loss.py).
 */
export const LOSS_CHUNKS = 8;

/**
 * Bytes per logit a chunked cross-entropy holds: the 16-bit logits of every chunk (the output layer
 * is applied chunk by chunk, and each chunk's logits are kept for its backward), plus one chunk at a
 * time upcast to 32 bits with its 32-bit gradient, (4 + 4) ÷ LOSS_CHUNKS. The upcast and the
 * cross-entropy are compiled together, as torchtune recommends and its compiled recipes do (pull
 * request 1390, https://github.com/pytorch/torchtune/pull/1390), so no chunk keeps 32-bit
 * log-probabilities for the backward; run eagerly, each chunk would keep them (4 bytes more a logit).
 */
export const CHUNKED_LOSS_BYTES_PER_LOGIT = 2 + (4 + 4) / LOSS_CHUNKS;

/**
 * How the loss meets the logits: `full`, all of them materialised (LOSS_BYTES_PER_LOGIT); `upcast`,
 * as Hugging Face transformers before v4.46 did it (UPCAST_LOSS_BYTES_PER_LOGIT); `chunked`,
 * the 16-bit logits kept and upcast one chunk at a time (CHUNKED_LOSS_BYTES_PER_LOGIT, torchtune);
 * `fused`, a fused linear cross-entropy that computes the output layer and the loss chunk by chunk and
 * keeps none of them (Liger Kernel's FusedLinearCrossEntropy, https://github.com/linkedin/Liger-Kernel;
 * Wijmans et al. 2024, "Cut Your Losses in Large-Vocabulary Language Models",
 * https://arxiv.org/abs/2411.09009), taken as holding nothing.
 */
export const LOSS_KINDS = ['full', 'upcast', 'chunked', 'fused'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

/** Bytes the loss holds per logit, by how it meets the logits. */
export const LOSS_BYTES_PER_LOGIT_BY_KIND: Record<LossKind, number> = {
  full: LOSS_BYTES_PER_LOGIT,
  upcast: UPCAST_LOSS_BYTES_PER_LOGIT,
  chunked: CHUNKED_LOSS_BYTES_PER_LOGIT,
  fused: 0,
};

/** The loss's logits of one micro-batch on the last stage, split over the TP ranks (vocabulary-parallel). */
export function lossBytes(m: ModelArch, plan: Pick<ParallelPlan, 'tp' | 'microBatch' | 'cp'>, kind: LossKind = 'full'): number {
  return ((plan.microBatch * m.seqLen) / contextParallel(plan)) * (m.vocab / plan.tp) * LOSS_BYTES_PER_LOGIT_BY_KIND[kind];
}

/** Per-GPU memory of a plan, with ZeRO sharding of optimizer (≥1), gradients (≥2) and weights (3) over DP. */
export function memoryPerGpu(
  m: ModelArch,
  plan: ParallelPlan,
  options: MemoryOptions = DEFAULT_MEMORY_OPTIONS,
  counts: ArchParamCounts = archParamCounts(m),
  into?: MemoryBreakdown,
): MemoryBreakdown {
  const byKind = paramsPerGpuByKind(m, plan, options.includeEmbedding, counts);
  const p = byKind.dense + byKind.expert;
  // ZeRO-3 under a pipeline holds the stage's whole weights and gradients (shardsWeightsThroughStep).
  const sharded = shardsWeightsThroughStep(plan);
  // The dense part is sharded over the DP × CP ranks, the experts over those holding the same experts.
  const shards = plan.dp * contextParallel(plan);
  const expertShards = expertDataRanks(plan);
  const shardedBy = (bytesPerParam: number, on: boolean): number =>
    bytesPerParam * (byKind.dense / (on ? shards : 1) + byKind.expert / (on ? expertShards : 1));
  const ft = options.finetune;
  const trainable = ft ? ft.trainableShare : 1;
  const weightsBytes =
    options.fp8Params && !ft
      ? shardedBy(FP8_PARAM_BYTES, sharded) +
        ((WEIGHT_BYTES - FP8_PARAM_BYTES) * embeddingParamsPerGpu(m, plan, options.includeEmbedding, counts)) / (sharded ? shards : 1)
      : shardedBy(ft ? ft.baseWeightBytes + WEIGHT_BYTES * ft.trainableShare : WEIGHT_BYTES, sharded);
  const gradientsBytes = shardedBy(options.gradBytes * trainable, sharded || plan.zero === 2);
  const optimizerBytes = shardedBy((ft ? ft.optimizerBytesPerTrainable : OPTIMIZER_BYTES) * trainable, plan.zero >= 1);
  const activationsBytes = activationBytesPerGpu(m, plan, options);
  const overheadBytes = options.frameworkOverhead ? frameworkOverheadBytes(plan) : 0;
  const totalBytes = weightsBytes + gradientsBytes + optimizerBytes + activationsBytes + overheadBytes;
  if (!into) return { weightsBytes, gradientsBytes, optimizerBytes, activationsBytes, overheadBytes, totalBytes, paramsPerGpu: p };
  // A search that checks thousands of layouts passes one object to fill, and copies the few it keeps.
  into.weightsBytes = weightsBytes;
  into.gradientsBytes = gradientsBytes;
  into.optimizerBytes = optimizerBytes;
  into.activationsBytes = activationsBytes;
  into.overheadBytes = overheadBytes;
  into.totalBytes = totalBytes;
  into.paramsPerGpu = p;
  return into;
}
