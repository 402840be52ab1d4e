/**
 * `gpucost plan`: work backwards from a deadline (→ GPUs), a budget in dollars or FLOPs (→ tokens, or
 * model size and tokens) and compute-optimality (→ Chinchilla's N and D). Every candidate is priced by
 * the same pipeline as `estimate` (resolveEstimate → computeEstimate), so scaling models, prices,
 * interruptions and future performance models all apply.
 */
import { RANGE_END_PHRASE, type RangeEnd } from '../core/enums.js';
import { formatGrouped } from '../core/grouping.js';
import { CHINCHILLA_TOKENS_PER_PARAM } from '../core/constants.js';
import {
  CHINCHILLA_FLOPS_PER_PARAM_TOKEN,
  chinchillaOptimal,
  type ComputeOptimal,
  roundUpToMultiple,
  SOLVED_VALUE_TOLERANCE,
  smallestCountMeeting,
} from '../core/plan.js';
import { formatQuantity } from '../core/quantity.js';
import { secondsToDays } from '../core/units.js';
import { type Warning, blockingCheck, warning } from '../core/warnings.js';
import { GpucostError } from '../errors.js';
import { normalizeId, type Registry } from '../presets/catalog.js';
import type { GpuPreset } from '../presets/schema.js';
import { type ComputedEstimate, computeEstimate } from './compute.js';
import { type EstimateRequest, type ResolvedEstimate, resolveEstimate } from './estimate.js';
import { evaluateMinimumGpus } from './evaluate-layout.js';
import { ARCH_OVERRIDE_KEYS } from './arch-overrides.js';
import { DEFAULT_GPUS_PER_NODE } from './layout.js';
import { isInterruptionsOutpaceProgress } from './money.js';

/**
 * TPUs are allocated by host, not by pod: a TPU cluster preset's gpusPerNode is the whole ICI domain
 * (256 to 8,960 chips). Four chips per host: a TPU v5p pod has 8,960 chips on 2,240 hosts (Google Cloud,
 * "TPU v5p", https://cloud.google.com/tpu/docs/v5p), and v4 hosts carry 4 chips too.
 */
export const TPU_CHIPS_PER_HOST = 4;

/** Largest GPU count a deadline search tries: a search bound (2^20), not a claim about buildable clusters. */
export const MAX_PLAN_GPUS = 2 ** 20;

/** Rounds of "budget → workload, deadline → GPUs" before giving up when the two keep moving each other. */
export const MAX_PLAN_ROUNDS = 20;

export interface PlanRequest extends Omit<EstimateRequest, 'gpu' | 'gpus'> {
  gpuList?: string[];
  gpusList?: number[];
  /** Finish within this wall-clock, s. */
  deadlineSeconds?: number;
  /**
   * Where in the estimate's range the deadline must be met: at the estimate ('mid', the default) or
   * at the slow end of its range ('high'), for a deadline that must hold wherever the run lands.
   */
  deadlineAt?: RangeEnd;
  /** Spend at most this, USD (needs a price). */
  budgetUsd?: number;
  /** Spend at most this many training FLOPs (6·N·D for --compute-optimal; the run's convention otherwise). */
  flopsBudget?: number;
  computeOptimal?: boolean;
  /**
   * The fewest GPUs whose memory holds the run; plans never go below it (rounded up to whole nodes).
   * Unset: computed by the memory model from the model's architecture (nothing without one).
   */
  minGpusForMemory?: number;
}

export type Solved = 'gpus' | 'tokens' | 'params';

