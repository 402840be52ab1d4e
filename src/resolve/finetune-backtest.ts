/**
 * The fine-tuning validation set (presets/finetune/): each measured row beside what gpucost predicts
 * for its configuration, peak memory per GPU and tokens per second per GPU from the step-time model.
 * Pure: presets come in through a Registry.
 */
import { bytesSeenBy } from '../core/memory.js';
import { BYTES_PER_GIB } from '../core/units.js';
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import type { FinetuneRow, FinetuneSet } from '../presets/schema.js';
import { archFromInput } from '../presets/to-core.js';
import { median } from './backtest.js';
import { percentile } from './throughput.js';
import { computeEstimate } from './compute.js';
import { type EstimateRequest, resolveEstimate } from './estimate.js';
import type { ZeroStage } from '../core/parallel.js';
import { layerSecondsPerMicroBatch } from '../core/perf.js';

export interface FinetuneCase {
  set: FinetuneSet;
  row: FinetuneRow;
  split: 'fit' | 'holdout';
  /**
   * Predicted peak memory per GPU, GiB, and tokens per second per GPU from the step-time model; beside
   * it, the tokens per second of peak × the calibrated utilisation (`--perf mfu`), the constant the
   * model has to beat.
   */
  predicted: { memoryGiB: number; tokensPerSecondPerGpu: number; constantTokensPerSecondPerGpu: number };
  /** GPU seconds per layer per micro-batch of the layout (layerSecondsPerMicroBatch): how small the step is (HOST_BOUND). */
  layerSeconds: number;
  /** predicted ÷ measured − 1 where the row measured it, else null. */
  error: { memory: number | null; speed: number | null; speedConstant: number | null };
}

export interface FinetuneSummary {
  split: 'fit' | 'holdout';
  memoryRows: number;
  memoryMedianAbsError: number | null;
  memoryMedianError: number | null;
  speedRows: number;
  speedMedianAbsError: number | null;
  /** 90th percentile of the step-time model's |error| on tokens/s. */
  speedP90AbsError: number | null;
  /** The same two for peak × the calibrated utilisation. */
  speedConstantMedianAbsError: number | null;
  speedConstantP90AbsError: number | null;
  /** Rows within issue 20's bars: memory within MEMORY_BAR, tokens/s within SPEED_BAR. */
  memoryRowsWithinBar: number;
  speedRowsWithinBar: number;
}

/** Issue 20's bars: memory within 10%, time within 20% of the held-out measurements. */
export const MEMORY_BAR = 0.1;
export const SPEED_BAR = 0.2;

export function finetuneCases(sets: FinetuneSet[], registry: Registry): FinetuneCase[] {
  return sets.flatMap((set) => set.rows.map((row) => finetuneCase(set, row, registry)));
}

function finetuneCase(set: FinetuneSet, row: FinetuneRow, registry: Registry): FinetuneCase {
  const e = computeEstimate(resolveEstimate(request(row), registry));
  const chosen = e.layout?.chosen;
  if (!chosen) throw new GpucostError('E_INPUT', `fine-tuning row ${row.id}: no layout holds it`, 'check its GPU count, micro-batch and sequence length');
  // A measured peak sees the part of the framework allowance its metric counts.
  const memoryGiB = bytesSeenBy(chosen.memory, row.measured.memoryMetric, chosen.plan) / BYTES_PER_GIB;
  const tokensPerSecondPerGpu = (globalBatchOf(row) * row.seqLen) / chosen.step.stepSeconds / row.gpus;
  const constant = computeEstimate(resolveEstimate({ ...request(row), perf: 'mfu' }, registry));
  const constantTokensPerSecondPerGpu = TIMED_TOKENS / constant.result.wallClockSeconds / row.gpus;
  const m = row.measured;
  const speedError = (predicted: number) => (m.tokensPerSecondPerGpu === undefined ? null : predicted / m.tokensPerSecondPerGpu - 1);
  return {
    set,
    row,
    split: set.split,
    predicted: { memoryGiB, tokensPerSecondPerGpu, constantTokensPerSecondPerGpu },
    layerSeconds: layerSecondsPerMicroBatch(chosen.step, chosen.plan, e.resolved.model.arch?.layers ?? 1),
    error: {
      memory: m.memoryGiB === undefined ? null : memoryGiB / m.memoryGiB - 1,
      speed: speedError(tokensPerSecondPerGpu),
      speedConstant: speedError(constantTokensPerSecondPerGpu),
    },
  };
}

