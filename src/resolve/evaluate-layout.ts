/**
 * The parallel layout of an estimate: the fastest layout that fits (searched, or fixed by flags), its
 * memory per GPU and step time, and — when nothing fits — the leanest layout and the fewest GPUs that
 * would fit.
 */
import { type LayoutCandidate, MINIMUM_GPUS_BATCH_SLACK, leanPlan, minimumGpus, searchLayouts } from '../core/layout-search.js';
import { DEFAULT_ACTIVATION_KERNELS, DEFAULT_MEMORY_OPTIONS, type MemoryOptions, memoryPerGpu } from '../core/memory.js';
import { type ArchFlopTerms, DEFAULT_PERF_CONSTANTS, type PerfHardware, archFlopTerms, stepTime } from '../core/perf.js';
import { MEMORY_PEAK_SPREAD } from '../core/range.js';
import type { ModelArch } from '../core/types.js';
import type { ResolvedEstimate } from './estimate.js';
import { memoryCapacityBytes, perfHardware } from './layout.js';

export interface LayoutResult {
  /** The layout used: the fastest that fits, else the one needing least memory (`chosen.fits` says which). */
  chosen: LayoutCandidate;
  runnerUp: LayoutCandidate | null;
  /** Fewest GPUs of this type on which the model fits (computed only when it does not fit). */
  minimumGpus: number | null;
  /**
   * When the layout flags (--micro-batch, --recompute, --tp …) leave no layout that fits, the fastest
   * layout that fits on the same GPUs without them; null when none does or no flag constrained the search.
   */
  fitsWithoutLayoutFlags: LayoutCandidate | null;
  memoryCapacityBytes: number;
  /** How the layout was found. */
  method: 'search' | 'lean';
  /** Whether it is the fastest that leaves the spread of memory peaks free (MEMORY_PEAK_SPREAD), not merely the fastest that fits. */
  headroom: boolean;
  /** Layouts the search evaluated. */
  evaluated: number;
}

/** What a layout search of the estimate needs: model, batch, hardware and memory (null without an architecture or batch). */
function layoutInput(e: ResolvedEstimate): LayoutInput | null {
  const arch = e.model.arch;
  if (!arch || !e.globalBatch) return null;
  return {
    arch,
    globalBatch: e.globalBatch.value,
    hardware: perfHardware(e.gpu, e.cluster, e.precision.value),
    memoryCapacityBytes: memoryCapacityBytes(e.gpu),
    memoryOptions: memoryOptionsOf(e),
  };
}

type LayoutInput = { arch: ModelArch; globalBatch: number; hardware: PerfHardware; memoryCapacityBytes: number; memoryOptions: MemoryOptions };

/** Training's memory options, or LoRA/QLoRA's: a frozen (perhaps quantised) base and trainable adapters. */
function memoryOptionsOf(e: ResolvedEstimate): MemoryOptions {
  const loss = e.loss?.value ?? 'full';
  const kernels = e.kernels?.value ?? DEFAULT_ACTIVATION_KERNELS;
  return {
    ...DEFAULT_MEMORY_OPTIONS,
    loss,
    kernels,
    ...(e.finetune ? { finetune: e.finetune.memory } : {}),
    ...(e.perfOptions.fp8Params ? { fp8Params: true } : {}),
    // The gradients are held at the width they are reduced in (--grad-reduce-fp32).
    gradBytes: e.perfOptions.gradCommBytes,
  };
}

/** Whether layout flags (--tp, --micro-batch, --recompute …) constrain the search. */
export function hasLayoutFlags(e: ResolvedEstimate): boolean {
  return Object.keys(e.layout).length > 0;
}