export interface Plan {
  gpu: GpuPreset;
  gpusPerNode: number;
  /** The estimate at the planned configuration; for an infeasible deadline, the fastest one tried. */
  estimate: ComputedEstimate;
  /** null when no GPU count meets the deadline. */
  gpus: number | null;
  feasible: boolean;
  solvedFor: Solved[];
  heldFixed: string[];
  /** The fewest GPUs whose memory holds the run (given, or from the memory model); null when unknown. */
  minGpusForMemory: number | null;
  /** What set the GPU count: the deadline, the memory floor, the user, or the scenario/default. */
  gpusFrom: 'deadline' | 'memory' | 'given' | 'default';
  computeOptimal: (ComputeOptimal & { flops: number; tokensPerParam: number }) | null;
  /** How far a given (N, D) is from the compute-optimal point. */
  distance: { params: number; tokens: number; paramsRatio: number; tokensRatio: number } | null;
  notes: string[];
  warnings: Warning[];
  /** Time and cost at GPU counts around the plan's (--plot): the trade-off the search walked. */
  frontier?: FrontierPoint[];
  /** The model and tokens were both given and the run costs more than the budget (the plan's one failure). */
  overBudget?: boolean;
}

export interface FrontierPoint {
  gpus: number;
  wallClockSeconds: number;
  costUsd: number | null;
}

/** One plan per GPU type (and per count when --gpus lists several without a deadline). */
export function planRows(req: PlanRequest, registry: Registry, options: { frontier?: boolean } = {}): Plan[] {
  checkPlanRequest(req);
  const gpus = req.gpuList ?? [undefined];
  const counts = req.deadlineSeconds === undefined ? (req.gpusList ?? [undefined]) : [undefined];
  const plans: Plan[] = [];
  for (const gpu of gpus) for (const count of counts) plans.push(planOne(req, registry, gpu, count, options.frontier === true));
  return plans;
}

/** Counts on each side of the plan's, in factors of two: enough to see the curve bend. */
const FRONTIER_OCTAVES = 4;

/**
 * The run at whole-node counts from 1/16 to 16 times the plan's (or its fastest try), in factors of
 * two, at the plan's workload: counts no layout can run or that do not fit are left out.
 */
function frontierOf(centre: number, node: number, base: EstimateRequest, workload: Workload, registry: Registry): FrontierPoint[] {
  const counts = new Set<number>([centre]);
  for (let k = -FRONTIER_OCTAVES; k <= FRONTIER_OCTAVES; k++) {
    const n = Math.round((centre * 2 ** k) / node) * node;
    if (n >= node && n <= MAX_PLAN_GPUS) counts.add(n);
  }
  const points: FrontierPoint[] = [];
  for (const gpus of [...counts].sort((a, b) => a - b)) {
    const e = evaluate(base, workload, gpus, registry);
    if (e === null || blockingCheck(e.warnings)) continue;
    points.push({ gpus, wallClockSeconds: e.result.wallClockSeconds, costUsd: e.result.costUsd });
  }
  return points;
}

function checkPlanRequest(req: PlanRequest): void {
  const goals = [req.deadlineSeconds, req.budgetUsd, req.flopsBudget, req.computeOptimal || undefined].filter((x) => x !== undefined);
  if (goals.length === 0) {
    throw new GpucostError('E_INPUT', 'plan needs a goal', 'give --deadline 30d, --budget 2M, --flops-budget 5.76e23 or --compute-optimal');
  }
  if (req.budgetUsd !== undefined && req.flopsBudget !== undefined) {
    throw new GpucostError('E_INPUT', '--budget and --flops-budget are two budgets', 'give one: dollars (--budget) or FLOPs (--flops-budget)');
  }
  if (req.deadlineAt !== undefined && req.deadlineSeconds === undefined) {
    throw new GpucostError('E_INPUT', '--deadline-at says where the deadline is met, and no --deadline is given', 'add --deadline, or drop --deadline-at');
  }
  if (req.deadlineSeconds !== undefined && req.gpusList !== undefined) {
    throw new GpucostError('E_INPUT', '--deadline solves for the GPU count, so --gpus cannot fix it', 'drop --gpus (or --deadline)');
  }
}

/** What the user fixed about the workload. */
interface Given {
  /** A model with an architecture: preset, config file, architecture flags or an explicit scenario. */
  model: boolean;
  params: boolean;
  tokens: boolean;
}

function givenOf(req: PlanRequest): Given {
  return {
    model:
      req.model !== undefined ||
      req.customModel !== undefined ||
      req.layers !== undefined ||
      req.dModel !== undefined ||
      (req.scenario !== undefined && normalizeId(req.scenario) !== 'none'),
    params: req.params !== undefined,
    // A fine-tuning dataset (--dataset-tokens, or --examples and --avg-len) fixes the tokens as --tokens does.
    tokens: req.tokens !== undefined || req.datasetTokens !== undefined || req.examples !== undefined || req.avgLen !== undefined,
  };
}

