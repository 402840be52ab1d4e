import type { ModelArch, ParamCounts } from './types.js';

/**
 * Parameter counts of a decoder-only transformer, computed from its architecture.
 *
 * Dense GPT layers reproduce Narayanan et al. 2021 ("Efficient Large-Scale Language Model Training on
 * GPU Clusters Using Megatron-LM", https://arxiv.org/abs/2104.04473), eq. (2):
 * P = 12·l·h² (1 + 13/(12h) + (V+s)/(12·l·h)), i.e. 12h² + 13h per layer plus (V+s)·h embeddings.
 * Gated MLPs (SwiGLU/GeGLU) have three d_model×d_ff matrices instead of two (Shazeer 2020, "GLU Variants
 * Improve Transformer", https://arxiv.org/abs/2002.05202); grouped-query attention shrinks K and V to
 * `kvHeads` heads (Ainslie et al. 2023, https://arxiv.org/abs/2305.13245); multi-head latent attention
 * follows DeepSeek-AI 2024, "DeepSeek-V3 Technical Report" (https://arxiv.org/abs/2412.19437) §2.1.1.
 */
export function paramCounts(m: ModelArch): ParamCounts {
  const layers = transformerLayerParams(m);
  const embedding = embeddingParams(m);
  const finalNorm = normParams(m);
  return {
    total: layers.total + embedding + finalNorm,
    active: layers.active + embedding + finalNorm,
    embedding,
  };
}

/**
 * Parameters of all transformer layers, without embeddings and the final norm: `total`, and for an
 * MoE model `active`, what one token passes through (its `expertsPerToken` routed experts).
 */
export function transformerLayerParams(m: ModelArch): { total: number; active: number } {
  const attention = attentionParams(m) + 2 * normParams(m); // two norms per layer (pre-attention, pre-MLP)
  const dense = mlpParams(m, m.ffnHidden);
  if (!m.moe) return { total: m.layers * (attention + dense), active: m.layers * (attention + dense) };
  const { experts, expertsPerToken, sharedExperts, expertFfnHidden, sharedExpertFfnHidden } = m.moe;
  const router = m.dModel * experts;
  const routed = mlpParams(m, expertFfnHidden);
  const shared = sharedExperts * mlpParams(m, sharedExpertFfnHidden);
  const moeLayers = moeLayerCount(m);
  const denseLayers = m.layers - moeLayers;
  return {
    total: denseLayers * (attention + dense) + moeLayers * (attention + router + shared + experts * routed),
    active: denseLayers * (attention + dense) + moeLayers * (attention + router + shared + expertsPerToken * routed),
  };
}

/**
 * Layers whose MLP is a mixture of experts: of the layers after the leading dense ones, every
 * `moeEvery`-th (layer i counts when (i + 1) is a multiple of the step, as Llama 4's
 * `interleave_moe_layer_step` and Qwen2-MoE's `decoder_sparse_step` place them). The rest use the
 * dense MLP of width `ffnHidden`. Zero for a dense model.
 */
export function moeLayerCount(m: { layers: number; moe?: { denseLayers: number; moeEvery?: number } | undefined }): number {
  if (!m.moe) return 0;
  return Math.floor((m.layers - m.moe.denseLayers) / (m.moe.moeEvery ?? 1));
}

/** Parameters of one normalisation layer: LayerNorm has a gain and a bias, RMSNorm only a gain. */
export function normParams(m: Pick<ModelArch, 'norm' | 'dModel'>): number {
  return m.norm === 'layernorm' ? 2 * m.dModel : m.dModel;
}

