/**
 * Money, energy, carbon, reliability and the low/high range of an estimate: resolution (flags >
 * presets > documented defaults, each with its origin) and the arithmetic run on the core's result.
 */
import { co2eKg, energyCostUsd, energyKwh } from '../core/energy.js';
import { costUsd, gpuHours, gpuYears } from '../core/cost.js';
import type { EstimateInput, EstimateResult } from '../core/estimate.js';
import { estimateTraining } from '../core/estimate.js';
import { bandAround, DEFAULT_ESTIMATE_RANGE, MEASURED_THROUGHPUT_BAND, mfuRange, type ThroughputRange } from '../core/range.js';
import {
  ASYNC_CHECKPOINT_STALL_SECONDS,
  CALIBRATED_RESTART_SECONDS,
  LLAMA3_FAILURES_PER_GPU_HOUR,
  type ReliabilityResult,
  withInterruptions,
  youngCheckpointIntervalSeconds,
} from '../core/reliability.js';
import { SECONDS_PER_HOUR, tflopsToFlopsPerSecond } from '../core/units.js';
import type { Warning } from '../core/warnings.js';
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import type { GpuPreset } from '../presets/schema.js';
import { type EnergyRequest, type GridChoice, resolveEnergy, resolveGrid, type ResolvedEnergy } from './energy.js';
import { r, type Resolved } from './origin.js';
import { type PriceRequest, type PriceSource, resolvePrice } from './price.js';

export interface ReliabilityRequest {
  /** Model interruptions (also switched on by any of the flags below). */
  reliability?: boolean;
  /** Interruptions per GPU-hour. */
  failureRate?: number;
  /** Seconds from an interruption to training again. */
  restartTime?: number;
  /** Seconds of training between checkpoints. */
  checkpointInterval?: number;
  /** Seconds training stalls for each checkpoint. */
  checkpointTime?: number;
}

export interface MoneyRequest extends PriceRequest, EnergyRequest, ReliabilityRequest {
  /** --mfu-range LOW..HIGH: the MFU range behind low/high time and cost. */
  mfuRange?: [number, number];
}

export interface ResolvedReliability {
  failuresPerGpuHour: Resolved<number>;
  restartSeconds: Resolved<number>;
  /** null: Young's optimum for the run's GPU count. */
  checkpointIntervalSeconds: Resolved<number | null>;
  checkpointStallSeconds: Resolved<number>;
}

export interface ResolvedMoney {
  priceSource: PriceSource | null;
  energy: ResolvedEnergy;
  grid: Resolved<GridChoice | null>;
  reliability: ResolvedReliability | null;
  notes: string[];
  warnings: Warning[];
}

export function resolveMoney(
  req: MoneyRequest,
  registry: Registry,
  gpu: GpuPreset,
  scenarioPrice: Resolved<number> | undefined,
  flag: (key: string) => string,
  stepTimeModel = false,
  gpus?: number,
): { price: Resolved<number | null>; money: ResolvedMoney } {
  const provider = req.provider !== undefined && req.price === undefined && !req.owned ? registry.get('prices', req.provider) : undefined;
  const energy = resolveEnergy(req, gpu, provider, req.owned === true && req.price === undefined, flag);
  const p = resolvePrice(
    req,
    registry,
    gpu,
    scenarioPrice,
    { averageWattsPerGpu: energy.powerWattsPerGpu.value, pue: energy.pue.value, kwhPriceUsd: energy.kwhPriceUsd.value },
    flag,
    gpus,
  );
  const grid = resolveGrid(req, registry, p.entry ? { provider: p.entry.provider.id, region: p.entry.region } : null, flag);
  const notes = [...p.notes, ...energy.notes];
  if (p.priceSource?.selection) notes.push(`price: ${p.priceSource.selection}`);
  return {
    price: p.price,
    money: { priceSource: p.priceSource, energy, grid, reliability: resolveReliability(req, flag, stepTimeModel), notes, warnings: p.warnings },
  };
}