/** The workload a plan settles on: request overrides plus what was solved and held. */
interface Workload {
  overrides: Partial<EstimateRequest>;
  solvedFor: Solved[];
  heldFixed: string[];
  computeOptimal: Plan['computeOptimal'];
  distance: Plan['distance'];
  notes: string[];
  /** The model and tokens were both given: the budget solves nothing and is a limit the plan is checked against. */
  budgetIsLimit?: boolean;
}

/** A value the probes use for parameters or tokens still unknown: FLOPs are linear in each, so any works. */
const PROBE = 1e9;

function planOne(req: PlanRequest, registry: Registry, gpuId: string | undefined, count: number | undefined, withFrontier: boolean): Plan {
  const base: EstimateRequest = stripPlanFields(req);
  if (gpuId !== undefined) base.gpu = gpuId;
  const notes: string[] = [];
  const warnings: Warning[] = [];
  const start = startingPoint(req, registry, base, count, notes);
  const firstWorkload = solveWorkload(req, registry, base, start.gpus);
  const outcome =
    req.deadlineSeconds === undefined
      ? atStartingCount(registry, base, start, firstWorkload)
      : meetDeadline(req.deadlineSeconds, req, registry, base, start, firstWorkload, notes);
  const { gpus, workload, estimate, settled } = outcome;
  const { feasible, overLimit } = verdict(req, outcome, start.gpu.id, notes);
  if (!settled)
    warnings.push(
      warning('PLAN_NOT_SETTLED', `the budget and the deadline kept moving each other after ${MAX_PLAN_ROUNDS} rounds; the plan may overshoot one`, {
        rounds: MAX_PLAN_ROUNDS,
      }),
    );
  if (estimate === null) {
    throw new GpucostError(
      'E_INPUT',
      notes.at(-1) ?? `interruptions outpace progress on ${gpus} GPUs`,
      'use fewer GPUs, a shorter --restart-time, or a lower --failure-rate',
    );
  }

  if (req.budgetUsd !== undefined && estimate.result.costUsd !== null && estimate.result.costUsd > req.budgetUsd * (1 + SOLVED_VALUE_TOLERANCE)) {
    warnings.push(
      warning('PLAN_BUDGET_EXCEEDED', `costs $${formatGrouped(estimate.result.costUsd)}, over the $${formatGrouped(req.budgetUsd, 3)} budget`, {
        costUsd: estimate.result.costUsd,
        budgetUsd: req.budgetUsd,
      }),
    );
  }
  const solvedFor: Solved[] = req.deadlineSeconds !== undefined ? ['gpus', ...workload.solvedFor] : workload.solvedFor;
  return {
    gpu: start.gpu,
    gpusPerNode: start.node,
    estimate,
    gpus: feasible ? gpus : null,
    feasible,
    solvedFor,
    heldFixed: workload.heldFixed,
    gpusFrom: outcome.gpusFrom,
    minGpusForMemory: start.minGpus ?? null,
    computeOptimal: workload.computeOptimal,
    distance: workload.distance,
    notes: [...workload.notes, ...notes],
    warnings,
    ...(withFrontier ? { frontier: frontierOf(gpus, start.node, base, workload, registry) } : {}),
    ...(overLimit ? { overBudget: true } : {}),
  };
}

/**
 * Whether the outcome is a plan: a count the deadline asks for but no layout can run (a batch too
 * small to spread, a model that does not fit) is no answer, and neither is a run over a budget that
 * is a limit (model and tokens given), which no GPU count brings under. Each says why in the notes.
 */
