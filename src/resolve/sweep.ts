/**
 * A measured sweep of parallel layouts (presets/throughput/*-sweep.csv): every layout a source ran
 * for a model on a number of GPUs, whether it trained or ran out of memory. It judges what the
 * fastest-run-per-cell rows of the throughput set cannot: whether the step-time model ranks layouts
 * as they measured, so that the layout gpucost prints is one worth running, and whether gpucost
 * says which layouts fit. Pure: the file's text and the presets come in as arguments.
 */
import { DEFAULT_MEMORY_OPTIONS, type MemoryOptions, memoryPerGpu } from '../core/memory.js';
import { withinPeakSpread } from '../core/range.js';
import { BYTES_PER_GIB } from '../core/units.js';
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import type { ThroughputRow, ThroughputSet } from '../presets/schema.js';
import { median } from './backtest.js';
import { memoryCapacityBytes } from './layout.js';
import { gradientBytesOf, throughputCases } from './throughput.js';

export interface SweepRun {
  job: string;
  /** The model's label in the source (1b, 3b, …). */
  model: string;
  architecture: { layers: number; dModel: number; heads: number; ffnHidden: number; tiedEmbeddings: boolean };
  gpus: number;
  dp: number;
  tp: number;
  pp: number;
  microBatch: number;
  zero: 0 | 1;
  /** ok: trained and was timed; oom: ran out of GPU memory. */
  status: 'ok' | 'oom';
  tokensPerSecondPerGpu: number | null;
  allocatedGiB: number | null;
  reservedGiB: number | null;
}

const COLUMNS = [
  'job',
  'model',
  'layers',
  'dModel',
  'heads',
  'ffnHidden',
  'tiedEmbeddings',
  'gpus',
  'dp',
  'tp',
  'pp',
  'microBatch',
  'accumulation',
  'zero',
  'status',
  'tokensPerSecondPerGpu',
  'allocatedGiB',
  'reservedGiB',
] as const;

/** Reads a sweep file: `#` lines are comments, then a header of COLUMNS and one run a line. */
export function parseSweep(text: string, file: string): SweepRun[] {
  const lines = text.split('\n').map((line, i) => ({ line, at: i + 1 }));
  const data = lines.filter(({ line }) => line.trim() !== '' && !line.startsWith('#'));
  const header = data.shift();
  if (header?.line !== COLUMNS.join(','))
    throw new GpucostError('E_INPUT', `${file}: the header is not ${COLUMNS.join(',')}`, 'regenerate it with scripts/import-ultrascale.mjs');
  return data.map(({ line, at }) => sweepRun(line.split(','), `${file}:${at}`));
}

function sweepRun(cells: string[], where: string): SweepRun {
  const get = (name: (typeof COLUMNS)[number]): string => cells[COLUMNS.indexOf(name)] ?? '';
  const int = (name: (typeof COLUMNS)[number]): number => {
    const v = Number(get(name));
    if (!Number.isInteger(v) || v < 0) throw new GpucostError('E_INPUT', `${where}: ${name} is not a whole number`, 'regenerate the file');
    return v;
  };
  const optional = (name: (typeof COLUMNS)[number]): number | null => (get(name) === '' ? null : Number(get(name)));
  const status = get('status');
  if (cells.length !== COLUMNS.length || (status !== 'ok' && status !== 'oom'))
    throw new GpucostError('E_INPUT', `${where}: not a sweep run`, 'regenerate the file');
  return {
    job: get('job'),
    model: get('model'),
    architecture: {
      layers: int('layers'),
      dModel: int('dModel'),
      heads: int('heads'),
      ffnHidden: int('ffnHidden'),
      tiedEmbeddings: get('tiedEmbeddings') === 'true',
    },
    gpus: int('gpus'),
    dp: int('dp'),
    tp: int('tp'),
    pp: int('pp'),
    microBatch: int('microBatch'),
    zero: int('zero') === 0 ? 0 : 1,
    status,
    tokensPerSecondPerGpu: optional('tokensPerSecondPerGpu'),
    allocatedGiB: optional('allocatedGiB'),
    reservedGiB: optional('reservedGiB'),
  };
}

/**
 * The sweep ran nanotron, whose modules are eager PyTorch: its gated MLP keeps the merged gate-and-up
 * output, the SiLU output and their product (GLUActivation and MLP in nanotron's llama model,
 * https://github.com/huggingface/nanotron/blob/main/src/nanotron/models/llama.py).
 */
