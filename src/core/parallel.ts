/**
 * A parallel layout: tensor (TP), pipeline (PP) and data (DP) parallelism, micro-batching, ZeRO
 * sharding and activation recomputation, as in Megatron-LM (Narayanan et al. 2021,
 * https://arxiv.org/abs/2104.04473, §2) and ZeRO (Rajbhandari et al. 2020, https://arxiv.org/abs/1910.02054).
 */

/**
 * Activation recomputation: none; selective, the attention scores (Korthikanti et al. 2022); op,
 * TorchTitan's per-op policy (per-op-recompute.ts); full, every layer from its input.
 */
export const RECOMPUTE_MODES = ['none', 'selective', 'op', 'full'] as const;
export type Recompute = (typeof RECOMPUTE_MODES)[number];

/**
 * The modes the layout search tries when the user fixes none: per-op recomputation is a framework's
 * policy (TorchTitan's), taken only when asked for, so that a search over Megatron-style layouts does
 * not pick what Megatron cannot run.
 */
export const SEARCHED_RECOMPUTE_MODES = ['none', 'selective', 'full'] as const satisfies readonly Recompute[];

/** How a layout's recomputation reads in a sentence: "no recompute", "full recompute". */
export const RECOMPUTE_PHRASE: Record<Recompute, string> = {
  none: 'no recompute',
  selective: 'selective recompute',
  op: 'per-op selective recompute',
  full: 'full recompute',
};

export const ZERO_STAGES = [0, 1, 2, 3] as const;
export type ZeroStage = (typeof ZERO_STAGES)[number];

export interface ParallelPlan {
  tp: number;
  pp: number;
  dp: number;
  /** Sequences per micro-batch on one pipeline. */
  microBatch: number;
  /** Sequences per optimizer step, across all data-parallel replicas. */
  globalBatch: number;
  /** 0: none; 1: optimizer state, 2: + gradients, 3: + weights sharded across DP (FSDP ≈ 3). */
  zero: ZeroStage;
  recompute: Recompute;
  /** Megatron sequence parallelism: LayerNorm/dropout activations split across the TP group. */
  sequenceParallel: boolean;
  /** Model chunks per pipeline stage (interleaved 1F1B schedule); 1 = plain 1F1B. */
  virtualStages: number;
  /**
   * Context-parallel ranks each sequence is split across (absent: 1). They hold the same weights and
   * join the data-parallel ranks in gradient reduction and ZeRO sharding, as in Megatron-Core.
   */
  cp?: number;
  /**
   * Expert-parallel ranks the routed experts of a mixture of experts are spread over (absent: 1).
   * They are carved out of the DP × CP ranks, as in Megatron-Core: each holds experts/EP experts
   * (split by TP like the dense weights), and the experts' gradients are reduced over the DP × CP ÷ EP
   * ranks that hold the same experts (Megatron-Core MoE,
   * https://github.com/NVIDIA/Megatron-LM/blob/main/megatron/core/transformer/moe/README.md). An EP
   * that does not divide DP × CP folds over the TP ranks too, its experts then unsplit by TP (MoE
   * Parallel Folding, Liu et al. 2025, https://arxiv.org/abs/2504.14960): see expertTensorParallel.
   */
  ep?: number;
  /**
   * Tensor-parallel size of the routed experts, when a run sets it apart from the attention's
   * (Megatron-Core's --expert-tensor-parallel-size; MoE Parallel Folding runs experts at 1 under
   * attention TP 2). Absent: expertTensorParallel decides.
   */
  etp?: number;
}

/** Context-parallel size of a plan (1 when absent). */
export const contextParallel = (p: { cp?: number }): number => p.cp ?? 1;

/** Expert-parallel size of a plan (1 when absent). */
export const expertParallel = (p: { ep?: number }): number => p.ep ?? 1;

/**
 * The tensor-parallel split of the routed experts: TP's, when EP is carved out of DP × CP; 1 when EP
 * folds over the TP ranks as well (expertParallel).
 */
export function expertTensorParallel(p: Pick<ParallelPlan, 'tp' | 'dp' | 'cp' | 'ep' | 'etp'>): number {
  if (p.etp !== undefined) return p.etp;
  return (p.dp * contextParallel(p)) % expertParallel(p) === 0 ? p.tp : 1;
}