function verdict(req: PlanRequest, outcome: Outcome, gpuId: string, notes: string[]): { feasible: boolean; overLimit: boolean } {
  const { estimate, gpus } = outcome;
  const blocker = req.deadlineSeconds !== undefined && outcome.feasible && estimate ? blockingCheck(estimate.warnings) : undefined;
  if (blocker) notes.push(`${formatGrouped(gpus)} × ${gpuId} would meet the deadline, but: ${blocker.message}`);
  const over = outcome.feasible && !blocker && outcome.workload.budgetIsLimit && estimate ? overBudget(req, estimate) : null;
  if (over) notes.push(over);
  return { feasible: outcome.feasible && blocker === undefined && over === null, overLimit: over !== null };
}

/** The GPU type, its allocation unit and memory floor, and the count a plan starts from. */
interface Start {
  gpu: GpuPreset;
  /** GPUs per node (gpusPerNode). */
  node: number;
  /** The fewest GPUs whose memory holds the run, given or from the memory model. */
  minGpus: number | undefined;
  /** minGpus rounded up to whole nodes. */
  memoryFloor: number | undefined;
  gpus: number;
  gpusFrom: Plan['gpusFrom'];
}

/**
 * Resolves the run at the given count (the scenario's or the default without one) and raises the
 * count to the memory floor, unless a deadline is about to search for the count anyway.
 */
function startingPoint(req: PlanRequest, registry: Registry, base: EstimateRequest, count: number | undefined, notes: string[]): Start {
  const given = givenOf(req);
  // Probe parameters stand in only where the plan will solve the model size; a deadline alone keeps
  // the workload as described (the scenario's model by default), and so its memory floor.
  const solvesSize = !(given.model || given.params) && (req.budgetUsd !== undefined || req.flopsBudget !== undefined || req.computeOptimal === true);
  const hardware: EstimateRequest = solvesSize ? { ...base, params: PROBE } : { ...base };
  if (count !== undefined) hardware.gpus = count;
  const first = resolveEstimate(hardware, registry);
  // Pre-training takes whole nodes; a fine-tune rents GPUs one at a time (1-, 2- and 4-GPU instances).
  const node = first.finetune ? 1 : gpusPerNode(first);
  // The fewest GPUs whose memory holds the model (src/core/layout-search.ts), unless given.
  const minGpus = req.minGpusForMemory ?? evaluateMinimumGpus(first) ?? undefined;
  const memoryFloor = minGpus === undefined ? undefined : roundUpToMultiple(minGpus, node);

  let gpus = count ?? first.gpus.value;
  let gpusFrom: Plan['gpusFrom'] = count !== undefined ? 'given' : 'default';
  if (memoryFloor !== undefined && gpus < memoryFloor && req.deadlineSeconds === undefined) {
    notes.push(`${gpus} GPUs cannot hold the run in memory; raised to ${memoryFloor} (the memory floor, whole ${node}-GPU nodes)`);
    gpus = memoryFloor;
    gpusFrom = 'memory';
  }
  return { gpu: first.gpu, node, minGpus, memoryFloor, gpus, gpusFrom };
}

/** Where a plan ends: the GPU count, what set it, the workload and the estimate there. */
interface Outcome {
  gpus: number;
  gpusFrom: Plan['gpusFrom'];
  workload: Workload;
  /** false when no GPU count meets the deadline; `estimate` is then the fastest one tried. */
  feasible: boolean;
  /** null when interruptions outpace progress. */
  estimate: ComputedEstimate | null;
  /** false when the budget and the deadline kept moving each other for MAX_PLAN_ROUNDS rounds. */
  settled: boolean;
}

/** Without a deadline a plan stays at its starting count. */
function atStartingCount(registry: Registry, base: EstimateRequest, start: Start, workload: Workload): Outcome {
  return { gpus: start.gpus, gpusFrom: start.gpusFrom, workload, feasible: true, estimate: evaluate(base, workload, start.gpus, registry), settled: true };
}

/**
 * The fewest GPUs that meet the deadline. A dollar budget makes the workload depend on the count
 * and the count on the workload, so the two are solved in turn until the count stays put.
 */
