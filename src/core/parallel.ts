/**
 * A parallel layout: tensor (TP), pipeline (PP) and data (DP) parallelism, micro-batching, ZeRO
 * sharding and activation recomputation, as in Megatron-LM (Narayanan et al. 2021,
 * https://arxiv.org/abs/2104.04473, §2) and ZeRO (Rajbhandari et al. 2020, https://arxiv.org/abs/1910.02054).
 */

export const RECOMPUTE_MODES = ['none', 'selective', 'full'] as const;
export type Recompute = (typeof RECOMPUTE_MODES)[number];

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
}

/** GPUs a plan occupies. */
export const planGpus = (p: Pick<ParallelPlan, 'tp' | 'pp' | 'dp'>): number => p.tp * p.pp * p.dp;

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
