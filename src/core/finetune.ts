/**
 * Fine-tuning: full, LoRA and QLoRA. LoRA freezes the base weights and trains a low-rank update
 * ΔW = B·A beside each adapted matrix W (d_out × d_in), with A of r × d_in and B of d_out × r: r ×
 * (d_in + d_out) trainable parameters per matrix (Hu et al. 2021, "LoRA: Low-Rank Adaptation of
 * Large Language Models", https://arxiv.org/abs/2106.09685, §4.1). QLoRA stores the frozen base in
 * 4-bit NormalFloat and trains the same adapters in 16-bit (Dettmers et al. 2023, "QLoRA: Efficient
 * Finetuning of Quantized LLMs", https://arxiv.org/abs/2305.14314, §3).
 */
import { ACTIVATION_BYTES } from './memory.js';
import { isGatedMlp, moeLayerCount } from './params.js';
import type { GemmShape } from './gemm.js';
import type { ModelArch } from './types.js';

export const FINETUNE_MODES = ['full', 'lora', 'qlora'] as const;
export type FinetuneMode = (typeof FINETUNE_MODES)[number];

/** Which linear layers get adapters: attention projections, MLP matrices, or both. */
export const LORA_TARGETS = ['attn', 'mlp', 'all'] as const;
export type LoraTargets = (typeof LORA_TARGETS)[number];

/** How QLoRA stores the frozen base: 4-bit NormalFloat, or 8-bit (LLM.int8()). */
export const BASE_QUANTS = ['nf4', 'int8'] as const;
export type BaseQuant = (typeof BASE_QUANTS)[number];

/** Rank and targets of the QLoRA paper's recipe: r = 64 on every linear layer (Dettmers et al. 2023, §4 and Appendix B.2). */
export const DEFAULT_LORA_RANK = 64;
export const DEFAULT_LORA_TARGETS: LoraTargets = 'all';

/**
 * Bits per base weight in NF4: 4, plus the quantisation constants. One 32-bit absmax per block of
 * 64 weights is 0.5 bit per weight; double quantisation stores those constants in 8 bits with one
 * 32-bit constant per 256 of them: 8/64 + 32/(64 × 256) = 0.127 bit (Dettmers et al. 2023, §3).
 */
export const NF4_BITS_PER_WEIGHT = 4 + 8 / 64 + 32 / (64 * 256);
/** LLM.int8(): 8 bits per weight; its one fp32 scale per row is negligible (Dettmers et al. 2022, https://arxiv.org/abs/2208.07339, §3). */
export const INT8_BITS_PER_WEIGHT = 8;
const BITS_PER_BYTE = 8;

export function baseBytesPerWeight(quant: BaseQuant): number {
  return (quant === 'nf4' ? NF4_BITS_PER_WEIGHT : INT8_BITS_PER_WEIGHT) / BITS_PER_BYTE;
}

/** [d_in, d_out] of each attention projection: q, k, v, o (MLA: its down and up projections). */
function attentionShapes(m: ModelArch): [number, number][] {
  const d = m.dModel;
  if (m.mla) {
    const { qLoraRank, kvLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim } = m.mla;
    const qOut = m.heads * (qkNopeHeadDim + qkRopeHeadDim);
    const q: [number, number][] =
      qLoraRank > 0
        ? [
            [d, qLoraRank],
            [qLoraRank, qOut],
          ]
        : [[d, qOut]];
    return [...q, [d, kvLoraRank + qkRopeHeadDim], [kvLoraRank, m.heads * (qkNopeHeadDim + vHeadDim)], [m.heads * vHeadDim, d]];
  }
  const qWidth = m.heads * m.dHead;
  const kvWidth = m.kvHeads * m.dHead;
  return [
    [d, qWidth],
    [d, kvWidth],
    [d, kvWidth],
    [qWidth, d],
  ];
}

/** [d_in, d_out] of one MLP of hidden width `f`: gate, up and down (gated) or up and down. */
function mlpShapes(m: ModelArch, f: number): [number, number][] {
  const d = m.dModel;
  return isGatedMlp(m.mlp)
    ? [
        [d, f],
        [d, f],
        [f, d],
      ]
    : [
        [d, f],
        [f, d],
      ];
}

const adapterParams = (shapes: [number, number][], rank: number): number => shapes.reduce((sum, [i, o]) => sum + rank * (i + o), 0);

/**
 * Trainable LoRA parameters over the whole model: rank × (d_in + d_out) for every targeted matrix
 * of every layer (every expert of an MoE layer, shared experts included; not the router, embedding
 * or output head, which PEFT's "all-linear" also leaves out).
 */
