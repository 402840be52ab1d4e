/**
 * Search of parallel layouts: every TP inside a node, PP dividing the layers, DP the rest, micro-batch,
 * ZeRO stage, recomputation and interleaving; keep those that fit in memory and rank them by step time.
 */
import {
  type MemoryBreakdown,
  type MemoryOptions,
  DEFAULT_MEMORY_OPTIONS,
  SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES,
  archParamCounts,
  layerActivationBytes,
  memoryPerGpu,
} from './memory.js';
import {
  type ParallelPlan,
  SEARCHED_RECOMPUTE_MODES,
  type Recompute,
  ZERO_STAGES,
  type ZeroStage,
  divisors,
  greatestCommonDivisor,
  interleavable,
  stageLayers,
} from './parallel.js';
import {
  type ArchFlopTerms,
  DEFAULT_PERF_CONSTANTS,
  DEFAULT_PERF_OPTIONS,
  type PerfConstants,
  type PerfHardware,
  type PerfOptions,
  type StepTime,
  archFlopTerms,
  stepSecondsLowerBound,
  stepTime,
} from './perf.js';
import { smallestCountMeeting } from './plan.js';
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
  /** Context-parallel size (default: searched for sequences of CONTEXT_PARALLEL_FROM_TOKENS or more, else 1). */
  cp?: number;
  /** Expert-parallel size (default: searched for mixtures of experts, else 1). */
  ep?: number;
  /** The experts' own tensor-parallel size (default: expertTensorParallel's rule). */
  etp?: number;
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
  /** The layout needing least memory when none fits (null when one does, or when there is no layout at all). */
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

/** Largest GPU count the fewest-GPUs search considers (reports say "none up to a million"). */
export const MINIMUM_GPUS_SEARCH_LIMIT = 1_000_000;

/** Micro-batch sizes tried, in sequences: these powers of two, and one more (microBatchChoices). */
const MICRO_BATCHES = [1, 2, 4, 8, 16] as const;

/**
 * The micro-batches tried for a replica's share of the batch: the powers of two, and the largest size
 * up to 16 that divides the share exactly when that is not one of them. Frameworks accept any size
 * (llm-foundry's MPT benchmarks ran 13B at 40 sequences a micro-batch), and without it a share of 5
 * sequences could only run as five micro-batches of one. One size, not every divisor, keeps the search
 * near its size: on GPT-3's default 1,024 GPUs it weighs 2,556 layouts instead of 2,394 (every divisor: 3,924).
 */
function microBatchChoices(perReplica: number): readonly number[] {
  const largest = MICRO_BATCHES[MICRO_BATCHES.length - 1] as number;
  let divisor = Math.min(largest, perReplica);
  while (perReplica % divisor !== 0) divisor--;
  return (MICRO_BATCHES as readonly number[]).includes(divisor) ? MICRO_BATCHES : [...MICRO_BATCHES, divisor];
}
/**
 * Model chunks per pipeline stage tried for the interleaved schedule: every count up to 8 that
 * divides a stage's layers (interleavable), as Megatron-LM accepts any such count
 * (--num-layers-per-virtual-pipeline-stage), not powers of two only: Mixtral 8x22B's 56 layers on
 * 8 stages interleave in 7 chunks of one layer.
 */
const VIRTUAL_STAGES = [1, 2, 3, 4, 5, 6, 7, 8] as const;

/**
 * Sequences at least this long are also tried with context parallelism, over CONTEXT_PARALLEL_SIZES.
 * Below it a sequence's activations fit without splitting it (Llama 3 trained 8K sequences without
 * CP and 128K with CP 16, https://arxiv.org/abs/2407.21783, Table 4), and the search stays small.
 */
export const CONTEXT_PARALLEL_FROM_TOKENS = 16_384;
const CONTEXT_PARALLEL_SIZES = [1, 2, 4, 8, 16, 32] as const;

/**
 * One shape of layout: everything but the ZeRO stage and the recomputation, which `zeros` and
 * `recomputes` list in the order the search tries them.
 */