/** Tokens the estimate is asked for: any amount, the rows are rates and peaks. */
const TIMED_TOKENS = 1e9;

/** Sequences a step: as the row gives it, else one micro-batch on each data-parallel rank. */
function globalBatchOf(row: FinetuneRow): number {
  const modelParallel = (row.tp ?? 1) * (row.pp ?? 1) * (row.cp ?? 1);
  return row.globalBatch ?? (row.microBatch * row.gpus) / modelParallel;
}

/** The row as an estimate request: its layout fixed (data parallel unless it says otherwise), timed by the step-time model. */
function request(row: FinetuneRow): EstimateRequest {
  return {
    scenario: 'none',
    ...(row.model !== undefined
      ? { model: row.model }
      : {
          customModel: {
            name: row.id,
            arch: archFromInput(row.architecture as NonNullable<FinetuneRow['architecture']>),
            origin: 'row architecture',
            notes: [],
          },
        }),
    gpu: row.gpu,
    gpus: row.gpus,
    tokens: TIMED_TOKENS,
    seqLen: row.seqLen,
    microBatch: row.microBatch,
    globalBatch: globalBatchOf(row),
    tp: row.tp ?? 1,
    pp: row.pp ?? 1,
    ...(row.cp !== undefined ? { cp: row.cp } : {}),
    ...(row.zero !== undefined ? { zero: row.zero as ZeroStage } : {}),
    ...(row.precision !== undefined ? { precision: row.precision } : {}),
    recompute: row.recompute,
    perf: 'model',
    reliability: false,
    finetune: row.method,
    ...(row.loraRank !== undefined ? { loraRank: row.loraRank } : {}),
    ...(row.loraTargets !== undefined ? { loraTargets: row.loraTargets } : {}),
    ...(row.loraDropout !== undefined ? { loraDropout: row.loraDropout } : {}),
    ...(row.quant !== undefined ? { quant: row.quant } : {}),
    ...(row.bnbLegacy !== undefined ? { bnbLegacy: row.bnbLegacy } : {}),
    ...(row.peftPrepare !== undefined ? { peftPrepare: row.peftPrepare } : {}),
    ...(row.fp8Params ? { fp8Params: true } : {}),
    ...(row.fp8Attention ? { fp8Attention: true } : {}),
    ...(row.optimizer !== undefined ? { optimizer: row.optimizer } : {}),
    ...(row.loss !== undefined ? { loss: row.loss } : {}),
    ...(row.kernels !== undefined ? { kernels: row.kernels } : {}),
  };
}

export function finetuneSummaries(cases: FinetuneCase[]): FinetuneSummary[] {
  return (['fit', 'holdout'] as const).map((split) => {
    const sel = cases.filter((c) => c.split === split);
    const memory = sel.flatMap((c) => (c.error.memory === null ? [] : [c.error.memory]));
    const speed = sel.flatMap((c) => (c.error.speed === null ? [] : [Math.abs(c.error.speed)]));
    const constant = sel.flatMap((c) => (c.error.speedConstant === null ? [] : [Math.abs(c.error.speedConstant)]));
    return {
      split,
      memoryRows: memory.length,
      memoryMedianAbsError: memory.length ? median(memory.map(Math.abs)) : null,
      memoryMedianError: memory.length ? median(memory) : null,
      speedRows: speed.length,
      speedMedianAbsError: speed.length ? median(speed) : null,
      speedP90AbsError: percentile90(speed),
      speedConstantMedianAbsError: constant.length ? median(constant) : null,
      speedConstantP90AbsError: percentile90(constant),
      memoryRowsWithinBar: memory.filter((e) => Math.abs(e) <= MEMORY_BAR).length,
      speedRowsWithinBar: speed.filter((e) => e <= SPEED_BAR).length,
    };
  });
}

/** The value 90% of `values` stay at or under; null for none. */
function percentile90(values: number[]): number | null {
  return values.length ? percentile(values, 0.9) : null;
}
