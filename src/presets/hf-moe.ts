/**
 * The mixture-of-experts families of Hugging Face `config.json` beyond Mixtral: Qwen2-MoE, Qwen3-MoE,
 * DeepSeek-V2/V3, Llama 4 and gpt-oss. Each starts from the Llama-style reading of the shared fields
 * (hf-config.ts) and adds its expert layout. Field names and defaults follow the transformers
 * configuration and modeling code of each `model_type` (Qwen2MoeConfig, Qwen3MoeConfig,
 * DeepseekV3Config, Llama4TextConfig, GptOssConfig).
 */
import type { ModelArch } from '../core/types.js';

/** Typed access to a config's fields; `int` throws naming the field, unless a fallback covers its absence. */
export interface FieldReader {
  type: string;
  int(key: string, fallback?: number): number;
  bool(key: string, fallback: boolean): boolean;
  has(key: string): boolean;
  /** Length of a list field; 0 when absent or not a list. */
  listLength(key: string): number;
  /** Entries of a list field equal to `value`; 0 when absent or not a list. */
  countOf(key: string, value: string): number;
  /** A positive integer field, or undefined when absent or anything else: for fields that only add a note. */
  positive(key: string): number | undefined;
}

/**
 * Qwen2-MoE (Qwen1.5-MoE, Qwen2-57B-A14B) and Qwen3-MoE. Routed experts of `moe_intermediate_size`;
 * a layer is MoE when (i + 1) is a multiple of `decoder_sparse_step` and i is not in `mlp_only_layers`
 * (Qwen2MoeDecoderLayer). Qwen2-MoE adds one shared expert of `shared_expert_intermediate_size`
 * behind a sigmoid gate; Qwen3-MoE has none.
 */
export function qwenMoeArch(read: FieldReader, arch: ModelArch, notes: string[]): ModelArch {
  const { int, listLength, type } = read;
  const shared = type === 'qwen2_moe' ? int('shared_expert_intermediate_size', 0) : 0;
  const step = int('decoder_sparse_step', 1);
  const denseLayers = listLength('mlp_only_layers');
  const expertFfnHidden = int('moe_intermediate_size');
  arch.moe = {
    experts: int('num_experts'),
    expertsPerToken: int('num_experts_per_tok'),
    sharedExperts: shared > 0 ? 1 : 0,
    expertFfnHidden,
    sharedExpertFfnHidden: shared > 0 ? shared : expertFfnHidden,
    denseLayers,
  };
  if (step > 1) arch.moe.moeEvery = step;
  if (denseLayers > 0) notes.push(`${denseLayers} layers in mlp_only_layers counted as dense (their positions do not change the count)`);
  if (denseLayers > 0 && step > 1) notes.push('mlp_only_layers with decoder_sparse_step > 1: the MoE layer count is approximate');
  if (shared > 0) notes.push(`one shared expert of width ${shared} per MoE layer; its sigmoid gate (d_model weights per layer) is not counted`);
  if (type === 'qwen3_moe') notes.push('Qwen3-MoE has no shared expert; its per-head q/k RMSNorm gains (2 × head_dim per layer) are not counted');
  return arch;
}

/**
 * DeepSeek-V2 and V3: multi-head latent attention, `first_k_dense_replace` leading dense layers of
 * `intermediate_size`, then MoE layers of `n_routed_experts` experts of `moe_intermediate_size`
 * plus `n_shared_experts` shared ones of the same width, every `moe_layer_freq` layers.
 * `q_lora_rank` null (V2-Lite) means one full query projection.
 */
export function deepseekArch(read: FieldReader, arch: ModelArch, notes: string[]): ModelArch {
  const { int } = read;
  const expertFfnHidden = int('moe_intermediate_size');
  const freq = int('moe_layer_freq', 1);
  arch.moe = {
    experts: int('n_routed_experts'),
    expertsPerToken: int('num_experts_per_tok'),
    sharedExperts: int('n_shared_experts', 0),
    expertFfnHidden,
    sharedExpertFfnHidden: expertFfnHidden,
    denseLayers: int('first_k_dense_replace', 0),
  };
  if (freq > 1) arch.moe.moeEvery = freq;
  arch.mla = {
    qLoraRank: read.has('q_lora_rank') ? int('q_lora_rank') : 0,
    kvLoraRank: int('kv_lora_rank'),
    qkNopeHeadDim: int('qk_nope_head_dim'),
    qkRopeHeadDim: int('qk_rope_head_dim'),
    vHeadDim: int('v_head_dim'),
  };
  arch.dHead = arch.mla.qkNopeHeadDim + arch.mla.qkRopeHeadDim;
  const mtp = int('num_nextn_predict_layers', 0);
  if (mtp > 0) {
    // DeepSeek-V3 report §2.2 and README_WEIGHTS.md: 671B excludes the 14B MTP module; the checkpoint's 685B includes it.
    notes.push(
      `the ${mtp} multi-token-prediction module(s) (num_nextn_predict_layers) are not counted, as in the published 671B (the 685B checkpoint includes them)`,
    );
  }
  return arch;
}

/**
 * Llama 4 (text model; the vision encoder is not counted). Routed experts and the one shared expert
 * have width `intermediate_size`; the dense layers between MoE layers have `intermediate_size_mlp`.
 * Every `interleave_moe_layer_step`-th layer is MoE (Llama4TextDecoderLayer: (i + 1) % step == 0).
 */
export function llama4Arch(read: FieldReader, arch: ModelArch, notes: string[]): ModelArch {
  const { int } = read;
  const expertFfnHidden = int('intermediate_size');
  const step = int('interleave_moe_layer_step', 1);
  arch.ffnHidden = int('intermediate_size_mlp', expertFfnHidden);
  arch.moe = {
    experts: int('num_local_experts'),
    expertsPerToken: int('num_experts_per_tok', 1),
    sharedExperts: 1,
    expertFfnHidden,
    sharedExpertFfnHidden: expertFfnHidden,
    denseLayers: 0,
  };
  if (step > 1) arch.moe.moeEvery = step;
  notes.push('Llama 4: the language model of text_config only; the vision encoder and projector are not counted');
  return arch;
}

/**
 * gpt-oss: every layer is MoE, `num_local_experts` experts of width `intermediate_size`,
 * `experts_per_token` (or `num_experts_per_tok`) per token. Biases on q, k, v and o
 * (`attention_bias`) and on each expert's gate/up and down projections (GptOssExperts), so the bias
 * kind is "all". The router's bias (one per expert) and the per-head attention sinks are not counted.
 */
export function gptOssArch(read: FieldReader, arch: ModelArch, notes: string[]): ModelArch {
  const { int } = read;
  const expertFfnHidden = int('intermediate_size');
  arch.bias = read.bool('attention_bias', true) ? 'all' : 'none';
  arch.moe = {
    experts: int('num_local_experts'),
    expertsPerToken: int('experts_per_token', int('num_experts_per_tok', 0) || undefined),
    sharedExperts: 0,
    expertFfnHidden,
    sharedExpertFfnHidden: expertFfnHidden,
    denseLayers: 0,
  };
  notes.push('gpt-oss: router biases and attention sinks (a few thousand parameters a layer) are not counted');
  return arch;
}