function meetDeadline(
  deadline: number,
  req: PlanRequest,
  registry: Registry,
  base: EstimateRequest,
  start: Start,
  firstWorkload: Workload,
  notes: string[],
): Outcome {
  let { gpus, gpusFrom } = start;
  let workload = firstWorkload;
  // The search's estimate at the count it found, while the workload is still the one it searched with.
  let foundEstimate: ComputedEstimate | null = null;
  const outcome = (settled: boolean): Outcome => ({
    gpus,
    gpusFrom,
    workload,
    feasible: true,
    estimate: foundEstimate ?? evaluate(base, workload, gpus, registry),
    settled,
  });
  for (let round = 0; round < MAX_PLAN_ROUNDS; round += 1) {
    const found = gpusForDeadline(deadline, req.deadlineAt ?? 'mid', base, workload, registry, start.node, start.memoryFloor);
    if (found.gpus === null) {
      const estimate = found.best ?? evaluate(base, workload, gpus, registry);
      notes.push(found.why);
      return { gpus, gpusFrom, workload, feasible: false, estimate, settled: true };
    }
    const next = found.gpus;
    foundEstimate = found.estimate ?? null;
    gpusFrom = start.memoryFloor !== undefined && next === start.memoryFloor && found.meetsAtFloor ? 'memory' : 'deadline';
    const moved = next !== gpus;
    gpus = next;
    if (!moved && round > 0) return outcome(true);
    if (req.budgetUsd === undefined) return outcome(true);
    workload = solveWorkload(req, registry, base, gpus);
    foundEstimate = null;
  }
  return outcome(false);
}

const PLAN_KEYS = ['gpuList', 'gpusList', 'deadlineSeconds', 'deadlineAt', 'budgetUsd', 'flopsBudget', 'computeOptimal', 'minGpusForMemory'] as const;

function stripPlanFields(req: PlanRequest): EstimateRequest {
  const out: Record<string, unknown> = { ...req };
  for (const k of PLAN_KEYS) delete out[k];
  return out as EstimateRequest;
}

/** GPUs per allocation unit: the estimate's cluster node (--cluster, else the GPU's own), TPUs by host, else 8. */
export function gpusPerNode(e: ResolvedEstimate): number {
  if (e.gpu.vendor === 'google') return TPU_CHIPS_PER_HOST;
  return e.cluster?.gpusPerNode ?? DEFAULT_GPUS_PER_NODE;
}

function evaluate(base: EstimateRequest, w: Workload, gpus: number, registry: Registry): ComputedEstimate | null {
  try {
    // Values the plan solved for say so in the assumptions instead of "flag --params".
    const solved = Object.fromEntries(w.solvedFor.filter((k) => k !== 'gpus').map((k) => [k, 'solved by gpucost plan']));
    return computeEstimate(resolveEstimate({ ...base, ...w.overrides, gpus, origins: { ...base.origins, ...solved } }, registry));
  } catch (e) {
    // Interruptions that outpace progress, or a count no layout can run under the step-time model,
    // make that count infeasible, not the plan invalid: the search skips it.
    if (isInterruptionsOutpaceProgress(e) || (e instanceof GpucostError && e.reason === 'no-layout')) return null;
    throw e;
  }
}

/** Relative slack for a wall-clock that meets the deadline up to floating-point rounding. */
const DEADLINE_ROUNDING = 1e-12;

