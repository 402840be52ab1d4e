/** `gpucost compare`: one estimate per (GPU, count), and the article's clusters by default. */
import { parallelEfficiency, speedup } from '../core/scaling.js';
import type { Registry } from '../presets/catalog.js';
import type { Claim } from '../presets/schema.js';
import { peakTflops } from '../presets/to-core.js';
import { GpucostError } from '../errors.js';
import { type ComputedEstimate, computeEstimate } from './compute.js';
import { DEFAULT_SCENARIO, FINETUNE_COMPARE_GPUS } from './defaults.js';
import { countResolver } from './counts.js';
import { ARCH_OVERRIDE_KEYS } from './arch-overrides.js';
import { type EstimateRequest, resolveEstimate } from './estimate.js';
import { DEFAULT_PRICE_TIER, listsRental } from './price.js';

export interface CompareRequest extends Omit<EstimateRequest, 'gpu' | 'gpus'> {
  gpuList?: string[];
  gpusList?: number[];
}

export interface CompareRow {
  estimate: ComputedEstimate;
  /** The estimate at the smallest count of the same GPU, which speed-up and efficiency are measured against (this row's own when it is that count). */
  base: ComputedEstimate;
  /** Speed-up over the smallest count of the same GPU in this comparison. */
  speedup: number;
  /** Speed-up ÷ GPU ratio against that smallest count (1 = linear). */
  parallelEfficiency: number;
  /** The published claim this row reproduces (default comparison only). */
  claim?: Claim;
}

/** Comparisons up to this many rows search every row's parallel layout; larger ones use the leanest. */
export const FULL_LAYOUT_SEARCH_MAX_ROWS = 2000;

/** Claims of the default scenario that describe a cluster's wall-clock: the article's 8, 512 and 1024 GPUs. */
export const ARTICLE_CLUSTER_CLAIMS = ['A4', 'A5', 'A6'];

const WORKLOAD_KEYS = [
  'gpuList',
  'gpusList',
  'model',
  'params',
  'tokens',
  'tflops',
  'mfu',
  'precision',
  'flops',
  'scenario',
  'customModel',
  ...ARCH_OVERRIDE_KEYS,
] as const;

/** True when the user described nothing to compare: show the article's clusters. */
export function isArticleComparison(req: CompareRequest): boolean {
  return WORKLOAD_KEYS.every((k) => req[k as keyof CompareRequest] === undefined);
}

/** `onRow(done, total)` after each row: a long comparison's progress (src/cli/progress.ts). */
export function compareRows(req: CompareRequest, registry: Registry, onRow?: (done: number, total: number) => void): CompareRow[] {
  if (!isArticleComparison(req)) {
    const total = compareRowCount(req);
    const rows: CompareRow[] = [];
    for (const row of compareRowStream(req, registry)) {
      rows.push(row);
      onRow?.(rows.length, total);
    }
    return rows;
  }
  const estimates: { e: ComputedEstimate; claim?: Claim }[] = [];
  const scenario = registry.get('scenarios', DEFAULT_SCENARIO);
  for (const claim of scenario.claims.filter((c) => ARTICLE_CLUSTER_CLAIMS.includes(c.id))) {
    estimates.push({ e: computeEstimate(resolveEstimate({ ...req, scenario: `${scenario.id}:${claim.id}` }, registry)), claim });
  }
  return withSpeedups(estimates);
}

/**
 * The rows of a comparison other than the article's, one at a time, so that many counts need not
 * be held at once (the CSV of `compare` streams them). The same rows as compareRows, in its order:
 * every count of the first GPU, then of the next. Errors in the request are thrown before the
 * first row.
 */