/** Parameters of one attention block (projections and their biases, no norms). */
export function attentionParams(m: ModelArch): number {
  const d = m.dModel;
  if (m.mla) {
    const { qLoraRank, kvLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim } = m.mla;
    const qkHead = qkNopeHeadDim + qkRopeHeadDim;
    // Queries: down-projection, its RMSNorm, up-projection (or one full projection when rank is 0).
    const q = qLoraRank > 0 ? d * qLoraRank + qLoraRank + qLoraRank * m.heads * qkHead : d * m.heads * qkHead;
    // Keys/values: joint down-projection (plus the shared RoPE key), its RMSNorm, up-projection to K and V.
    const kv = d * (kvLoraRank + qkRopeHeadDim) + kvLoraRank + kvLoraRank * m.heads * (qkNopeHeadDim + vHeadDim);
    const out = m.heads * vHeadDim * d;
    return q + kv + out;
  }
  const qWidth = m.heads * m.dHead;
  const kvWidth = m.kvHeads * m.dHead;
  // Transformer-XL relative encodings project the sinusoidal position signal per layer (W_R, d × heads·d_head):
  // Dai et al. 2019, "Transformer-XL", §3.3 (https://arxiv.org/abs/1901.02860); used by Gopher and Chinchilla.
  const relative = m.positionEmbedding === 'relative' ? d * qWidth : 0;
  const weights = d * qWidth + 2 * d * kvWidth + qWidth * d + relative;
  const qkvBias = m.bias === 'none' ? 0 : qWidth + 2 * kvWidth;
  const outBias = m.bias === 'all' ? d : 0;
  return weights + qkvBias + outBias;
}

/** Whether an MLP kind is gated (SwiGLU, GeGLU: Shazeer 2020, "GLU Variants Improve Transformer", https://arxiv.org/abs/2002.05202). */
export function isGatedMlp(mlp: ModelArch['mlp'] | undefined): boolean {
  return mlp === 'swiglu' || mlp === 'geglu';
}

/** Matrices in one MLP: two for GELU/ReLU (up, down), three for gated units (gate, up, down). */
export function mlpMatrices(m: Pick<ModelArch, 'mlp'>): number {
  return isGatedMlp(m.mlp) ? 3 : 2;
}

/** Parameters of one MLP of hidden width `ffnHidden`, biases included when the model has them. */
export function mlpParams(m: ModelArch, ffnHidden: number): number {
  const matrices = mlpMatrices(m);
  const weights = matrices * m.dModel * ffnHidden;
  const bias = m.bias === 'all' ? (matrices - 1) * ffnHidden + m.dModel : 0;
  return weights + bias;
}

/** Token embedding, learned position embedding, and the output head when it is not tied. */
export function embeddingParams(m: ModelArch): number {
  const tokens = m.vocab * m.dModel;
  const positions = m.positionEmbedding === 'learned' ? m.seqLen * m.dModel : 0;
  const head = m.tiedEmbeddings ? 0 : m.vocab * m.dModel;
  return tokens + positions + head;
}

/**
 * Parameters of the routed experts in all layers (not the router or shared experts): the part of a
 * mixture of experts that expert parallelism spreads over its ranks. 0 for dense models.
 */
export function routedExpertParams(m: ModelArch): number {
  if (!m.moe) return 0;
  // The difference a zero-width expert makes, so that however MoE layers are counted this follows.
  return transformerLayerParams(m).total - transformerLayerParams({ ...m, moe: { ...m.moe, expertFfnHidden: 0 } }).total;
}

/**
 * Parameters inside the weight matrices a token passes through in one forward pass (all layers, no
 * biases, norms or embedding lookups; the output projection onto the vocabulary is counted separately
 * by the FLOPs formulas). This is the "matmul parameter" count behind 2 FLOPs per parameter per token.
 */
export function activeMatmulParamsPerToken(m: ModelArch): number {
  const noBias: ModelArch = { ...m, bias: 'none' };
  const attention = m.mla ? attentionParams(noBias) - m.mla.qLoraRank - m.mla.kvLoraRank : attentionParams(noBias);
  const dense = mlpParams(noBias, m.ffnHidden);
  if (!m.moe) return m.layers * (attention + dense);
  const { expertsPerToken, sharedExperts, expertFfnHidden, sharedExpertFfnHidden, experts } = m.moe;
  const moeMlp = expertsPerToken * mlpParams(noBias, expertFfnHidden) + sharedExperts * mlpParams(noBias, sharedExpertFfnHidden) + m.dModel * experts; // router
  const moeLayers = moeLayerCount(m);
  return (m.layers - moeLayers) * (attention + dense) + moeLayers * (attention + moeMlp);
}
