import type { FlopsConvention } from './enums.js';
import { activeMatmulParamsPerToken } from './params.js';
import type { ModelArch } from './types.js';

/**
 * FLOPs of one training pass over a token budget, under four conventions that published figures use.
 * A multiply-add counts as 2 FLOP. The conventions differ by up to ~37% on the same run, so every
 * result names the one it used.
 */
export interface FlopsConventionInfo {
  id: FlopsConvention;
  label: string;
  formula: string;
  source: string;
  /** Counts the attention score/value matmuls that grow with sequence length. */
  includesAttention: boolean;
  /** Counts the extra forward pass of full activation recomputation ("hardware FLOPs"). */
  includesRecompute: boolean;
  /** Needs layers, widths and vocabulary, not just a parameter count. */
  needsArchitecture: boolean;
}

export const FLOPS_CONVENTION_INFO: Record<FlopsConvention, FlopsConventionInfo> = {
  '6nd': {
    id: '6nd',
    label: '6·N·D',
    formula: '6 × parameters × tokens',
    source: 'Brown et al. 2020, "Language Models are Few-Shot Learners", Appendix D / Table D.1 (https://arxiv.org/abs/2005.14165)',
    includesAttention: false,
    includesRecompute: false,
    needsArchitecture: false,
  },
  '6nd-attn': {
    id: '6nd-attn',
    label: '6·N·D + attention',
    formula: '(6N + 12·L·H·Q·T) × tokens',
    source: 'Chowdhery et al. 2022, "PaLM", Appendix B (https://arxiv.org/abs/2204.02311)',
    includesAttention: true,
    includesRecompute: false,
    needsArchitecture: true,
  },
  megatron: {
    id: 'megatron',
    label: 'Megatron eq. 3 (with recompute)',
    formula: '96·l·h²·(1 + s/(6h) + V/(16·l·h)) × tokens',
    source:
      'Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM", eq. (3) (https://arxiv.org/abs/2104.04473)',
    includesAttention: true,
    includesRecompute: true,
    needsArchitecture: true,
  },
  '8nd': {
    id: '8nd',
    label: '8·N·D',
    formula: '8 × parameters × tokens',
    source: 'Narayanan et al. 2021, eq. (4) shorthand 8·T·P (https://arxiv.org/abs/2104.04473)',
    includesAttention: false,
    includesRecompute: true,
    needsArchitecture: false,
  },
};

/** Forward FLOPs per multiply-add. */
export const FLOP_PER_MAC = 2;
/** Training = forward + backward, and backward costs twice the forward (activation and weight gradients). */
export const TRAIN_PASSES = 3;
/** Full activation recomputation adds one more forward pass: 4 forward-equivalents per step. */
export const TRAIN_PASSES_WITH_RECOMPUTE = 4;

export interface TrainingFlopsInput {
  convention: FlopsConvention;
  /** Parameters a token passes through (active parameters for MoE), embeddings included. */
  params: number;
  tokens: number;
  /** Required when `FLOPS_CONVENTION_INFO[convention].needsArchitecture`. */
  arch?: ModelArch;
  /**
   * LoRA/QLoRA: the base weights are frozen, so the backward pass skips their weight gradients (one
   * forward-equivalent, 2 FLOP per parameter and token) and the adapters train at 6 FLOP per
   * parameter and token (core/finetune.ts).
   */
  finetune?: { adapterParams: number };
}

/** Training FLOPs for `tokens` tokens under the chosen convention, in FLOP. */
export function trainingFlops(input: TrainingFlopsInput): number {
  return flopsPerToken(input) * input.tokens;
}

/** Training FLOPs per token under the chosen convention, in FLOP. */
export function flopsPerToken(input: Omit<TrainingFlopsInput, 'tokens'>): number {
  const base = conventionFlopsPerToken(input);
  if (!input.finetune) return base;
  return base - FLOP_PER_MAC * input.params + FLOP_PER_MAC * TRAIN_PASSES * input.finetune.adapterParams;
}

function conventionFlopsPerToken(input: Omit<TrainingFlopsInput, 'tokens'>): number {
  const { convention, params, arch } = input;
  switch (convention) {
    case '6nd':
      return FLOP_PER_MAC * TRAIN_PASSES * params;
    case '8nd':
      return FLOP_PER_MAC * TRAIN_PASSES_WITH_RECOMPUTE * params;
    case '6nd-attn':
      return FLOP_PER_MAC * TRAIN_PASSES * params + TRAIN_PASSES * attentionForwardFlopsPerToken(requireArch(arch, convention));
    case 'megatron': {
      // Eq. (3): layers are recomputed (4 passes) but the logit layer is not (3 passes): 96lh² + 16slh + 6Vh.
      const m = requireArch(arch, convention);
      const layers = FLOP_PER_MAC * activeMatmulParamsPerToken(m) + attentionForwardFlopsPerToken(m);
      return TRAIN_PASSES_WITH_RECOMPUTE * layers + TRAIN_PASSES * logitForwardFlopsPerToken(m);
    }
  }
}

/**
 * Forward FLOPs per token of the attention score (Q·Kᵀ) and value (A·V) matmuls, without the causal
 * halving, as in PaLM Appendix B (4·L·H·Q·T forward, so 12·L·H·Q·T for training). A layer with a
 * sliding window of W < T positions counts 2W − W²/T in place of T: twice the keys a causal query
 * sees on average, W − W²/(2T), as T is twice the causal average T/2, so that the count is PaLM's
 * at W = T and a fused kernel's causal half (perf.ts FLASH_CAUSAL_WORK) is the work it does
 * (Beltagy et al. 2020, "Longformer", https://arxiv.org/abs/2004.05150, §3.1: windowed attention
 * scales as n·w; FlashAttention-2 skips the blocks outside the window).
 */
export function attentionForwardFlopsPerToken(m: ModelArch): number {
  return attentionFlopsPerKey(m) * attendedKeysPerToken(m);
}

/** Forward FLOPs of one query against one key: its score (Q·K over the q/k width) and its share of A·V (the v width). */
export function attentionFlopsPerKey(m: ModelArch): number {
  const qkWidth = m.mla ? m.heads * (m.mla.qkNopeHeadDim + m.mla.qkRopeHeadDim) : m.heads * m.dHead;
  const vWidth = m.mla ? m.heads * m.mla.vHeadDim : m.heads * m.dHead;
  return FLOP_PER_MAC * (qkWidth + vWidth);
}

/** Keys per query summed over the layers, in PaLM's non-causal count (attentionForwardFlopsPerToken). */
export function attendedKeysPerToken(m: Pick<ModelArch, 'layers' | 'seqLen' | 'slidingWindow'>): number {
  const w = m.slidingWindow;
  if (!w || w.tokens >= m.seqLen) return m.layers * m.seqLen;
  const windowed = 2 * w.tokens - (w.tokens * w.tokens) / m.seqLen;
  return (m.layers - w.layers) * m.seqLen + w.layers * windowed;
}

/** Forward FLOPs per token of the projection onto the vocabulary (2·V·h). */
export function logitForwardFlopsPerToken(m: ModelArch): number {
  return FLOP_PER_MAC * m.vocab * m.dModel;
}

function requireArch(arch: ModelArch | undefined, convention: FlopsConvention): ModelArch {
  if (!arch) {
    throw new RangeError(`the ${convention} FLOPs convention needs a model architecture, not just a parameter count`);
  }
  return arch;
}
