/**
 * Search of parallel layouts: every TP inside a node, PP dividing the layers, DP the rest, micro-batch,
 * ZeRO stage, recomputation and interleaving; keep those that fit in memory and rank them by step time.
 */
import { type MemoryBreakdown, type MemoryOptions, DEFAULT_MEMORY_OPTIONS, memoryPerGpu } from './memory.js';
import { type ParallelPlan, RECOMPUTE_MODES, type Recompute, ZERO_STAGES, type ZeroStage, divisors } from './parallel.js';
import { DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS, type PerfConstants, type PerfHardware, type PerfOptions, type StepTime, archFlopTerms, stepTime } from './perf.js';
import type { ModelArch } from './types.js';

/** Parts of the layout the user fixed (flags); the search fills in the rest. */
export interface LayoutConstraints {
  tp?: number;
  pp?: number;
  dp?: number;
  microBatch?: number;
  zero?: ZeroStage;
  recompute?: Recompute;
  virtualStages?: number;
  /** Megatron sequence parallelism (default: on whenever TP > 1). */
  sequenceParallel?: boolean;
}

export interface LayoutCandidate {
  plan: ParallelPlan;
  memory: MemoryBreakdown;
  step: StepTime;
  fits: boolean;
}

export interface LayoutSearch {
  /** Fastest layout that fits, or null when none does. */
  best: LayoutCandidate | null;
  /** Second fastest layout that fits. */
  runnerUp: LayoutCandidate | null;
  /** The layout needing least memory (what to report when nothing fits). */
  leastMemory: LayoutCandidate | null;
  evaluated: number;
}

export interface SearchInput {
  arch: ModelArch;
  gpus: number;
  /** Sequences per optimizer step. */
  globalBatch: number;
  hardware: PerfHardware;
  memoryCapacityBytes: number;
  constraints?: LayoutConstraints;
  constants?: PerfConstants;
  perfOptions?: PerfOptions;
  memoryOptions?: MemoryOptions;
  /**
   * Allow layouts whose data-parallel replicas cannot split the global batch evenly by rounding the
   * batch up, by at most this fraction (0: exact splits only).
   */
  batchSlack?: number;
}

/** Batch rounding the minimum-GPU search allows, as the estimate's fallback search does. */
export const MINIMUM_GPUS_BATCH_SLACK = 0.25;

/** Micro-batch sizes tried, in sequences. */
export const MICRO_BATCHES = [1, 2, 4, 8, 16] as const;
/** Model chunks per pipeline stage tried for the interleaved schedule. */
export const VIRTUAL_STAGES = [1, 2, 4] as const;

/**
 * One shape of layout: everything but the ZeRO stage and the recomputation, which `zeros` and
 * `recomputes` list in the order the search tries them.
 */
interface Shape {
  tp: number;
  pp: number;
  dp: number;
  microBatch: number;
  /** The global batch, rounded up so that DP × micro-batch divides it. */
  globalBatch: number;
  sequenceParallel: boolean;
  virtualStages: number;
  zeros: readonly ZeroStage[];
  recomputes: readonly Recompute[];
}

/**
 * Calls `visit` for every layout shape the constraints allow: TP dividing the node and the heads, PP
 * dividing the layers, DP the rest, each micro-batch size, each interleaving. Exact splits of the
 * batch only, or batches rounded up by at most `batchSlack`. The shape object is reused: copy it.
 */
function forEachShape(input: Omit<SearchInput, 'memoryCapacityBytes'>, visit: (shape: Shape) => void): void {
  const { arch, gpus, globalBatch, hardware, constraints: c = {} } = input;
  const tps = c.tp !== undefined ? [c.tp] : divisors(hardware.gpusPerNode).filter((t) => arch.heads % t === 0);
  const microBatches = c.microBatch !== undefined ? [c.microBatch] : MICRO_BATCHES;
  const recomputes = c.recompute !== undefined ? [c.recompute] : RECOMPUTE_MODES;
  const vs = c.virtualStages !== undefined ? [c.virtualStages] : VIRTUAL_STAGES;
  const shape: Shape = { tp: 0, pp: 0, dp: 0, microBatch: 0, globalBatch: 0, sequenceParallel: false, virtualStages: 0, zeros: [], recomputes };
  for (const tp of tps) {
    if (gpus % tp !== 0) continue;
    const pps = c.pp !== undefined ? [c.pp] : divisors(arch.layers).filter((p) => (gpus / tp) % p === 0);
    for (const pp of pps) {
      if ((gpus / tp) % pp !== 0) continue;
      const dp = gpus / (tp * pp);
      if (c.dp !== undefined && c.dp !== dp) continue;
      // ZeRO-1 costs no time over ZeRO-0 in this model and saves memory, so 0 is only tried alone.
      const zeros = c.zero !== undefined ? [c.zero] : dp > 1 ? NONZERO_STAGES : ZERO_ONLY;
      for (const microBatch of microBatches) {
        const split = microBatch * dp;
        const batch = Math.ceil(globalBatch / split) * split;
        if (batch !== globalBatch && batch > globalBatch * (1 + (input.batchSlack ?? 0))) continue;
        const m = batch / split;
        for (const virtualStages of vs) {
          // Interleaving needs several layers per stage and micro-batches in multiples of the stages.
          if (virtualStages > 1 && (pp === 1 || (arch.layers / pp) % virtualStages !== 0 || m % pp !== 0)) continue;
          shape.tp = tp;
          shape.pp = pp;
          shape.dp = dp;
          shape.microBatch = microBatch;
          shape.globalBatch = batch;
          shape.sequenceParallel = tp > 1 && c.sequenceParallel !== false;
          shape.virtualStages = virtualStages;
          shape.zeros = zeros;
          visit(shape);
        }
      }
    }
  }
}