interface Shape {
  tp: number;
  pp: number;
  dp: number;
  cp: number;
  ep: number;
  etp?: number;
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
  const { arch, gpus, hardware, constraints: c = {} } = input;
  const tps = c.tp !== undefined ? [c.tp] : tensorParallelSizes(arch, hardware.gpusPerNode);
  const recomputes = c.recompute !== undefined ? [c.recompute] : SEARCHED_RECOMPUTE_MODES;
  const shape: Shape = { tp: 0, pp: 0, dp: 0, cp: 1, ep: 1, microBatch: 0, globalBatch: 0, sequenceParallel: false, virtualStages: 0, zeros: [], recomputes };
  for (const tp of tps) {
    for (const cp of contextParallelSizes(arch, c)) {
      if (gpus % (tp * cp) !== 0) continue;
      shape.cp = cp;
      forEachPipeline(input, tp, cp, shape, visit);
    }
  }
}

/** Context-parallel sizes a search tries: the user's, else powers of two splitting long sequences into 2·CP equal chunks. */
function contextParallelSizes(arch: ModelArch, c: LayoutConstraints): readonly number[] {
  if (c.cp !== undefined) return [c.cp];
  if (arch.seqLen < CONTEXT_PARALLEL_FROM_TOKENS) return [1];
  return CONTEXT_PARALLEL_SIZES.filter((cp) => arch.seqLen % (2 * cp) === 0);
}

/** The pipeline, data-parallel, micro-batch and interleaving choices of forEachShape for one TP and CP. */
function forEachPipeline(input: Omit<SearchInput, 'memoryCapacityBytes'>, tp: number, cp: number, shape: Shape, visit: (shape: Shape) => void): void {
  const { arch, gpus, constraints: c = {} } = input;
  const rest = gpus / (tp * cp);
  const pps = c.pp !== undefined ? [c.pp] : pipelineSizes(arch.layers, rest);
  for (const pp of pps) {
    if (rest % pp !== 0 || stageLayers(arch.layers, pp) === null) continue;
    const dp = rest / pp;
    if (c.dp !== undefined && c.dp !== dp) continue;
    // ZeRO-1 costs no time over ZeRO-0 in this model and saves memory, so 0 is only tried alone.
    const zeros = c.zero !== undefined ? [c.zero] : dp * cp > 1 ? NONZERO_STAGES : ZERO_ONLY;
    for (const ep of expertParallelSizes(arch, dp * cp, c, tp * dp * cp)) {
      // A given expert TP must tile the ranks with EP.
      if (c.etp !== undefined && (tp * dp * cp) % (ep * c.etp) !== 0) continue;
      shape.ep = ep;
      if (c.etp !== undefined) shape.etp = c.etp;
      forEachBatching(input, { tp, cp, pp, dp, zeros }, shape, visit);
    }
  }
}

/**
 * Expert-parallel sizes a search tries for a mixture of experts: the user's, else the powers of two
 * that divide both the DP × CP ranks it is carved from and the routed experts. 1 for dense models.
 */
function expertParallelSizes(arch: ModelArch, dataRanks: number, c: LayoutConstraints, foldable = dataRanks): readonly number[] {
  // A given EP may also fold over the TP ranks (MoE Parallel Folding; expertTensorParallel).
  if (c.ep !== undefined) return foldable % c.ep === 0 ? [c.ep] : [];
  if (!arch.moe) return [1];
  const sizes: number[] = [];
  for (let ep = 1; ep <= dataRanks && ep <= arch.moe.experts; ep *= 2) {
    if (dataRanks % ep === 0 && arch.moe.experts % ep === 0) sizes.push(ep);
  }
  return sizes;
}