function gpusForDeadline(
  deadline: number,
  deadlineAt: RangeEnd,
  base: EstimateRequest,
  w: Workload,
  registry: Registry,
  node: number,
  memoryFloor: number | undefined,
): { gpus: number | null; meetsAtFloor: boolean; estimate?: ComputedEstimate; best?: ComputedEstimate; why: string } {
  const min = memoryFloor ?? node;
  const max = Math.max(min, Math.floor(MAX_PLAN_GPUS / node) * node);
  const cache = new Map<number, ComputedEstimate | null>();
  const at = (n: number): ComputedEstimate | null => {
    if (!cache.has(n)) cache.set(n, evaluate(base, w, n, registry));
    return cache.get(n) ?? null;
  };
  const inTime = (e: ComputedEstimate): boolean => wallClockAt(e, deadlineAt) <= deadline * (1 + DEADLINE_ROUNDING);
  const meets = (n: number): boolean => {
    const e = at(n);
    return e !== null && inTime(e);
  };
  const fastEnough = smallestCountMeeting({ step: node, min, max, meets });
  const usable = fastEnough === null ? { gpus: null } : firstUsable(fastEnough, node, max, at, inTime);
  if (usable.gpus !== null) return { gpus: usable.gpus, meetsAtFloor: usable.gpus === min, estimate: cache.get(usable.gpus) ?? undefined, why: '' };
  const tried = [...cache.values()].filter((e): e is ComputedEstimate => e !== null && (usable.starved === undefined || usableEstimate(e)));
  const best = tried.sort((a, b) => wallClockAt(a, deadlineAt) - wallClockAt(b, deadlineAt))[0];
  const days = (s: number): string => `${formatGrouped(Number(secondsToDays(s).toPrecision(3)), 3)} days`;
  const starved = usable.starved ? starvedNote(usable.starved) : '';
  const why = best
    ? `no GPU count from ${min} to ${formatGrouped(max)} meets ${days(deadline)}${RANGE_END_PHRASE[deadlineAt]}: the fastest tried, ${formatGrouped(best.resolved.gpus.value)} GPUs, takes ${days(wallClockAt(best, deadlineAt))}${starved}`
    : `no GPU count from ${min} to ${formatGrouped(max)} can finish: interruptions outpace progress`;
  return best ? { gpus: null, meetsAtFloor: false, best, why } : { gpus: null, meetsAtFloor: false, why };
}

/** An estimate's wall-clock at the end of its range a deadline is met at, s. */
function wallClockAt(e: ComputedEstimate, at: RangeEnd): number {
  return at === 'high' ? e.money.wallClockSecondsHigh : e.result.wallClockSeconds;
}

/**
 * Peak × MFU at linear scaling leaves out the time a starved pipeline idles (PIPELINE_STARVED), so its
 * wall-clock for such a count is not one a deadline can be met with. The step-time model prices the
 * idle time, so its estimates are taken as they are.
 */
function idleUncounted(e: ComputedEstimate): boolean {
  return e.resolved.perf.value !== 'model' && e.warnings.some((w) => w.code === 'PIPELINE_STARVED');
}

/** A count a plan can answer with: no error-level check, and no idle time the estimate leaves out. */
function usableEstimate(e: ComputedEstimate): boolean {
  return !blockingCheck(e.warnings) && !idleUncounted(e);
}

/** Why the counts that meet the deadline at linear scaling were passed over: their pipelines starve. */
function starvedNote(e: ComputedEstimate): string {
  const idle = e.warnings.find((w) => w.code === 'PIPELINE_STARVED')?.detail?.idleShare;
  const share = typeof idle === 'number' ? ` ${Math.round(idle * 100)}% of each step` : '';
  const batch = e.resolved.globalBatch?.value;
  const what = batch === undefined ? 'the batch' : `the ${formatGrouped(batch)}-sequence batch`;
  return `; from ${formatGrouped(e.resolved.gpus.value)} GPUs up it would be met at linear scaling, but ${what} leaves the pipeline idle${share}, which peak × MFU does not count: give a larger --global-batch, or --perf model to price the idle time`;
}

/** Node-sized steps tried above the fastest-enough count for one the model can run on. */
const MAX_BLOCKED_STEPS = 512;

/**
 * The first count from `from` up (in node steps) that a plan can answer with (usableEstimate) and
 * that finishes in time: the time to finish falls as GPUs are added, but whether a parallel layout
 * exists for a count (the batch must split over its data-parallel ranks), it fits, or its pipeline
 * starves does not, and under the step-time model a count's layout can make it a little slower than
 * the one below, so the counts just above are tried in turn. None nearby: the first count, whose
 * check the plan reports as its verdict, or no count when the ones that run in time starve their
 * pipelines (with the first such).
 */
function firstUsable(
  from: number,
  step: number,
  max: number,
  at: (n: number) => ComputedEstimate | null,
  inTime: (e: ComputedEstimate) => boolean,
): { gpus: number | null; starved?: ComputedEstimate } {
  let starved: ComputedEstimate | undefined;
  for (let n = from, tries = 0; n <= max && tries <= MAX_BLOCKED_STEPS; n += step, tries += 1) {
    const e = at(n);
    if (e === null || blockingCheck(e.warnings) || !inTime(e)) continue;
    if (!idleUncounted(e)) return { gpus: n };
    starved ??= e;
  }
  return starved ? { gpus: null, starved } : { gpus: from };
}