export function loraParams(m: ModelArch, rank: number, targets: LoraTargets): number {
  const attention = targets === 'mlp' ? 0 : adapterParams(attentionShapes(m), rank) * m.layers;
  if (targets === 'attn') return attention;
  const moeLayers = moeLayerCount(m);
  const denseLayers = m.layers - moeLayers;
  const dense = adapterParams(mlpShapes(m, m.ffnHidden), rank) * denseLayers;
  if (!m.moe || moeLayers === 0) return attention + dense;
  const { experts, sharedExperts, expertFfnHidden, sharedExpertFfnHidden } = m.moe;
  const perMoeLayer = experts * adapterParams(mlpShapes(m, expertFfnHidden), rank) + sharedExperts * adapterParams(mlpShapes(m, sharedExpertFfnHidden), rank);
  return attention + dense + perMoeLayer * moeLayers;
}

/** Trainable adapters a token passes through (the routed experts it visits, not all of them). */
export function activeLoraParams(m: ModelArch, rank: number, targets: LoraTargets): number {
  if (!m.moe || targets === 'attn') return loraParams(m, rank, targets);
  const { experts, expertsPerToken } = m.moe;
  const all = loraParams(m, rank, targets);
  const routed = experts * adapterParams(mlpShapes(m, m.moe.expertFfnHidden), rank) * moeLayerCount(m);
  return all - routed + (routed * expertsPerToken) / experts;
}

/**
 * The adapter GEMMs of one average layer for `tokens` tokens on one of `tp` ranks, forward: for each
 * targeted matrix (d_in × d_out), x·A (tokens × d_in by d_in × r) and (x·A)·B (tokens × r by
 * r × d_out) (Hu et al. 2021, "LoRA", https://arxiv.org/abs/2106.09685, §4.1). An MoE layer's token
 * passes the adapters of the experts it visits; TP splits the adapters as it splits their matrices,
 * taken here as 1/tp of each.
 */
export function adapterGemmShapes(m: ModelArch, rank: number, targets: LoraTargets, tokens: number, tp: number): GemmShape[] {
  const pairs: [number, number, number][] = [];
  if (targets !== 'mlp') for (const [i, o] of attentionShapes(m)) pairs.push([i, o, 1]);
  if (targets !== 'attn') {
    const moeShare = moeLayerCount(m) / m.layers;
    for (const [i, o] of mlpShapes(m, m.ffnHidden)) pairs.push([i, o, 1 - moeShare]);
    if (m.moe && moeShare > 0) {
      const { expertsPerToken, expertFfnHidden, sharedExperts, sharedExpertFfnHidden } = m.moe;
      for (const [i, o] of mlpShapes(m, expertFfnHidden)) pairs.push([i, o, expertsPerToken * moeShare]);
      for (const [i, o] of mlpShapes(m, sharedExpertFfnHidden)) pairs.push([i, o, sharedExperts * moeShare]);
    }
  }
  return pairs
    .filter(([, , count]) => count > 0)
    .flatMap(([i, o, count]) => [
      { m: tokens, k: i, n: rank, count: count / tp },
      { m: tokens, k: rank, n: o, count: count / tp },
    ]);
}

/** The dropout mask LoRA dropout keeps: one byte an element, whatever the activations' width. */
const LORA_DROPOUT_MASK_BYTES = 1;

/**
 * Bytes LoRA dropout keeps per input element of each adapted matrix: PEFT's LoRA layer passes the
 * adapter's input through its own nn.Dropout when lora_dropout > 0 (nn.Identity at 0; peft
 * src/peft/tuners/lora/layer.py, update_layer, https://github.com/huggingface/peft), and the backward
 * needs the dropout's 1-byte mask and its 16-bit output, which lora_A keeps for its weight gradient.
 */
export const LORA_DROPOUT_BYTES_PER_INPUT = LORA_DROPOUT_MASK_BYTES + ACTIVATION_BYTES;

/**
 * Bytes per activation element of a QLoRA base prepared by PEFT's prepare_model_for_kbit_training
 * (peft v0.13.2, src/peft/utils/other.py, https://github.com/huggingface/peft/blob/v0.13.2/src/peft/utils/other.py),
 * which TRL's SFTTrainer calls for every 4- and 8-bit model it is not sharding (trl v0.13.0,
 * trl/trainer/sft_trainer.py, https://github.com/huggingface/trl/blob/v0.13.0/trl/trainer/sft_trainer.py).
 * It casts every 16-bit parameter that is not quantised to fp32; with bf16 training TRL casts the
 * embedding and output head back (peft_module_casting_to_bf16), but the norms stay fp32. An fp32 norm
 * weight times a 16-bit input gives an fp32 output; bitsandbytes' Linear4bit computes in 16 bits and
 * returns its output in its input's dtype, so the residual stream and the tensors between the linear
 * layers are 32-bit: 4 bytes an element, not 2. IBM's fms-acceleration notes the same cast and the
 * slowdown it brings (plugins/accelerated-peft, framework_plugin_bnb.py,
 * https://github.com/foundation-model-stack/fms-acceleration/blob/24bdadb228e2d55bc0c69deec034b86a73da6917/plugins/accelerated-peft/src/fms_acceleration_peft/framework_plugin_bnb.py).
 */
export const PEFT_PREPARED_ACTIVATION_BYTES = 4;

