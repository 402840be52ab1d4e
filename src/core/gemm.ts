/**
 * Time of a transformer layer's matrix multiplications from their shapes. Each weight GEMM of the
 * layer is taken at its own (M, N, K) on one tensor-parallel rank, and its efficiency follows from
 * a roofline (Williams et al. 2009, "Roofline: an insightful visual performance model",
 * https://doi.org/10.1145/1498765.1498785): the kernel's compute time at the GPU's best achievable
 * rate plus the time to move its operands through device memory. Small M, N or K leaves a GEMM
 * memory-bound, as NVIDIA's "Matrix Multiplication Background User's Guide" shows
 * (https://docs.nvidia.com/deeplearning/performance/dl-performance-matrix-multiplication/index.html,
 * "Math and memory bounds"). The model has no parameter per model or per run: the ceiling per GPU
 * generation and precision, and one traffic factor for all GPUs (PerfConstants).
 */
import { mlpMatrices, moeLayerCount } from './params.js';
import type { ModelArch } from './types.js';

/** One GEMM: an (M × K) by (K × N) product, `count` times. */
export interface GemmShape {
  m: number;
  n: number;
  k: number;
  count: number;
  /** A routed expert's GEMM, which waits for the busiest expert (PerfOptions.expertImbalance). */
  expert?: boolean;
}

/** What a GEMM's efficiency depends on besides its shape. */
export interface GemmHardware {
  /** Fraction of dense peak the GPU's best GEMM kernels reach on large shapes at this precision. */
  efficiencyMax: number;
  /** Dense peak ÷ memory bandwidth at this precision, FLOP per byte (the roofline's ridge point). */
  ridgeFlopsPerByte: number;
  /** Bytes per element of the GEMM's inputs (2 for BF16, 1 for FP8); outputs are written in 16 bits. */
  inputBytes: number;
}

/** Bytes per element of a GEMM's output: BF16 in mixed-precision training, FP8 GEMMs included (Transformer Engine writes BF16). */
const OUTPUT_BYTES = 2;

/**
 * Achieved fraction of peak of one GEMM. Compute at `efficiencyMax` of peak and the operand traffic
 * (inputs M·K + K·N, output M·N, times `trafficFactor` for re-reads the tiling cannot avoid) at
 * the memory bandwidth, added rather than overlapped:
 * 1 / efficiency = 1 / efficiencyMax + ridge · trafficFactor · bytes / (2·M·N·K).
 */
export function gemmEfficiency(g: Pick<GemmShape, 'm' | 'n' | 'k'>, hw: GemmHardware, trafficFactor: number): number {
  const bytesPerFlop = (hw.inputBytes * (g.m * g.k + g.k * g.n) + OUTPUT_BYTES * g.m * g.n) / (2 * g.m * g.n * g.k);
  return 1 / (1 / hw.efficiencyMax + hw.ridgeFlopsPerByte * trafficFactor * bytesPerFlop);
}

/** Forward FLOPs of a list of GEMMs. */
export function gemmFlops(shapes: readonly GemmShape[]): number {
  let flops = 0;
  for (const g of shapes) flops += 2 * g.m * g.n * g.k * g.count;
  return flops;
}

/**
 * Forward seconds of a list of GEMMs at `peakFlopsPerSecond`, each at its own efficiency; routed
 * experts' GEMMs take `expertImbalance` times as long (the busiest expert-parallel rank sets the pace).
 */
export function gemmSeconds(shapes: readonly GemmShape[], peakFlopsPerSecond: number, hw: GemmHardware, trafficFactor: number, expertImbalance = 1): number {
  let seconds = 0;
  for (const g of shapes) {
    const t = (2 * g.m * g.n * g.k * g.count) / (peakFlopsPerSecond * gemmEfficiency(g, hw, trafficFactor));
    seconds += g.expert ? t * expertImbalance : t;
  }
  return seconds;
}