/** Decides the workload from the budget and compute-optimality at `gpus` GPUs. */
function solveWorkload(req: PlanRequest, registry: Registry, base: EstimateRequest, gpus: number): Workload {
  const given = givenOf(req);
  const w: Workload = { overrides: {}, solvedFor: [], heldFixed: [], computeOptimal: null, distance: null, notes: [] };
  const budget = req.budgetUsd !== undefined || req.flopsBudget !== undefined;
  if (!budget && !req.computeOptimal) return w; // deadline only: the workload is as described

  const probe = probeRun(registry, base, gpus, given, budget);
  const budgetFlops = budgetInRunFlops(req, probe);
  const givenPoint =
    given.model || (given.params && given.tokens) || (!budget && !given.params && !given.tokens)
      ? { params: probe.run.resolved.params.value, tokens: probe.run.resolved.tokens.value }
      : undefined;
  if (req.computeOptimal || (!(given.model || given.params) && !given.tokens)) {
    solveComputeOptimal(w, req.computeOptimal === true, probe, budgetFlops, givenPoint);
  } else if (budgetFlops !== undefined) {
    solveBudget(w, given, probe, budgetFlops);
  }
  return w;
}

/** The run as described, at the plan's count: what a FLOP costs, and how many FLOPs a (parameter × token) is. */
interface Probe {
  run: ComputedEstimate;
  /** Training FLOPs of the run, in its convention. */
  convFlops: number;
  /** Convention FLOPs per (parameter × token) for ad-hoc models: 6 (6nd) or 8 (8nd). */
  k: number;
}

/** Resolves the run as described, with PROBE standing in where a budget will solve parameters or tokens. */
function probeRun(registry: Registry, base: EstimateRequest, gpus: number, given: Given, budget: boolean): Probe {
  const modelKnown = given.model || given.params;
  const probeReq: EstimateRequest = { ...base, gpus };
  // Without a budget the run as described is the point to compare (the scenario's model by default).
  if (budget && !modelKnown) probeReq.params = PROBE;
  if (budget && !modelKnown && !given.tokens) probeReq.tokens = PROBE;
  const run = computeEstimate(resolveEstimate(probeReq, registry));
  const convFlops = run.result.trainingFlops;
  return { run, convFlops, k: convFlops / (run.resolved.params.value * run.resolved.tokens.value) };
}

/** The budget in the run's FLOPs convention (a FLOPs budget for --compute-optimal is in Chinchilla's 6·N·D); none without a budget. */
function budgetInRunFlops(req: PlanRequest, probe: Probe): number | undefined {
  if (req.flopsBudget !== undefined) {
    return req.computeOptimal ? (req.flopsBudget * probe.k) / CHINCHILLA_FLOPS_PER_PARAM_TOKEN : req.flopsBudget;
  }
  if (req.budgetUsd === undefined) return undefined;
  if (probe.run.result.costUsd === null) {
    throw new GpucostError('E_INPUT', 'a budget in dollars needs a price', 'add --price USD, --provider ID or --owned');
  }
  return req.budgetUsd / (probe.run.result.costUsd / probe.convFlops);
}

