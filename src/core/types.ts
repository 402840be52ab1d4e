import type { BiasKind, MlpKind, NormKind, PositionEmbedding } from './enums.js';

/** Mixture-of-experts feed-forward layers. Expert sizes are hidden widths of one expert's MLP. */
export interface MoeShape {
  /** Routed experts per MoE layer. */
  experts: number;
  /** Routed experts each token visits (top-k). */
  expertsPerToken: number;
  /** Experts every token visits in addition to the routed ones (DeepSeek-style). */
  sharedExperts: number;
  /** Hidden width of one routed expert's MLP. */
  expertFfnHidden: number;
  /** Hidden width of one shared expert's MLP (defaults to expertFfnHidden). */
  sharedExpertFfnHidden: number;
  /** The first `denseLayers` layers use a dense MLP of width `ModelArch.ffnHidden` instead of experts. */
  denseLayers: number;
  /**
   * Of the layers after `denseLayers`, every `moeEvery`-th is an MoE layer and the others are dense
   * (Llama 4's `interleave_moe_layer_step`, Qwen2-MoE's `decoder_sparse_step`). Absent: 1, all of them.
   */
  moeEvery?: number;
}

/**
 * Multi-head latent attention (DeepSeek-V2/V3): queries and keys/values pass through low-rank
 * projections. Sizes as in the Hugging Face DeepSeek config (`q_lora_rank`, `kv_lora_rank`, …).
 */
export interface MlaShape {
  qLoraRank: number;
  kvLoraRank: number;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
}

/** Decoder-only transformer architecture: everything that changes parameter count and FLOPs. */
export interface ModelArch {
  layers: number;
  dModel: number;
  heads: number;
  /** Key/value heads (grouped-query attention); equals `heads` for multi-head attention. */
  kvHeads: number;
  dHead: number;
  /** Hidden width of the dense MLP. */
  ffnHidden: number;
  mlp: MlpKind;
  vocab: number;
  /** Training sequence length in tokens. */
  seqLen: number;
  tiedEmbeddings: boolean;
  positionEmbedding: PositionEmbedding;
  /** Which linear layers carry bias vectors: all (GPT-2/3), only Q/K/V (Qwen2), or none (Llama). */
  bias: BiasKind;
  norm: NormKind;
  moe?: MoeShape;
  mla?: MlaShape;
  /** Sliding-window attention: `layers` of the layers let a token attend only the `tokens` positions before it (Mistral, Gemma 2/3, Olmo 3). */
  slidingWindow?: SlidingWindow;
  /**
   * How training computes attention: `eager` materialises the s×s score matrix (Megatron-LM in
   * 2021-2022), `flash` fuses it into one kernel (FlashAttention). Absent: eager.
   */
  attention?: AttentionKernel;
}

export type AttentionKernel = 'eager' | 'flash';

/** A local attention window: each query of these layers sees at most `tokens` keys, itself included. */
export interface SlidingWindow {
  tokens: number;
  /** How many of the model's layers use it (the others attend over the whole sequence). */
  layers: number;
}

/** The parameter counts of a model, in parameters. */
export interface ParamCounts {
  total: number;
  /** Parameters a single token passes through (differs from total for MoE). */
  active: number;
  /** Input token embedding plus learned positions plus an untied output head. */
  embedding: number;
}