/** Ranks that hold the same experts, over which their gradients are reduced and ZeRO shards them. */
export function expertDataRanks(p: Pick<ParallelPlan, 'tp' | 'dp' | 'cp' | 'ep' | 'etp'>): number {
  return (p.tp * p.dp * contextParallel(p)) / (expertParallel(p) * expertTensorParallel(p));
}

/**
 * Whether ZeRO-3/FSDP keeps weights and gradients sharded through the step. Under pipeline
 * parallelism FSDP does not: TorchTitan leaves the weights gathered after the forward when PP is on
 * (its "default" reshard_after_forward policy, torchtitan/distributed/fsdp.py), and PyTorch's pipeline
 * stages turn off gradient reduction for all but the last micro-batch (torch/distributed/pipelining/
 * stage.py), as Llama 3 405B trained (https://arxiv.org/abs/2407.21783, §3.3.2). Weights are then
 * gathered and gradients reduce-scattered once per step, and a stage holds its whole weights and
 * gradients, as under ZeRO-1. DeepSpeed does not combine ZeRO-3 with its pipeline engine at all.
 */
export const shardsWeightsThroughStep = (p: { zero: number; pp: number }): boolean => p.zero >= 3 && p.pp === 1;

/** GPUs a plan occupies. */
export const planGpus = (p: Pick<ParallelPlan, 'tp' | 'pp' | 'dp' | 'cp'>): number => p.tp * contextParallel(p) * p.pp * p.dp;

/** Micro-batches each pipeline processes per optimizer step: B / (b · DP). */
export const microBatchesPerStep = (p: Pick<ParallelPlan, 'globalBatch' | 'microBatch' | 'dp'>): number => p.globalBatch / (p.microBatch * p.dp);

/**
 * Micro-batch slots a pipeline spends idle in its fill/drain bubble: (p − 1) / v, so the bubble is
 * (p − 1) / (m · v) of the ideal time (Narayanan et al. 2021 §2.2.1 for 1F1B, §2.2.2 for the
 * interleaved schedule).
 */
export function pipelineBubbleSlots(p: Pick<ParallelPlan, 'pp' | 'virtualStages'>): number {
  return (p.pp - 1) / p.virtualStages;
}

/**
 * Transformer layers per pipeline stage. Layers that divide evenly go L/p to every stage. Otherwise
 * the stages in the middle take ⌈L/p⌉ each and the first and last stages, which also hold the
 * embedding and the loss, share the rest, the first taking the larger half: Megatron-LM's
 * --decoder-first-pipeline-num-layers and --decoder-last-pipeline-num-layers (NVIDIA/Megatron-LM,
 * megatron/training/arguments.py), as Llama 3 405B ran 126 layers on 16 stages, 7 + 14 × 8 + 7
 * (Llama 3 Herd of Models, https://arxiv.org/abs/2407.21783, §3.3.2). Null when the rest is
 * negative: no such split exists.
 */
export function stageLayers(layers: number, pp: number): { first: number; middle: number; last: number } | null {
  if (pp === 1) return { first: layers, middle: layers, last: layers };
  if (layers % pp === 0) return { first: layers / pp, middle: layers / pp, last: layers / pp };
  const middle = Math.ceil(layers / pp);
  const rest = layers - (pp - 2) * middle;
  if (rest < 0) return null;
  const first = Math.ceil(rest / 2);
  return { first, middle, last: rest - first };
}

/**
 * Whether a stage's layers can be cut into `virtualStages` model chunks: the middle stages' layers
 * must divide evenly (Megatron-LM's interleaved schedule, Narayanan et al. 2021 §2.2.2).
 */
export function interleavable(layers: number, pp: number, virtualStages: number): boolean {
  if (virtualStages === 1) return true;
  const stages = stageLayers(layers, pp);
  return pp > 1 && stages !== null && stages.middle % virtualStages === 0;
}

/** Positive divisors of n, ascending. */
export function divisors(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 1; i * i <= n; i++) {
    if (n % i === 0) {
      small.push(i);
      if (i * i !== n) large.unshift(n / i);
    }
  }
  return [...small, ...large];
}

/** Greatest common divisor of two positive integers (Euclid). */
export function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}