const NONZERO_STAGES = ZERO_STAGES.filter((z) => z > 0);
const ZERO_ONLY: readonly ZeroStage[] = [0];

function planOf(shape: Shape, zero: ZeroStage, recompute: Recompute): ParallelPlan {
  const { tp, pp, dp, microBatch, globalBatch, sequenceParallel, virtualStages } = shape;
  return { tp, pp, dp, microBatch, globalBatch, zero, recompute, sequenceParallel, virtualStages };
}

/** Every layout the search considers, in its order (ZeRO stage, then recomputation, innermost). */
export function candidatePlans(input: Omit<SearchInput, 'memoryCapacityBytes'>): ParallelPlan[] {
  const plans: ParallelPlan[] = [];
  forEachShape(input, (shape) => {
    for (const zero of shape.zeros) for (const recompute of shape.recomputes) plans.push(planOf(shape, zero, recompute));
  });
  return plans;
}

export function searchLayouts(input: SearchInput): LayoutSearch {
  const constants = input.constants ?? DEFAULT_PERF_CONSTANTS;
  const perfOptions = input.perfOptions ?? DEFAULT_PERF_OPTIONS;
  const memoryOptions = input.memoryOptions ?? DEFAULT_MEMORY_OPTIONS;
  const { arch, hardware, memoryCapacityBytes: capacity } = input;
  const terms = archFlopTerms(arch);
  let best: LayoutCandidate | null = null;
  let runnerUp: LayoutCandidate | null = null;
  let leastMemory: LayoutCandidate | null = null;
  let evaluated = 0;
  // Step times of the shape's ZeRO 0–2 layouts by recomputation: those stages take the same time
  // here (they differ in memory only).
  const stepBelowZero3: (StepTime | undefined)[] = [];
  forEachShape(input, (shape) => {
    evaluated += shape.zeros.length * shape.recomputes.length;
    stepBelowZero3.length = 0;
    // Dominated candidates are counted but not evaluated. Within one shape, ZeRO-1 and ZeRO-2 take
    // the same time, and more recomputation (none < selective < full) takes more. Once a candidate
    // fits, one of the same shape and ZeRO class (3, or below 3) with as much recomputation or more
    // is no faster: it can be neither the fastest nor a runner-up worth naming (a slower twin of
    // another layout), and the leanest layout matters only when nothing fits. These hold the least
    // recomputation (index in RECOMPUTE_MODES) of a candidate that fits, per ZeRO class.
    let fittedBelowZero3 = Infinity;
    let fittedZero3 = Infinity;
    for (const zero of shape.zeros) {
      for (const recompute of shape.recomputes) {
        const level = RECOMPUTE_MODES.indexOf(recompute);
        if (level >= (zero === 3 ? fittedZero3 : fittedBelowZero3)) continue;
        const plan = planOf(shape, zero, recompute);
        const memory = memoryPerGpu(arch, plan, memoryOptions, terms);
        const fits = memory.totalBytes <= capacity;
        if (fits) {
          if (zero === 3) fittedZero3 = level;
          else fittedBelowZero3 = level;
        } else if (leastMemory !== null && memory.totalBytes >= leastMemory.memory.totalBytes) {
          continue;
        }
        let step = zero === 3 ? undefined : stepBelowZero3[level];
        if (step === undefined) {
          step = stepTime(arch, plan, hardware, constants, perfOptions, terms);
          if (zero !== 3) stepBelowZero3[level] = step;
        }
        const candidate: LayoutCandidate = { plan, memory, step, fits };
        if (leastMemory === null || memory.totalBytes < leastMemory.memory.totalBytes) leastMemory = candidate;
        if (!fits) continue;
        if (best === null || step.stepSeconds < best.step.stepSeconds) {
          runnerUp = best;
          best = candidate;
        } else if (runnerUp === null || step.stepSeconds < runnerUp.step.stepSeconds) {
          runnerUp = candidate;
        }
      }
    }
  });
  return { best, runnerUp, leastMemory, evaluated };
}

/**
 * The fewest GPUs on which some layout fits in memory, trying counts from a lower bound upward
 * (memory-lean settings only: ZeRO-3, full recomputation, micro-batch 1; the global batch may be
 * rounded up as the estimate's own search allows). Null when none up to `maxGpus`.
 */
export function minimumGpus(input: Omit<SearchInput, 'gpus' | 'constraints'>, maxGpus = 1_000_000): number | null {
  const memoryOptions = input.memoryOptions ?? DEFAULT_MEMORY_OPTIONS;
  const lean: LayoutConstraints = { zero: 3, recompute: 'full', microBatch: 1, virtualStages: 1 };
  const perGpuState = memoryPerGpu(input.arch, { tp: 1, pp: 1, dp: 1, microBatch: 1, globalBatch: 1, zero: 0, recompute: 'full', sequenceParallel: false, virtualStages: 1 }, { ...memoryOptions, frameworkOverhead: false });
  const room = input.memoryCapacityBytes - (memoryOptions.frameworkOverhead ? perGpuState.overheadBytes || 0 : 0);
  const stateBytes = perGpuState.weightsBytes + perGpuState.gradientsBytes + perGpuState.optimizerBytes;
  let n = Math.max(1, Math.floor(stateBytes / Math.max(room, 1)));
  for (; n <= maxGpus; n++) {
    for (const plan of candidatePlans({ ...input, gpus: n, constraints: lean, batchSlack: input.batchSlack ?? MINIMUM_GPUS_BATCH_SLACK })) {
      if (memoryPerGpu(input.arch, plan, memoryOptions).totalBytes <= input.memoryCapacityBytes) return n;
    }
  }
  return null;
}