/** The micro-batch and interleaving choices of forEachShape for one TP, CP, PP, DP and EP. */
function forEachBatching(
  input: Omit<SearchInput, 'memoryCapacityBytes'>,
  at: { tp: number; cp: number; pp: number; dp: number; zeros: readonly ZeroStage[] },
  shape: Shape,
  visit: (shape: Shape) => void,
): void {
  const { arch, globalBatch, constraints: c = {} } = input;
  const { tp, pp, dp, zeros } = at;
  const microBatches = c.microBatch !== undefined ? [c.microBatch] : microBatchChoices(Math.ceil(globalBatch / dp));
  const vs = c.virtualStages !== undefined ? [c.virtualStages] : VIRTUAL_STAGES;
  for (const microBatch of microBatches) {
    const split = microBatch * dp;
    const batch = Math.ceil(globalBatch / split) * split;
    if (batch !== globalBatch && batch > globalBatch * (1 + (input.batchSlack ?? 0))) continue;
    const m = batch / split;
    for (const virtualStages of vs) {
      // Megatron-Core's interleaved schedule needs at least as many micro-batches as stages: it
      // runs them in groups of N (--microbatch-group-size-per-virtual-stage, pp ≤ N ≤ m, the
      // remainder 0 or ≥ pp), which N = m always meets (NVIDIA/Megatron-LM commit 4295be1a,
      // megatron/core/pipeline_parallel/schedules.py, replaced the older m % pp = 0 rule).
      if (!interleavable(arch.layers, pp, virtualStages) || (virtualStages > 1 && m < pp)) continue;
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

/**
 * Pipeline sizes a search tries: those that divide both the layers and the GPUs left (the divisors of
 * their greatest common divisor, not of the layers alone, which a model of 10^15 layers makes a long
 * loop), and the powers of two up to UNEVEN_PIPELINE_MAX that divide the GPUs and split the layers
 * unevenly (stageLayers), as DeepSeek-V3's 61 layers ran on 16 stages and Llama 3 405B's 126.
 */
function pipelineSizes(layers: number, gpus: number): number[] {
  const even = divisors(greatestCommonDivisor(layers, gpus));
  const uneven: number[] = [];
  for (let pp = 2; pp <= Math.min(UNEVEN_PIPELINE_MAX, gpus, layers - 1); pp *= 2) {
    if (gpus % pp === 0 && layers % pp !== 0 && stageLayers(layers, pp) !== null) uneven.push(pp);
  }
  return [...even, ...uneven];
}

/** Largest pipeline of uneven stages the search tries (Llama 3 405B and DeepSeek-V3 ran 16). */
const UNEVEN_PIPELINE_MAX = 16;

/** Tensor-parallel sizes a search tries: those that divide both the node and the attention heads (1 always does). */
function tensorParallelSizes(arch: ModelArch, gpusPerNode: number): number[] {
  return divisors(gpusPerNode).filter((t) => arch.heads % t === 0);
}

/**
 * The widest of tensorParallelSizes(arch, gpusPerNode) that also divides `gpus` (any of them does
 * when `gpus` is the node size), without building the list: large sweeps ask once per row.
 */
function widestTensorParallel(arch: ModelArch, gpusPerNode: number, gpus = gpusPerNode): number {
  for (let t = Math.min(gpusPerNode, gpus); t > 1; t--) {
    if (gpusPerNode % t === 0 && arch.heads % t === 0 && gpus % t === 0) return t;
  }
  return 1;
}

const NONZERO_STAGES = ZERO_STAGES.filter((z) => z > 0);
const ZERO_ONLY: readonly ZeroStage[] = [0];

/** Every layout the search considers, in its order (ZeRO stage, then recomputation, innermost). */
export function candidatePlans(input: Omit<SearchInput, 'memoryCapacityBytes'>): ParallelPlan[] {
  const plans: ParallelPlan[] = [];
  forEachShape(input, (shape) => {
    for (const zero of shape.zeros) {
      for (const recompute of shape.recomputes) {
        const plan = {} as ParallelPlan;
        setPlan(plan, shape, zero, recompute);
        plans.push(plan);
      }
    }
  });
  return plans;
}

/**
 * The layouts of one shape in one ZeRO class (stages 0–2, which take the same time here, or stage 3),
 * with a lower bound on the step time of every one of them: stepSecondsLowerBound of the least
 * recomputation, since more recomputation never takes less time.
 */
interface Group {
  shape: Shape;
  /** Indexes into shape.zeros of the class's stages. */
  zeroFrom: number;
  zeroTo: number;
  /** Position of the shape's first layout in candidatePlans order (ties go to the earlier layout). */
  first: number;
  bound: number;
}

export function searchLayouts(input: SearchInput): LayoutSearch {
  const search = startSearch(input);
  const { groups, evaluated } = groupShapes(input, search);
  // Once two layouts that fit are known, a group whose bound is above the slower of them cannot hold
  // the fastest or the runner-up, and neither can any group after it.
  for (const group of inOrderOfBound(groups)) {
    if (search.runnerUp !== null && group.bound > search.runnerUp.candidate.step.stepSeconds) break;
    searchGroup(search, group);
  }
  return searchResult(search, evaluated);
}

/** One search under way: its inputs, the layout being checked, and what it has kept so far. */
interface Search {
  arch: ModelArch;
  hardware: PerfHardware;
  capacity: number;
  constants: PerfConstants;
  perfOptions: PerfOptions;
  memoryOptions: MemoryOptions;
  terms: ArchFlopTerms;
  /**
   * One plan and one memory breakdown are filled in for every layout checked, and copied for the
   * few kept: the search runs cold in every CLI call, where each allocation counts.
   */
  plan: ParallelPlan;
  memory: MemoryBreakdown;
  best: Ranked | null;
  runnerUp: Ranked | null;
  leastMemory: { plan: ParallelPlan; memory: MemoryBreakdown; index: number } | null;
}

function startSearch(input: SearchInput): Search {
  return {
    arch: input.arch,
    hardware: input.hardware,
    capacity: input.memoryCapacityBytes,
    constants: input.constants ?? DEFAULT_PERF_CONSTANTS,
    perfOptions: input.perfOptions ?? DEFAULT_PERF_OPTIONS,
    memoryOptions: input.memoryOptions ?? DEFAULT_MEMORY_OPTIONS,
    terms: archFlopTerms(input.arch),
    plan: { tp: 1, pp: 1, dp: 1, microBatch: 1, globalBatch: 1, zero: 0, recompute: 'none', sequenceParallel: false, virtualStages: 1 },
    memory: { weightsBytes: 0, gradientsBytes: 0, optimizerBytes: 0, activationsBytes: 0, overheadBytes: 0, totalBytes: 0, paramsPerGpu: 0 },
    best: null,
    runnerUp: null,
    leastMemory: null,
  };
}

/**
 * Every shape split into its ZeRO classes, each group with the lower bound of its step time; and the
 * number of layouts the shapes hold.
 */
function groupShapes(input: SearchInput, search: Search): { groups: Group[]; evaluated: number } {
  const groups: Group[] = [];
  let evaluated = 0;
  forEachShape(input, (visited) => {
    const shape = { ...visited };
    const { zeros, recomputes } = shape;
    setPlan(search.plan, shape, zeros[0] as ZeroStage, recomputes[0] as Recompute);
    const bound = stepSecondsLowerBound(search.arch, search.plan, search.hardware, search.constants, search.terms, search.perfOptions);
    const zero3At = zeros.indexOf(3);
    const split = zero3At < 0 ? zeros.length : zero3At;
    if (split > 0) groups.push({ shape, zeroFrom: 0, zeroTo: split, first: evaluated, bound });
    if (split < zeros.length) groups.push({ shape, zeroFrom: split, zeroTo: zeros.length, first: evaluated, bound });
    evaluated += zeros.length * recomputes.length;
  });
  return { groups, evaluated };
}

/**
 * Checks one group: when even its leanest layout (its highest ZeRO stage, the most recomputation)
 * does not fit, none of it does, and that layout is all it can add to the leanest overall; when it
 * fits, some layout of the group does, so the leanest overall is not needed.
 */
function searchGroup(search: Search, group: Group): void {
  const { shape } = group;
  setPlan(search.plan, shape, shape.zeros[group.zeroFrom] as ZeroStage, shape.recomputes[0] as Recompute);
  const leanZero = group.zeroTo - 1;
  const leanLevel = shape.recomputes.length - 1;
  const leanTotal = memoryOf(search, shape, leanZero, leanLevel);
  if (leanTotal > search.capacity) keepIfLeanest(search, group.first + leanZero * shape.recomputes.length + leanLevel, leanTotal);
  else rankFittingLayouts(search, group);
}

/** Total bytes per GPU of the plan (which holds the shape) at one ZeRO stage and recomputation of the shape. */
function memoryOf(search: Search, shape: Shape, z: number, r: number): number {
  search.plan.zero = shape.zeros[z] as ZeroStage;
  search.plan.recompute = shape.recomputes[r] as Recompute;
  return memoryPerGpu(search.arch, search.plan, search.memoryOptions, search.terms, search.memory).totalBytes;
}

/** Keeps the layout just checked as the leanest so far, while no layout fits (ties go to the earlier). */
function keepIfLeanest(search: Search, index: number, total: number): void {
  const lean = search.leastMemory;
  if (search.best !== null) return;
  if (lean === null || total < lean.memory.totalBytes || (total === lean.memory.totalBytes && index < lean.index)) {
    search.leastMemory = { plan: { ...search.plan }, memory: { ...search.memory }, index };
  }
}

/**
 * Times the group's layouts that fit and keeps the fastest two. Dominated layouts are skipped.
 * Within a group, more recomputation (none < selective < full) is never faster and ZeRO-1 and
 * ZeRO-2 take the same time: once a layout fits, one with as much recomputation or more can be
 * neither the fastest nor a runner-up worth naming (a slower twin of another layout), and the
 * leanest layout matters only when nothing fits.
 */
function rankFittingLayouts(search: Search, group: Group): void {
  const { shape } = group;
  const recomputes = shape.recomputes;
  // Step times by recomputation: the same for every stage of the class.
  const steps: StepTime[] = [];
  let fittedLevel = Infinity;
  for (let z = group.zeroFrom; z < group.zeroTo; z++) {
    for (let r = 0; r < recomputes.length; r++) {
      if (r >= fittedLevel) break;
      if (memoryOf(search, shape, z, r) > search.capacity) continue;
      fittedLevel = r;
      const step = (steps[r] ??= timeOf(search, search.plan));
      keepIfFaster(search, step, group.first + z * recomputes.length + r);
    }
  }
}

/** Keeps the layout just checked as the fastest or the runner-up, when it is either. */
function keepIfFaster(search: Search, step: StepTime, index: number): void {
  const { best, runnerUp } = search;
  const beatsBest = best === null || precedes(step.stepSeconds, index, best);
  if (!beatsBest && runnerUp !== null && !precedes(step.stepSeconds, index, runnerUp)) return;
  const kept: Ranked = { candidate: { plan: { ...search.plan }, memory: { ...search.memory }, step, fits: true }, index };
  if (beatsBest) {
    search.runnerUp = best;
    search.best = kept;
  } else {
    search.runnerUp = kept;
  }
}

function timeOf(search: Search, plan: ParallelPlan): StepTime {
  return stepTime(search.arch, plan, search.hardware, search.constants, search.perfOptions, search.terms);
}

/** The fastest two that fit, or, when none does, the leanest layout (timed only now). */
function searchResult(search: Search, evaluated: number): LayoutSearch {
  if (search.best !== null) return { best: search.best.candidate, runnerUp: search.runnerUp?.candidate ?? null, leastMemory: null, evaluated };
  const least = search.leastMemory;
  const lean = least && { plan: least.plan, memory: least.memory, step: timeOf(search, least.plan), fits: false };
  return { best: null, runnerUp: null, leastMemory: lean, evaluated };
}

/**
 * The groups by bound, ties in the order they were made (candidatePlans order): what a stable sort
 * by (bound, first) gives, without a comparison function. Every CLI call runs the search cold, and
 * a comparator called a few thousand times is enough for V8 to compile it with its optimising
 * compiler, which the process then waits for at exit (about 7 ms on the development machine).
 */
function inOrderOfBound(groups: Group[]): Group[] {
  const bounds = new Float64Array(groups.length);
  const byBound = new Map<number, Group[]>();
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] as Group;
    bounds[i] = group.bound;
    const same = byBound.get(group.bound);
    if (same) same.push(group);
    else byBound.set(group.bound, [group]);
  }
  bounds.sort(); // a typed array sorts numerically, natively
  const ordered: Group[] = [];
  for (let i = 0; i < bounds.length; i++) {
    if (i > 0 && bounds[i] === bounds[i - 1]) continue;
    for (const group of byBound.get(bounds[i] as number) as Group[]) ordered.push(group);
  }
  return ordered;
}

/** Fills `plan` with a shape and its ZeRO stage and recomputation. */
function setPlan(plan: ParallelPlan, shape: Shape, zero: ZeroStage, recompute: Recompute): void {
  plan.tp = shape.tp;
  plan.pp = shape.pp;
  plan.dp = shape.dp;
  plan.cp = shape.cp;
  plan.ep = shape.ep;
  if (shape.etp === undefined) delete plan.etp;
  else plan.etp = shape.etp;
  plan.microBatch = shape.microBatch;
  plan.globalBatch = shape.globalBatch;
  plan.zero = zero;
  plan.recompute = recompute;
  plan.sequenceParallel = shape.sequenceParallel;
  plan.virtualStages = shape.virtualStages;
}

/** A layout that fits and its position in candidatePlans order. */
interface Ranked {
  candidate: LayoutCandidate;
  index: number;
}

/** Shorter step first; of two equal, the earlier in candidatePlans order (what a plain scan keeps). */
function precedes(stepSeconds: number, index: number, other: Ranked): boolean {
  const theirs = other.candidate.step.stepSeconds;
  return stepSeconds < theirs || (stepSeconds === theirs && index < other.index);
}

/** The memory-leanest settings of a layout: ZeRO-3, full recomputation, one sequence per micro-batch, no interleaving. */
export const LEAN_CONSTRAINTS = { zero: 3, recompute: 'full', microBatch: 1, virtualStages: 1 } as const satisfies LayoutConstraints;

/**
 * The leanest layout without a search, for large sweeps: the widest TP the search would try (a
 * divisor of the node size that divides the heads) that also divides the GPU count, no pipeline,
 * ZeRO-3 over the rest, full recomputation with sequence parallelism, micro-batch 1.
 */
export function leanPlan(arch: ModelArch, gpus: number, globalBatch: number, gpusPerNode: number): ParallelPlan {
  const tp = widestTensorParallel(arch, gpusPerNode, gpus);
  const dp = gpus / tp;
  return {
    tp,
    pp: 1,
    dp,
    microBatch: LEAN_CONSTRAINTS.microBatch,
    globalBatch: Math.max(globalBatch, dp),
    zero: LEAN_CONSTRAINTS.zero,
    recompute: LEAN_CONSTRAINTS.recompute,
    sequenceParallel: tp > 1,
    virtualStages: LEAN_CONSTRAINTS.virtualStages,
  };
}

/**
 * The fewest GPUs on which some layout fits in memory, trying counts from a lower bound upward
 * (memory-lean settings only: ZeRO-3, full recomputation, micro-batch 1; the global batch may be
 * rounded up as the estimate's own search allows). Null when none up to `maxGpus`.
 */
export function minimumGpus(input: Omit<SearchInput, 'gpus' | 'constraints'>, maxGpus = MINIMUM_GPUS_SEARCH_LIMIT): number | null {
  const memoryOptions = input.memoryOptions ?? DEFAULT_MEMORY_OPTIONS;
  const counts = archParamCounts(input.arch);
  const perGpuState = memoryPerGpu(
    input.arch,
    { tp: 1, pp: 1, dp: 1, microBatch: 1, globalBatch: 1, zero: 0, recompute: 'full', sequenceParallel: false, virtualStages: 1 },
    { ...memoryOptions, frameworkOverhead: false },
    counts,
  );
  // The smaller, one-GPU allowance: a lower bound must not exclude a count on which the model fits.
  const room = input.memoryCapacityBytes - (memoryOptions.frameworkOverhead ? SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES : 0);
  // Memory per GPU only shrinks with wider TP, deeper PP and wider DP (ZeRO-3 over DP, one layer
  // per stage at most PP, fewer micro-batches in flight), so no layout needs less than this corner:
  // the widest TP in a node, a stage per layer, and as many replicas as the batch allows (at one
  // sequence per micro-batch, DP cannot exceed the batch, rounded up by at most the slack). When even
  // it does not fit, no count does; nor can a count beyond TP × PP × DP at that corner have a layout.
  const batchSlack = input.batchSlack ?? MINIMUM_GPUS_BATCH_SLACK;
  const widestTp = widestTensorParallel(input.arch, input.hardware.gpusPerNode);
  const widestCp = Math.max(...contextParallelSizes(input.arch, {}));
  const widestDp = Math.max(1, Math.floor(input.globalBatch * (1 + batchSlack)));
  const widestEp = Math.max(...expertParallelSizes(input.arch, widestDp * widestCp, {}));
  const corner: ParallelPlan = {
    tp: widestTp,
    pp: input.arch.layers,
    dp: widestDp,
    microBatch: 1,
    globalBatch: input.globalBatch,
    zero: 3,
    recompute: 'full',
    sequenceParallel: widestTp > 1,
    virtualStages: 1,
    cp: widestCp,
    ep: widestEp,
  };
  // ZeRO-3 shards weights only without a pipeline (shardsWeightsThroughStep): the corner without one counts too.
  const flat: ParallelPlan = { ...corner, pp: 1 };
  const leanest = Math.min(
    memoryPerGpu(input.arch, corner, memoryOptions, counts).totalBytes,
    memoryPerGpu(input.arch, flat, memoryOptions, counts).totalBytes,
  );
  if (leanest > input.memoryCapacityBytes) return null;
  const mostGpus = Math.min(maxGpus, widestTp * widestCp * input.arch.layers * widestDp);
  // On n GPUs, every layout holds at least 1/n of the model state (ZeRO-3 over the replicas of a
  // TP × PP split) and, under 1F1B, L/PP layers of min(PP, B/DP) micro-batches of activations at
  // TP ≤ the widest: at least min(L / widest TP, L·B / n) layers at TP 1. Both fall with n, so the
  // scan starts at the smallest n where their sum fits.
  const stateBytes = perGpuState.weightsBytes + perGpuState.gradientsBytes + perGpuState.optimizerBytes;
  const layerAtTp1 = layerActivationBytes(input.arch, { tp: 1, microBatch: 1, recompute: 'full', sequenceParallel: false, cp: widestCp });
  const layers = input.arch.layers;
  const mayFit = (gpus: number): boolean => stateBytes / gpus + layerAtTp1 * Math.min(layers / widestTp, (layers * input.globalBatch) / gpus) <= room;
  const low = mostGpus < 1 ? null : smallestCountMeeting({ step: 1, min: 1, max: mostGpus, meets: mayFit });
  if (low === null) return null;
  for (let n = low; n <= mostGpus; n++) {
    for (const plan of candidatePlans({ ...input, gpus: n, constraints: LEAN_CONSTRAINTS, batchSlack })) {
      if (memoryPerGpu(input.arch, plan, memoryOptions, counts).totalBytes <= input.memoryCapacityBytes) return n;
    }
  }
  return null;
}