export function* compareRowStream(req: CompareRequest, registry: Registry): Generator<CompareRow> {
  const gpus = withPrecision(gpuListOf(req), req, registry);
  const several = new Set(gpus.map((g) => (g === undefined ? g : registry.get('gpus', g).id))).size > 1;
  const base: EstimateRequest = { ...req };
  // A layout search per row takes milliseconds; large sweeps judge memory by the leanest layout instead.
  if (compareRowCount(req) > FULL_LAYOUT_SEARCH_MAX_ROWS && base.layoutSearch === undefined) base.layoutSearch = 'lean';
  if (several) base.ignoreScenarioThroughput = "several GPUs are compared, so all use peak × MFU rather than one run's measured throughput";
  // A provider that prices some of the GPUs but not all: the others get no cost and a warning. When
  // it prices none of them, the first row stops with the provider's own error, as an estimate would.
  if (several && req.provider !== undefined && req.price === undefined && !req.owned) {
    const provider = registry.get('prices', req.provider);
    const tier = req.priceTier ?? DEFAULT_PRICE_TIER;
    if (gpus.some((g) => g !== undefined && listsRental(provider, registry.get('gpus', g), tier))) base.unlistedGpuUnpriced = true;
  }
  const requests = gpus.map((gpu): EstimateRequest => (gpu === undefined ? { ...base } : { ...base, gpu }));
  const sources = requests.map((one) => countResolver(one, req.gpusList, registry));
  // Speed-ups compare with the smallest count of the same GPU preset anywhere in the comparison.
  const smallest = new Map<string, ComputedEstimate>();
  // Each source's estimate at its smallest count, computed once: it is also that count's row.
  const atMin = sources.map((source, s) => {
    let min = 0;
    for (let i = 1; i < source.length; i++) if ((source.count(i) ?? 0) < (source.count(min) ?? 0)) min = i;
    const e = computeEstimate(source.at(min));
    const shown = req.gpusList === undefined ? fewestThatFit(requests[s] as EstimateRequest, e, registry) : e;
    noteSmallest(smallest, shown);
    return { min, e: shown };
  });
  for (const [s, source] of sources.entries()) {
    const { min, e } = atMin[s] as { min: number; e: ComputedEstimate };
    for (let i = 0; i < source.length; i++) yield rowAgainst(i === min ? e : computeEstimate(source.at(i)), smallest);
  }
}

/**
 * A fine-tune compared without --gpus asks which card to fine-tune on, so a card one of which cannot
 * hold it is shown at the fewest that can (layout.minimumGpus), said in the GPUs' origin; with
 * --gpus the counts are the user's and a row that does not fit says so.
 */
function fewestThatFit(req: EstimateRequest, e: ComputedEstimate, registry: Registry): ComputedEstimate {
  const fewest = e.layout?.minimumGpus;
  if (req.finetune === undefined || !e.layout || e.layout.chosen.fits || !fewest || fewest <= e.resolved.gpus.value) return e;
  const origins = { ...req.origins, gpus: FEWEST_THAT_FIT_ORIGIN };
  return computeEstimate(resolveEstimate({ ...req, gpus: fewest, origins }, registry));
}

export const FEWEST_THAT_FIT_ORIGIN = 'default for fine-tuning: the fewest of this GPU that hold it (one does not)';

/** Keeps, per GPU preset, the estimate with the fewest GPUs (what speed-ups are measured against). */
function noteSmallest(smallest: Map<string, ComputedEstimate>, e: ComputedEstimate): void {
  const cur = smallest.get(e.resolved.gpu.id);
  if (!cur || e.resolved.gpus.value < cur.resolved.gpus.value) smallest.set(e.resolved.gpu.id, e);
}

function withSpeedups(list: { e: ComputedEstimate; claim?: Claim }[]): CompareRow[] {
  const smallest = new Map<string, ComputedEstimate>();
  for (const { e } of list) noteSmallest(smallest, e);
  return list.map(({ e, claim }) => {
    const row = rowAgainst(e, smallest);
    if (claim) row.claim = claim;
    return row;
  });
}

function rowAgainst(e: ComputedEstimate, smallest: Map<string, ComputedEstimate>): CompareRow {
  const base = smallest.get(e.resolved.gpu.id) as ComputedEstimate;
  return {
    estimate: e,
    base,
    speedup: speedup(base.result.wallClockSeconds, e.result.wallClockSeconds),
    parallelEfficiency: parallelEfficiency(base.resolved.gpus.value, base.result.wallClockSeconds, e.resolved.gpus.value, e.result.wallClockSeconds),
  };
}

/** How many rows a comparison other than the article's has: GPU types × counts. */
export function compareRowCount(req: CompareRequest): number {
  return gpuListOf(req).length * (req.gpusList?.length ?? 1);
}

/**
 * The default fine-tuning cards that have a peak at --precision (an RTX 3090 has no FP8): the user
 * did not choose them, so a card that cannot run the precision is left out, not an error. GPUs the
 * user lists are kept, and one without the peak stops the comparison with a line that says so.
 */
function withPrecision(gpus: (string | undefined)[], req: CompareRequest, registry: Registry): (string | undefined)[] {
  if (req.gpuList !== undefined || req.precision === undefined || req.finetune === undefined) return gpus;
  const precision = req.precision;
  const able = gpus.filter((g) => g === undefined || peakTflops(registry.get('gpus', g), precision) !== undefined);
  if (able.length === 0)
    throw new GpucostError('E_INPUT', `none of the fine-tuning cards compared by default has an ${precision} peak`, 'give --gpu with GPUs that do');
  return able;
}

/** The GPUs compared: as given; for a fine-tune without --gpu, the cards people fine-tune on. */
function gpuListOf(req: CompareRequest): (string | undefined)[] {
  return req.gpuList ?? (req.finetune !== undefined ? FINETUNE_COMPARE_GPUS : [undefined]);
}