/**
 * The weight GEMMs of one average transformer layer in the forward pass on one of `tp` tensor-parallel
 * ranks, for `tokens` tokens (M). Megatron's split (Shoeybi et al. 2019, https://arxiv.org/abs/1909.08053,
 * §3): the QKV and MLP-up projections split their outputs (N ÷ t), the attention output and MLP-down
 * projections their inputs (K ÷ t). The backward pass runs the same shapes transposed (the data and
 * weight gradients), which take the same time in this model.
 *
 * A mixture of experts' routed experts each see tokens × top-k ÷ experts tokens on average; MLA's
 * low-rank projections are taken at their own widths; the dense layers of an MoE model and its MoE
 * layers (leading ones, and those between MoE layers when `moeEvery` > 1) are averaged by their count. The router and MLA's down-projections are replicated on every
 * TP rank rather than split (Megatron-Core's MoE router and MLA layers).
 */
export function layerGemmShapes(a: ModelArch, tokens: number, tp: number, ep = 1, etp = tp): GemmShape[] {
  const shapes = [...attentionProjections(a, tokens, tp)];
  const gated = mlpMatrices(a) === 3 ? 2 : 1;
  const mlp = (width: number, m: number, count: number, split = tp, expert = false): GemmShape[] => [
    { m, k: a.dModel, n: (gated * width) / split, count, expert },
    { m, k: width / split, n: a.dModel, count, expert },
  ];
  if (!a.moe) return [...shapes, ...mlp(a.ffnHidden, tokens, 1)];
  const { experts, expertsPerToken, sharedExperts, expertFfnHidden, sharedExpertFfnHidden } = a.moe;
  const moeShare = moeLayerCount(a) / a.layers;
  const denseShare = 1 - moeShare;
  // Under expert parallelism a rank holds experts/EP experts, split by the experts' own TP (etp), and
  // receives the tokens its EP peers route to them: its share of the layer's expert FLOPs is 1/tp.
  const expertTokens = Math.max(1, (tokens * ep * expertsPerToken * etp) / (experts * tp));
  return [
    ...shapes,
    ...(denseShare > 0 ? mlp(a.ffnHidden, tokens, denseShare) : []),
    { m: tokens, k: a.dModel, n: experts, count: moeShare },
    ...(sharedExperts > 0 ? mlp(sharedExpertFfnHidden, tokens, sharedExperts * moeShare) : []),
    ...mlp(expertFfnHidden, expertTokens, (experts / ep) * moeShare, etp, true),
  ];
}

function attentionProjections(a: ModelArch, tokens: number, tp: number): GemmShape[] {
  const h = a.dModel;
  if (a.mla) {
    const { qLoraRank, kvLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim } = a.mla;
    const qkHead = qkNopeHeadDim + qkRopeHeadDim;
    const q: GemmShape[] =
      qLoraRank > 0
        ? [
            { m: tokens, k: h, n: qLoraRank, count: 1 },
            { m: tokens, k: qLoraRank, n: (a.heads * qkHead) / tp, count: 1 },
          ]
        : [{ m: tokens, k: h, n: (a.heads * qkHead) / tp, count: 1 }];
    return [
      ...q,
      { m: tokens, k: h, n: kvLoraRank + qkRopeHeadDim, count: 1 },
      { m: tokens, k: kvLoraRank, n: (a.heads * (qkNopeHeadDim + vHeadDim)) / tp, count: 1 },
      { m: tokens, k: (a.heads * vHeadDim) / tp, n: h, count: 1 },
    ];
  }
  const qWidth = a.heads * a.dHead;
  const kvWidth = a.kvHeads * a.dHead;
  const relative = a.positionEmbedding === 'relative' ? [{ m: tokens, k: h, n: qWidth / tp, count: 1 }] : [];
  return [{ m: tokens, k: h, n: (qWidth + 2 * kvWidth) / tp, count: 1 }, { m: tokens, k: qWidth / tp, n: h, count: 1 }, ...relative];
}

/**
 * The score and value matmuls of eager attention for `sequences` sequences of `seqLen` tokens on one
 * rank holding `headsPerRank` heads: Q·Kᵀ (s × d_head by d_head × s) and scores·V (s × s by
 * s × d_head) per head, as batched GEMMs.
 */
export function eagerAttentionShapes(seqLen: number, dHead: number, headsPerRank: number, sequences: number): GemmShape[] {
  const count = headsPerRank * sequences;
  return [
    { m: seqLen, k: dHead, n: seqLen, count },
    { m: seqLen, k: seqLen, n: dHead, count },
  ];
}