/** Chinchilla's N and D for the budget (or for the given model's own FLOPs), and how far the given model is from them. */
function solveComputeOptimal(
  w: Workload,
  compare: boolean,
  probe: Probe,
  budgetFlops: number | undefined,
  givenPoint: { params: number; tokens: number } | undefined,
): void {
  const flops6 =
    budgetFlops !== undefined
      ? (budgetFlops * CHINCHILLA_FLOPS_PER_PARAM_TOKEN) / probe.k
      : CHINCHILLA_FLOPS_PER_PARAM_TOKEN * (givenPoint?.params ?? 0) * (givenPoint?.tokens ?? 0);
  if (!(flops6 > 0)) throw new GpucostError('E_INPUT', '--compute-optimal needs a budget or a model with tokens', 'add --flops-budget, --budget or --model');
  const opt = chinchillaOptimal(flops6);
  w.overrides = { params: opt.params, tokens: opt.tokens, model: undefined, customModel: undefined };
  stripArchitecture(w.overrides);
  w.solvedFor = ['params', 'tokens'];
  w.heldFixed = [`${CHINCHILLA_TOKENS_PER_PARAM} tokens per parameter (Hoffmann et al. 2022, Approaches 1–2)`];
  w.computeOptimal = { ...opt, flops: flops6, tokensPerParam: CHINCHILLA_TOKENS_PER_PARAM };
  if (givenPoint && compare) {
    w.distance = { ...givenPoint, paramsRatio: givenPoint.params / opt.params, tokensRatio: givenPoint.tokens / opt.tokens };
  }
  if (budgetFlops === undefined) w.notes.push(`compute budget: the given model's own 6·N·D = ${flops6.toExponential(3)} FLOPs`);
}

/** Spends the budget on whichever of the model size and the tokens the user left open. */
function solveBudget(w: Workload, given: Given, probe: Probe, budgetFlops: number): void {
  const { run, convFlops, k } = probe;
  if (given.model && !given.tokens) {
    const flopsPerToken = convFlops / run.resolved.tokens.value;
    w.overrides = { tokens: budgetFlops / flopsPerToken };
    w.solvedFor = ['tokens'];
    w.heldFixed = [`the model (${run.resolved.model.name})`];
  } else if (given.params && !given.tokens) {
    w.overrides = { tokens: budgetFlops / (k * run.resolved.params.value) };
    w.solvedFor = ['tokens'];
    w.heldFixed = [`${formatQuantity(run.resolved.params.value)} parameters (--params)`];
  } else if (given.tokens && !given.model && !given.params) {
    w.overrides = { params: budgetFlops / (k * run.resolved.tokens.value) };
    w.solvedFor = ['params'];
    w.heldFixed = [`${formatQuantity(run.resolved.tokens.value)} tokens (--tokens)`];
  } else {
    // Nothing left open to spend it on: the run is as described, and the budget is a limit.
    w.heldFixed = [`the model (${run.resolved.model.name})`, `${formatQuantity(run.resolved.tokens.value)} tokens`];
    w.notes.push('the model and the tokens are both given, so the budget is not spent on either: it is a limit the plan is checked against');
    w.budgetIsLimit = true;
  }
}

/**
 * Whether a run whose model and tokens were both given stays within the budget: the dollar budget
 * against its cost, a FLOPs budget against its training FLOPs; null when it does.
 */
function overBudget(req: PlanRequest, estimate: ComputedEstimate): string | null {
  const limit = 1 + SOLVED_VALUE_TOLERANCE;
  const { costUsd, trainingFlops } = estimate.result;
  const gpus = `${formatGrouped(estimate.resolved.gpus.value)} × ${estimate.resolved.gpu.id}`;
  const hint = estimate.resolved.finetune
    ? 'fewer examples or epochs, or a cheaper GPU, would fit it'
    : 'a smaller model or fewer tokens would fit it (plan --budget without --tokens solves the tokens)';
  if (req.budgetUsd !== undefined && costUsd !== null && costUsd > req.budgetUsd * limit) {
    return `the run costs $${formatGrouped(costUsd, costUsd < 1000 ? 2 : 0)} on ${gpus}, over the $${formatGrouped(req.budgetUsd, 2)} budget; ${hint}`;
  }
  if (req.flopsBudget !== undefined && trainingFlops > req.flopsBudget * limit) {
    return `the run takes ${trainingFlops.toExponential(3)} FLOPs, over the ${req.flopsBudget.toExponential(3)}-FLOP budget; ${hint}`;
  }
  return null;
}

/** A compute-optimal model is ad hoc: drop architecture flags that would describe another one. */
function stripArchitecture(o: Partial<EstimateRequest>): void {
  for (const k of ARCH_OVERRIDE_KEYS) o[k] = undefined;
}