const SWEEP_MEMORY_OPTIONS: MemoryOptions = { ...DEFAULT_MEMORY_OPTIONS, kernels: 'eager' };

export interface SweepCase {
  run: SweepRun;
  /** The step-time model's tokens per second per GPU for the run's layout. */
  predictedTokensPerSecondPerGpu: number;
  /** gpucost's memory per GPU for the layout, GiB, the framework allowance included (what the device must hold). */
  predictedDeviceGiB: number;
  /** Whether gpucost says the layout fits the GPU's memory, and whether only within the measured spread of peaks (MEMORY_TIGHT). */
  fits: boolean;
  tight: boolean;
}

/**
 * Each run through the step-time model and the memory model with its own layout, as a throughput row
 * of `set` (whose GPU, precision, attention and sequence length the sweep shares) with the run's
 * model, GPUs and layout; gpucost's defaults otherwise, as a user naming that layout gets them.
 */
export function sweepCases(runs: SweepRun[], set: ThroughputSet, registry: Registry): SweepCase[] {
  const template = set.rows[0];
  if (!template?.architecture) throw new GpucostError('E_INPUT', `throughput set ${set.id} has no row with an architecture to take the sweep's shape from`);
  const rows = runs.map((run): ThroughputRow => sweepRow(run, template));
  const cases = throughputCases([{ ...set, rows }], registry);
  const capacity = memoryCapacityBytes(registry.get('gpus', template.gpu));
  const options: MemoryOptions = { ...SWEEP_MEMORY_OPTIONS, gradBytes: gradientBytesOf(template.parallelism) };
  return cases.map((c, i) => {
    const run = runs[i] as SweepRun;
    if (c.layout === null || c.model.tokensPerSecondPerGpu === null)
      throw new GpucostError('E_INPUT', `sweep run ${run.job}: the step-time model cannot run its layout`);
    const memory = memoryPerGpu(c.arch, c.layout.plan, options);
    return {
      run,
      predictedTokensPerSecondPerGpu: c.model.tokensPerSecondPerGpu,
      predictedDeviceGiB: memory.totalBytes / BYTES_PER_GIB,
      fits: memory.totalBytes <= capacity,
      tight: memory.totalBytes <= capacity && withinPeakSpread(memory.totalBytes, capacity),
    };
  });
}

function sweepRow(run: SweepRun, template: ThroughputRow): ThroughputRow {
  return {
    ...template,
    id: `${run.model}-job${run.job}-dp${run.dp}-tp${run.tp}-pp${run.pp}-mbs${run.microBatch}-zero${run.zero}`,
    where: `job ${run.job}`,
    architecture: { ...(template.architecture as NonNullable<ThroughputRow['architecture']>), ...run.architecture },
    gpus: run.gpus,
    parallelism: {
      ...template.parallelism,
      tp: run.tp,
      pp: run.pp,
      dp: run.dp,
      sharding: run.zero === 0 ? 'none' : 'zero1',
      microBatch: run.microBatch,
      sequenceParallel: run.tp > 1,
      virtualStages: 1,
    },
    // A run that ran out of memory has no rate; only its layout is used.
    measured: { tokensPerSecondPerGpu: run.tokensPerSecondPerGpu ?? Number.NaN },
    notes: [],
  };
}

/** How the model ranks the layouts of one model on one number of GPUs, against how they measured. */
export interface CellRanking {
  model: string;
  gpus: number;
  /** Layouts that trained and were timed. */
  runs: number;
  /** Spearman's rank correlation of predicted and measured tokens/s over those runs. */
  spearman: number;
  /** The run the model ranks fastest, and its measured rate ÷ the fastest measured (1: it picked the best). */
  modelTopJob: string;
  /** The layouts of the model's pick and of the fastest measured run, as `dp × tp × pp, micro-batch, ZeRO`. */
  modelTopLayout: string;
  bestLayout: string;
  modelTopShareOfBest: number;
  /**
   * The same among the runs gpucost says fit (null when none): the layout `--perf model` would time,
   * which takes the fastest layout that fits.
   */
  fittingTopShareOfBest: number | null;
}

