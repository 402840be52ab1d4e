/**
 * Per-op selective activation checkpointing (`--recompute op`), TorchTitan's default "selective"
 * mode for dense models (selective_ac_option = "op" in its Llama training configs). Each transformer
 * block runs under torch.utils.checkpoint with a policy that keeps the outputs of some operators for
 * the backward pass and recomputes everything else (torchtitan/parallelisms/parallelize_llama.py at
 * 9dec370, `_save_list` and `_custom_policy`,
 * https://github.com/pytorch/torchtitan/blob/9dec370ad26b5f8e9a7333a0e36165018262644b/torchtitan/parallelisms/parallelize_llama.py):
 * - every second matrix product (aten.mm) of the block in forward order is kept, the first, third,
 *   fifth and seventh: of a Llama block's q, k, v, output, gate, up and down projections, q, v, gate
 *   and down; k, output and up are recomputed (GPT's fc1 is kept and fc2 recomputed);
 * - scaled_dot_product_attention's outputs are kept, so attention is not recomputed;
 * - reduce-scatters are kept (so sequence parallelism's reduce-scatters are not repeated; its
 *   all-gathers, and all-reduces without it, are);
 * - norms, rotary embeddings, activations, products and residual additions are recomputed.
 * The block's input is kept, as checkpointing keeps it. Dense models with separate q, k and v
 * projections only: mixtures of experts and MLA are refused where a request is resolved. LoRA's
 * adapter products are matrix products too and shift which projections are kept; they are not
 * counted, so a LoRA fine-tune under this policy is counted as its base would be.
 */
import { type GemmShape, gemmFlops, layerGemmShapes } from './gemm.js';
import { isGatedMlp } from './params.js';
import type { ModelArch } from './types.js';

/** Bytes of scaled_dot_product_attention's 32-bit log-sum-exp per head and token, kept with its output. */
const LOGSUMEXP_BYTES = 4;

/** The widths of a layer's attention projections: the query's (heads × dHead) and each of K's and V's. */
function projectionWidths(m: ModelArch): { q: number; kv: number } {
  return { q: m.heads * m.dHead, kv: m.kvHeads * m.dHead };
}

/**
 * Bytes one layer keeps per token on one TP rank between its forward and backward passes: the
 * block's input (2h, sequence-split under sequence parallelism), the kept projections' outputs
 * (column-parallel ones split over TP; the down projection's is a partial sum, whole on every rank),
 * attention's output and log-sum-exp, and under sequence parallelism the two reduce-scatters' outputs.
 */
export function perOpHeldBytesPerToken(m: ModelArch, tp: number, sequenceParallel: boolean): number {
  const h = m.dModel;
  const { q, kv } = projectionWidths(m);
  const input = (2 * h) / (sequenceParallel ? tp : 1);
  // Kept: q (1st), v (3rd), gate or fc1 (5th), attention's output and log-sum-exp.
  const columnParallel = 2 * q + 2 * kv + 2 * m.ffnHidden + 2 * q + LOGSUMEXP_BYTES * m.heads;
  // A gated MLP's down projection is the 7th product, kept; GPT's fc2 is the 6th, recomputed.
  const down = isGatedMlp(m.mlp) ? 2 * h : 0;
  const reduceScatters = sequenceParallel && tp > 1 ? (2 * 2 * h) / tp : 0;
  return input + columnParallel / tp + down + reduceScatters;
}

/** The projections recomputed in the backward pass, per token (k, output, and up or fc2), as GEMMs of `tokens` rows on one TP rank. */
export function perOpRecomputedShapes(m: ModelArch, tokens: number, tp: number): GemmShape[] {
  const h = m.dModel;
  const { q, kv } = projectionWidths(m);
  return [
    { m: tokens, k: h, n: kv / tp, count: 1 },
    { m: tokens, k: q / tp, n: h, count: 1 },
    isGatedMlp(m.mlp) ? { m: tokens, k: h, n: m.ffnHidden / tp, count: 1 } : { m: tokens, k: m.ffnHidden / tp, n: h, count: 1 },
  ];
}

/** Weights of the recomputed projections in one layer (all TP ranks together): their forward FLOPs are 2 × this a token. */
export function perOpRecomputedParamsPerLayer(m: ModelArch): number {
  return gemmFlops(perOpRecomputedShapes(m, 1, 1)) / 2;
}

/** The recomputed projections' share of a dense layer's weight GEMMs (gemm.ts's shapes of the layer). */
export function perOpRecomputedShare(m: ModelArch): number {
  return gemmFlops(perOpRecomputedShapes(m, 1, 1)) / gemmFlops(layerGemmShapes(m, 1, 1));
}

/** Whether per-op recomputation is modelled for a model: dense, with separate attention projections (not MLA). */
export function perOpRecomputeModelled(m: ModelArch): boolean {
  return !m.moe && !m.mla;
}
