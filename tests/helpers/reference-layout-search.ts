/**
 * The layout search as first written: every candidate plan built as an object, string keys for the
 * dominance check and the step-time memo. src/core/layout-search.ts now does the same walk without
 * those allocations; tests/core/layout-search.test.ts checks that both return the same result.
 */
import { type LayoutCandidate, type LayoutSearch, type SearchInput, candidatePlans } from '../../src/core/layout-search.js';
import { DEFAULT_MEMORY_OPTIONS, memoryPerGpu } from '../../src/core/memory.js';
import { type ParallelPlan, RECOMPUTE_MODES } from '../../src/core/parallel.js';
import { DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS, type StepTime, archFlopTerms, stepTime } from '../../src/core/perf.js';

export function referenceSearchLayouts(input: SearchInput): LayoutSearch {
  const constants = input.constants ?? DEFAULT_PERF_CONSTANTS;
  const perfOptions = input.perfOptions ?? DEFAULT_PERF_OPTIONS;
  const memoryOptions = input.memoryOptions ?? DEFAULT_MEMORY_OPTIONS;
  let best: LayoutCandidate | null = null;
  let runnerUp: LayoutCandidate | null = null;
  let leastMemory: LayoutCandidate | null = null;
  let evaluated = 0;
  // ZeRO stages 0–2 take the same time here (they differ in memory only): one step-time per layout.
  const steps = new Map<string, StepTime>();
  const terms = archFlopTerms(input.arch);
  const stepOf = (plan: ParallelPlan): StepTime => {
    const key = stepKey(plan);
    let step = steps.get(key);
    if (!step) {
      step = stepTime(input.arch, plan, input.hardware, constants, perfOptions, terms);
      steps.set(key, step);
    }
    return step;
  };
  // Dominated candidates are counted but not evaluated. Within one shape (TP, PP, DP, micro-batch,
  // chunks, and ZeRO-3 or not), ZeRO-1 and ZeRO-2 take the same time, and more recomputation (none <
  // selective < full) takes more. Once a candidate fits, one of the same shape with as much
  // recomputation or more is no faster: it can be neither the fastest nor a runner-up worth naming
  // (a slower twin of another layout), and the leanest layout matters only when nothing fits.
  // Per shape, the least recomputation of a candidate that fits.
  const fitted = new Map<string, number>();
  for (const plan of candidatePlans(input)) {
    evaluated += 1;
    const shape = shapeKey(plan);
    const recompute = RECOMPUTE_MODES.indexOf(plan.recompute);
    if (recompute >= (fitted.get(shape) ?? Infinity)) continue;
    const memory = memoryPerGpu(input.arch, plan, memoryOptions);
    const fits = memory.totalBytes <= input.memoryCapacityBytes;
    if (fits) fitted.set(shape, recompute);
    if (!fits && leastMemory !== null && memory.totalBytes >= leastMemory.memory.totalBytes) continue;
    const candidate: LayoutCandidate = { plan, memory, step: stepOf(plan), fits };
    if (leastMemory === null || memory.totalBytes < leastMemory.memory.totalBytes) leastMemory = candidate;
    if (!fits) continue;
    if (best === null || candidate.step.stepSeconds < best.step.stepSeconds) {
      runnerUp = best;
      best = candidate;
    } else if (runnerUp === null || candidate.step.stepSeconds < runnerUp.step.stepSeconds) {
      runnerUp = candidate;
    }
  }
  return { best, runnerUp, leastMemory, evaluated };
}

/** Layouts with this key take the same step time (ZeRO-0 to 2 differ in memory only). */
function stepKey(plan: ParallelPlan): string {
  return `${plan.tp}/${plan.pp}/${plan.dp}/${plan.cp ?? 1}/${plan.ep ?? 1}/${plan.microBatch}/${plan.globalBatch}/${plan.zero === 3 ? 3 : 0}/${plan.recompute}/${plan.sequenceParallel}/${plan.virtualStages}`;
}

/** The shape of a layout without its ZeRO stage (below 3) and recomputation: see searchLayouts. */
function shapeKey(plan: ParallelPlan): string {
  return `${plan.tp}/${plan.pp}/${plan.dp}/${plan.cp ?? 1}/${plan.ep ?? 1}/${plan.microBatch}/${plan.globalBatch}/${plan.zero === 3 ? 3 : 0}/${plan.sequenceParallel}/${plan.virtualStages}`;
}