/**
 * Interruptions and checkpoint stalls: on with --reliability or any of their flags, and by default
 * under the step-time model, whose throughput is the training step alone; a whole run also loses
 * time to failures, restarts and checkpoints (issue 17). Peak × calibrated utilisation needs none:
 * it was calibrated on whole runs, downtime included. --no-reliability turns it off.
 */
function resolveReliability(req: ReliabilityRequest, flag: (key: string) => string, stepTimeModel: boolean): ResolvedReliability | null {
  const asked = [req.failureRate, req.restartTime, req.checkpointInterval, req.checkpointTime].some((v) => v !== undefined);
  const on = req.reliability ?? (asked || stepTimeModel);
  if (!on) return null;
  return {
    failuresPerGpuHour:
      req.failureRate !== undefined
        ? r(req.failureRate, flag('failureRate'))
        : r(LLAMA3_FAILURES_PER_GPU_HOUR, 'default: Llama 3 405B, 419 unexpected interruptions in 54 days on 16,384 H100s'),
    restartSeconds:
      req.restartTime !== undefined
        ? r(req.restartTime, flag('restartTime'))
        : r(CALIBRATED_RESTART_SECONDS, "default: reproduces Llama 3's >90% effective training time"),
    checkpointIntervalSeconds:
      req.checkpointInterval !== undefined ? r(req.checkpointInterval, flag('checkpointInterval')) : r(null, "default: Young's optimum √(2·stall·MTBF)"),
    checkpointStallSeconds:
      req.checkpointTime !== undefined
        ? r(req.checkpointTime, flag('checkpointTime'))
        : r(ASYNC_CHECKPOINT_STALL_SECONDS, 'default: asynchronous checkpointing (PyTorch blog, "under 30 seconds")'),
  };
}

/** How the throughput was obtained, which decides its range. */
export type ThroughputKind = 'default-mfu' | 'given';

/**
 * The throughput range behind low/high: --mfu-range > PaLM Table 3's MFU spread when the MFU is a
 * default > ±12% around a given or measured rate. Another module (the performance model) may set
 * ResolvedEstimate.throughputRange itself.
 */
export function resolveThroughputRange(
  mfuRangeFlag: [number, number] | undefined,
  kind: ThroughputKind,
  peakTflops: number,
  midTflops: number,
  flag: (key: string) => string,
): Resolved<ThroughputRange> {
  const midMfu = midTflops / peakTflops;
  if (mfuRangeFlag) return r(mfuRange(peakTflops, midMfu, mfuRangeFlag[0], mfuRangeFlag[1]), flag('mfuRange'));
  if (kind === 'default-mfu') {
    return r(
      { low: midTflops / DEFAULT_ESTIMATE_RANGE.high, high: midTflops / DEFAULT_ESTIMATE_RANGE.low },
      `published ÷ predicted GPU-hours ${DEFAULT_ESTIMATE_RANGE.low}–${DEFAULT_ESTIMATE_RANGE.high}: 90% of the published runs (gpucost backtest)`,
    );
  }
  return r(bandAround(midTflops, MEASURED_THROUGHPUT_BAND), `±${MEASURED_THROUGHPUT_BAND * 100}% around the given rate (Llama 3 405B: 38–43% MFU, Table 4)`);
}

/**
 * Whether `e` is the error computeMoney throws when interruptions outpace progress: for `plan`, a
 * GPU count that cannot finish rather than a request that is wrong.
 */
export function isInterruptionsOutpaceProgress(e: unknown): boolean {
  return e instanceof GpucostError && e.reason === 'interruptions-outpace-progress';
}

export interface ComputedReliability extends ReliabilityResult {
  checkpointIntervalSeconds: number;
  /** Wall-clock without checkpoints or interruptions, s. */
  idealWallClockSeconds: number;
  /** GPU-hours spent on stalls, restarts and recomputed work. */
  lostGpuHours: number;
}

export interface ComputedMoney {
  /** The estimate's result, with interruptions when --reliability is on. */
  result: EstimateResult;
  wallClockSecondsLow: number;
  wallClockSecondsHigh: number;
  /** GPU-hours at the fast and slow ends of the throughput range. */
  gpuHoursLow: number;
  gpuHoursHigh: number;
  costUsdLow: number | null;
  costUsdHigh: number | null;
  energyKwh: number | null;
  co2eKg: number | null;
  /** Electricity cost; part of costUsd for owned hardware, inside the rental price otherwise. */
  energyCostUsd: number | null;
  reliability: ComputedReliability | null;
}