/** Cells (model × GPUs) with at least two timed runs. */
export function rankCells(cases: SweepCase[]): CellRanking[] {
  const cells = new Map<string, SweepCase[]>();
  for (const c of cases.filter((c) => c.run.status === 'ok')) {
    const key = `${c.run.model}/${c.run.gpus}`;
    cells.set(key, [...(cells.get(key) ?? []), c]);
  }
  const size = (c: CellRanking): number => Number.parseFloat(c.model);
  return [...cells.values()]
    .filter((cs) => cs.length >= 2)
    .map(cellRanking)
    .sort((a, b) => size(a) - size(b) || a.gpus - b.gpus);
}

function cellRanking(cs: SweepCase[]): CellRanking {
  const measured = (c: SweepCase): number => c.run.tokensPerSecondPerGpu as number;
  const fastest = cs.reduce((a, c) => (measured(c) > measured(a) ? c : a));
  const best = measured(fastest);
  const top = (among: SweepCase[]): SweepCase | undefined =>
    among.reduce<SweepCase | undefined>((a, c) => (a === undefined || c.predictedTokensPerSecondPerGpu > a.predictedTokensPerSecondPerGpu ? c : a), undefined);
  const modelTop = top(cs) as SweepCase;
  const fittingTop = top(cs.filter((c) => c.fits));
  const first = cs[0] as SweepCase;
  return {
    model: first.run.model,
    gpus: first.run.gpus,
    runs: cs.length,
    spearman: spearman(
      cs.map((c) => c.predictedTokensPerSecondPerGpu),
      cs.map(measured),
    ),
    modelTopJob: modelTop.run.job,
    modelTopLayout: layoutOf(modelTop.run),
    bestLayout: layoutOf(fastest.run),
    modelTopShareOfBest: measured(modelTop) / best,
    fittingTopShareOfBest: fittingTop === undefined ? null : measured(fittingTop) / best,
  };
}

function layoutOf(r: SweepRun): string {
  return `DP ${r.dp} × TP ${r.tp} × PP ${r.pp}, micro-batch ${r.microBatch}, ZeRO-${r.zero}`;
}

/**
 * Spearman's rank correlation: Pearson's correlation of the ranks, ties taking their mean rank
 * (Spearman 1904, https://doi.org/10.2307/1412159).
 */
export function spearman(xs: number[], ys: number[]): number {
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (rx.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    const dx = (rx[i] as number) - mean;
    const dy = (ry[i] as number) - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

function ranks(xs: number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const out = new Array<number>(xs.length);
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && order[end + 1]?.x === order[k]?.x) end++;
    for (let j = k; j <= end; j++) out[(order[j] as { i: number }).i] = (k + end) / 2 + 1;
    k = end + 1;
  }
  return out;
}

export interface SweepMemory {
  /** Runs that trained, and how many of them gpucost says fit. */
  trained: number;
  trainedSaidToFit: number;
  /** Runs that ran out of memory, and how many of them gpucost says do not fit. */
  outOfMemory: number;
  outOfMemorySaidNotToFit: number;
  /** Runs that gpucost says fit only tightly (MEMORY_TIGHT): among those that trained, and among those that ran out of memory. */
  trainedTight: number;
  outOfMemoryTight: number;
  /**
   * gpucost's memory per GPU ÷ the run's reserved peak − 1 over the runs that trained: median and
   * median |error|. The allocated peak is not compared: in the sweep it does not grow with the
   * micro-batch (25.07 GiB at 1 and 2 sequences for the 1B on one node), so it is not the step's peak.
   */
  reservedMedianError: number;
  reservedMedianAbsError: number;
}

export function sweepMemory(cases: SweepCase[]): SweepMemory {
  const trained = cases.filter((c) => c.run.status === 'ok');
  const oom = cases.filter((c) => c.run.status === 'oom');
  const reserved = trained.flatMap((c) => (c.run.reservedGiB === null ? [] : [c.predictedDeviceGiB / c.run.reservedGiB - 1]));
  return {
    trained: trained.length,
    trainedSaidToFit: trained.filter((c) => c.fits).length,
    outOfMemory: oom.length,
    outOfMemorySaidNotToFit: oom.filter((c) => !c.fits).length,
    trainedTight: trained.filter((c) => c.tight).length,
    outOfMemoryTight: oom.filter((c) => c.tight).length,
    reservedMedianError: median(reserved),
    reservedMedianAbsError: median(reserved.map(Math.abs)),
  };
}