export function evaluateLayout(e: ResolvedEstimate): LayoutResult | null {
  const base = layoutInput(e);
  if (!base) return null;
  const { arch, hardware, memoryCapacityBytes: capacity } = base;
  if (e.layoutSearch === 'lean' && e.perf.value === 'mfu' && !hasLayoutFlags(e)) {
    const plan = leanPlan(arch, e.gpus.value, base.globalBatch, hardware.gpusPerNode);
    const terms = termsOf(arch);
    const memory = memoryPerGpu(arch, plan, base.memoryOptions, terms);
    const step = stepTime(arch, plan, hardware, DEFAULT_PERF_CONSTANTS, e.perfOptions, terms);
    const chosen: LayoutCandidate = { plan, memory, step, fits: memory.totalBytes <= capacity };
    return {
      chosen,
      runnerUp: null,
      minimumGpus: null,
      fitsWithoutLayoutFlags: null,
      memoryCapacityBytes: capacity,
      method: 'lean',
      headroom: false,
      evaluated: 1,
    };
  }
  const request = { ...base, gpus: e.gpus.value, constraints: e.layout, perfOptions: e.perfOptions };
  const roomy = withHeadroom(e, request);
  let search = roomy ?? searchLayouts(request);
  if (search.best === null && search.leastMemory === null) {
    // No layout splits the batch exactly: let each round the batch up a little (at most 25%).
    search = searchLayouts({ ...request, batchSlack: MINIMUM_GPUS_BATCH_SLACK });
  }
  const chosen = search.best ?? search.leastMemory;
  if (!chosen) return null;
  return {
    chosen,
    runnerUp: search.runnerUp,
    minimumGpus: chosen.fits ? null : fewestGpus(base),
    fitsWithoutLayoutFlags: chosen.fits || !hasLayoutFlags(e) ? null : searchLayouts({ ...request, constraints: {} }).best,
    memoryCapacityBytes: capacity,
    method: 'search',
    headroom: roomy !== null,
    evaluated: search.evaluated,
  };
}

/**
 * A run whose micro-batch and recomputation gpucost chooses is given the fastest layout that leaves
 * the measured spread of peaks free (MEMORY_PEAK_SPREAD), as a practitioner leaves headroom,
 * rather than one that fills the card and then draws MEMORY_TIGHT; null when none does (the search
 * then fills the card, and the warning says so) or the user fixed either. Fine-tunes since issue 20.
 * Pre-training since 2026-12-06, when the Ultra-Scale Playbook's sweep showed layouts gpucost put at
 * 50–70 GiB of an 80 GB H100 running out of memory (docs/layout-ranking.md), but only where the layout
 * does not time the run (peak × utilisation): timed by the step-time model, a pre-training run takes
 * the fastest layout that fits, as tuned runs do (on the held-out throughput rows, headroom took the
 * median error from 12.1% to 16.4%, Megatron-Core's Mixtral runs 20–30% slow), and warns when tight.
 */
function withHeadroom(e: ResolvedEstimate, request: Parameters<typeof searchLayouts>[0]): ReturnType<typeof searchLayouts> | null {
  if (e.layout.microBatch !== undefined || e.layout.recompute !== undefined) return null;
  if (!e.finetune && e.perf.value === 'model') return null;
  const roomy = searchLayouts({ ...request, memoryCapacityBytes: request.memoryCapacityBytes / MEMORY_PEAK_SPREAD });
  return roomy.best === null ? null : roomy;
}

/** Fewest GPUs of the estimate's type on which its model fits (null without an architecture, or none found). */
export function evaluateMinimumGpus(e: ResolvedEstimate): number | null {
  const base = layoutInput(e);
  return base && fewestGpus(base);
}

/**
 * The fewest GPUs that hold the model (minimumGpus), remembered per architecture: it depends on the
 * model, the batch, the GPU's memory and the node size, not on the GPU count, so the rows of a
 * `compare` sweep that does not fit share one answer. A large model can take a scan of thousands of
 * counts to find it (0.3 s), which a sweep of 1,000 counts would otherwise repeat for every row.
 */
const fewestGpusByArch = new WeakMap<ModelArch, Map<string, number | null>>();

function fewestGpus(base: LayoutInput): number | null {
  const known = rememberedFor(fewestGpusByArch, base.arch, () => new Map<string, number | null>());
  // Every memory option moves the answer (the loss, the kernels, FP8 weights, a fine-tune's terms).
  const key = `${base.globalBatch}/${base.memoryCapacityBytes}/${base.hardware.gpusPerNode}/${JSON.stringify(base.memoryOptions)}`;
  if (!known.has(key)) known.set(key, minimumGpus(base));
  return known.get(key) ?? null;
}

/**
 * The per-token FLOP terms and parameter counts of an architecture (archFlopTerms), remembered: the
 * rows of a large `compare` sweep share one model and each times its lean layout.
 */
const termsByArch = new WeakMap<ModelArch, ArchFlopTerms>();

function termsOf(arch: ModelArch): ArchFlopTerms {
  return rememberedFor(termsByArch, arch, () => archFlopTerms(arch));
}

/** What `make` gives for `arch`, made once per architecture object and then remembered. */
function rememberedFor<T>(cache: WeakMap<ModelArch, T>, arch: ModelArch, make: () => T): T {
  let value = cache.get(arch);
  if (value === undefined) {
    value = make();
    cache.set(arch, value);
  }
  return value;
}
