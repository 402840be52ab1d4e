/**
 * Planning backwards: compute-optimal model size and tokens for a FLOP budget, and the smallest
 * cluster that meets a deadline.
 */
import { CHINCHILLA_TOKENS_PER_PARAM } from './constants.js';
import { FLOP_PER_MAC, TRAIN_PASSES } from './flops.js';

/** Training FLOPs per parameter per token in the 6·N·D approximation the Chinchilla fits are stated in. */
export const CHINCHILLA_FLOPS_PER_PARAM_TOKEN = FLOP_PER_MAC * TRAIN_PASSES;

export interface ComputeOptimal {
  params: number;
  tokens: number;
}

/**
 * Compute-optimal parameters and tokens for a budget of C FLOPs (counted as 6·N·D), by Hoffmann et al.
 * 2022, "Training Compute-Optimal Large Language Models" (https://arxiv.org/abs/2203.15556): Approaches 1
 * and 2 find N_opt ∝ C^a and D_opt ∝ C^b with a ≈ b ≈ 0.5 (Table 2: a = 0.50 / 0.49, b = 0.50 / 0.51),
 * and Table 3 puts the optimum near 20 tokens per parameter (67B parameters and 1.5T tokens for
 * 5.76e23 FLOPs; Chinchilla itself: 70B and 1.4T). With D = 20·N and C = 6·N·D: N = √(C / 120), D = 20·N.
 * Approach 3's parametric fit (a = 0.46) gives smaller models at large budgets; it is not used here.
 */
export function chinchillaOptimal(flops: number, tokensPerParam = CHINCHILLA_TOKENS_PER_PARAM): ComputeOptimal {
  const params = Math.sqrt(flops / (CHINCHILLA_FLOPS_PER_PARAM_TOKEN * tokensPerParam));
  return { params, tokens: tokensPerParam * params };
}

/**
 * Relative slack for floating-point error when comparing a computed value with a target it was
 * solved to meet exactly (a count of 64.00000000001 nodes is 64 nodes; a cost a rounding error over
 * the budget is within it).
 */
export const SOLVED_VALUE_TOLERANCE = 1e-9;

/** The smallest multiple of `step` that is ≥ `value` (and ≥ step). */
export function roundUpToMultiple(value: number, step: number): number {
  return Math.max(step, Math.ceil(value / step - SOLVED_VALUE_TOLERANCE) * step);
}

export interface CountSearch {
  /** Counts are multiples of this (GPUs per node). */
  step: number;
  /** Smallest count allowed (a multiple of step). */
  min: number;
  /** Largest count tried (a multiple of step). */
  max: number;
  /** Whether a count meets the target. Assumed monotone: once met, met for every larger count. */
  meets: (count: number) => boolean;
}

/**
 * The smallest multiple of `step` in [min, max] for which `meets` holds, or null when none does: doubling
 * from `min` until it holds, then bisecting between the last count that failed and the first that met.
 * O(log(max/min)) evaluations of `meets`.
 */
export function smallestCountMeeting(s: CountSearch): number | null {
  let lo = s.min; // the largest count known to fail, once one has
  if (s.meets(lo)) return lo;
  let hi = lo;
  while (!s.meets(hi)) {
    if (hi >= s.max) return null;
    lo = hi;
    hi = Math.min(s.max, hi * 2);
  }
  // lo fails, hi meets; bisect in units of step.
  while (hi - lo > s.step) {
    const mid = lo + Math.floor((hi - lo) / s.step / 2) * s.step;
    if (s.meets(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