/**
 * Bytes LoRA dropout holds per token in one average layer (before any split by TP): its input elements
 * summed over the adapted matrices a token passes (q, k and v each drop their own copy), × the
 * 1-byte mask and the dropped copy, as wide as the activations (`elementBytes`: 2, so 3 bytes in
 * all, or 4 under PEFT_PREPARED_ACTIVATION_BYTES); 0 without dropout.
 */
export function loraDropoutBytesPerToken(m: ModelArch, targets: LoraTargets, dropout: number, elementBytes = ACTIVATION_BYTES): number {
  if (dropout <= 0) return 0;
  // With rank 1 the adapter-A GEMMs are the ones with n = 1 and k = the matrix's input width.
  const inputs = adapterGemmShapes(m, 1, targets, 1, 1)
    .filter((g) => g.n === 1)
    .reduce((sum, g) => sum + g.k * g.count, 0);
  return inputs * (LORA_DROPOUT_MASK_BYTES + elementBytes);
}

/**
 * Bytes per token, in one average layer (before any split by TP), of the 16-bit inputs of the
 * quantized linear layers, each distinct input once: what bitsandbytes before 0.43.2 kept for the
 * backward of every 4-bit layer. Its MatMul4Bit saved the layer's input whenever a gradient flowed
 * through it, though with a frozen weight the backward needs only the weight; release 0.43.2 stopped
 * keeping it (bitsandbytes pull request 1270, "fix QLoRA mem bug: delete useless buffered
 * activation", https://github.com/bitsandbytes-foundation/bitsandbytes/pull/1270; autograd/_functions.py,
 * MatMul4Bit.forward, `ctx.tensors = (A, B)` in 0.41.0). The attention input (shared by q, k and v)
 * and the output projection's; the MLP input (shared by gate and up) and the down projection's; an
 * MoE layer's routed and shared experts' down projections for the experts a token visits (the copies
 * of a token's input each expert keeps are already among the MoE activations).
 */
export function quantizedInputBytesPerToken(m: ModelArch): number {
  const mla = m.mla;
  // The layer input feeds q, k and v (MLA: its down-projections); MLA's up-projections and the output projection have their own.
  const attentionInputs = mla ? m.dModel + mla.qLoraRank + mla.kvLoraRank + m.heads * mla.vHeadDim : m.dModel + m.heads * m.dHead;
  const moeShare = moeLayerCount(m) / m.layers;
  const dense = m.dModel + m.ffnHidden;
  const moe = m.moe ? m.moe.expertsPerToken * m.moe.expertFfnHidden + m.moe.sharedExperts * m.moe.sharedExpertFfnHidden : 0;
  return QUANTIZED_INPUT_BYTES * (attentionInputs + (1 - moeShare) * dense + moeShare * moe);
}

/** The 16-bit inputs those layers keep: 2 bytes an element. */
const QUANTIZED_INPUT_BYTES = ACTIVATION_BYTES;

/**
 * Optimizers fine-tuning uses: AdamW, 8-bit AdamW (bitsandbytes), paged AdamW (QLoRA), and AdamW in
 * pure bf16 (torchtune's default, and scripts such as Answer.AI's fsdp_qlora).
 */
export const FINETUNE_OPTIMIZERS = ['adamw', 'adamw-8bit', 'paged-adamw', 'adamw-bf16'] as const;
export type FinetuneOptimizer = (typeof FINETUNE_OPTIMIZERS)[number];

/**
 * GPU bytes of optimizer state per trainable parameter, besides its 16-bit weight and gradient.
 * AdamW: fp32 master weight and two fp32 moments, 12 (Rajbhandari et al. 2020, ZeRO §3.1).
 * 8-bit AdamW: fp32 master and two 8-bit moments, 6 (Dettmers et al. 2021, "8-bit Optimizers via
 * Block-wise Quantization", https://arxiv.org/abs/2110.02861). Paged AdamW: the state lives in
 * unified memory and is paged out to CPU memory when the GPU runs short (Dettmers et al. 2023,
 * QLoRA §3, "Paged Optimizers"), so the fit check counts none of it on the GPU. AdamW in pure bf16:
 * no fp32 master copy and two bf16 moments, 4, as the weights' own data type sets the optimizer's
 * where a framework trains in bf16 throughout (torchtune, "Memory Optimization Overview": the
 * precision is the data type of the model and the optimizer parameters, bfloat16 by default,
 * https://pytorch.org/torchtune/0.3/tutorials/memory_optimizations.html; PyTorch's AdamW creates its
 * moments like the parameter; 8 bytes a parameter in all against 18 with fp32 master weights,
 * huggingface/transformers pull request 21312, https://github.com/huggingface/transformers/pull/21312).
 */
export const OPTIMIZER_BYTES_PER_TRAINABLE: Record<FinetuneOptimizer, number> = { adamw: 12, 'adamw-8bit': 6, 'paged-adamw': 0, 'adamw-bf16': 4 };