/** The parts of a resolved estimate that computeMoney reads (a ResolvedEstimate is one; money.ts does not import estimate.ts, which imports it). */
export interface MoneyInputs {
  money: ResolvedMoney;
  throughputRange: Resolved<ThroughputRange>;
}

export function computeMoney(e: MoneyInputs, input: EstimateInput, ideal: EstimateResult): ComputedMoney {
  const mid = withReliability(ideal, input, e.money.reliability);
  const at = (tflops: number) =>
    withReliability(estimateTraining({ ...input, flopsPerSecondPerGpu: tflopsToFlopsPerSecond(tflops) }), input, e.money.reliability);
  const slow = at(e.throughputRange.value.low);
  const fast = at(e.throughputRange.value.high);
  const power = e.money.energy.powerWattsPerGpu.value;
  const kwh = power === null ? null : energyKwh({ gpuHours: mid.result.gpuHours, averageWattsPerGpu: power, pue: e.money.energy.pue.value });
  const grid = e.money.grid.value;
  const kwhPrice = e.money.energy.kwhPriceUsd.value;
  return {
    result: mid.result,
    wallClockSecondsLow: fast.result.wallClockSeconds,
    wallClockSecondsHigh: slow.result.wallClockSeconds,
    gpuHoursLow: fast.result.gpuHours,
    gpuHoursHigh: slow.result.gpuHours,
    costUsdLow: fast.result.costUsd,
    costUsdHigh: slow.result.costUsd,
    energyKwh: kwh,
    co2eKg: kwh === null || grid === null ? null : co2eKg(kwh, grid.gco2PerKwh),
    energyCostUsd: kwh === null || kwhPrice === null ? null : energyCostUsd(kwh, kwhPrice),
    reliability: mid.reliability,
  };
}

/** The result with expected checkpoint stalls and interruptions added (unchanged when the model is off). */
export function withReliability(
  base: EstimateResult,
  input: EstimateInput,
  rel: ResolvedReliability | null,
): { result: EstimateResult; reliability: ComputedReliability | null } {
  if (!rel) return { result: base, reliability: null };
  const jobFailuresPerSecond = (rel.failuresPerGpuHour.value * input.gpus) / SECONDS_PER_HOUR;
  const interval = rel.checkpointIntervalSeconds.value ?? youngCheckpointIntervalSeconds(rel.checkpointStallSeconds.value, jobFailuresPerSecond);
  const out = withInterruptions({
    gpus: input.gpus,
    workSeconds: base.wallClockSeconds,
    failuresPerGpuHour: rel.failuresPerGpuHour.value,
    restartSeconds: rel.restartSeconds.value,
    checkpointIntervalSeconds: interval,
    checkpointStallSeconds: rel.checkpointStallSeconds.value,
  });
  if (!Number.isFinite(out.wallClockSeconds)) {
    throw new GpucostError(
      'E_INPUT',
      `interruptions outpace progress on ${input.gpus} GPUs: a failure every ${fmtHours(1 / jobFailuresPerSecond)} costs more than that in restart and lost work`,
      'use fewer GPUs, a shorter --restart-time or --checkpoint-interval, or a lower --failure-rate',
      'interruptions-outpace-progress',
    );
  }
  const hours = gpuHours(input.gpus, out.wallClockSeconds);
  const result: EstimateResult = {
    ...base,
    wallClockSeconds: out.wallClockSeconds,
    gpuHours: hours,
    gpuYears: gpuYears(hours),
    costUsd: input.usdPerGpuHour === null ? null : costUsd(hours, input.usdPerGpuHour),
  };
  return {
    result,
    reliability: { ...out, checkpointIntervalSeconds: interval, idealWallClockSeconds: base.wallClockSeconds, lostGpuHours: hours - base.gpuHours },
  };
}

function fmtHours(seconds: number): string {
  return `${(seconds / SECONDS_PER_HOUR).toPrecision(3)} h`;
}
