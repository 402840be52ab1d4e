/** Budget gates for CI: a row that exceeds a limit fails the run with exit code 1. */
import type { RangeEnd } from '../core/enums.js';
import { GpucostError } from '../errors.js';

export interface GateLimits {
  maxCostUsd?: number;
  maxDays?: number;
  maxGpuHours?: number;
  /** Fail when a row's model does not fit in GPU memory. */
  failIfOom?: boolean;
  /** Fail when a row carries any error-level check (OOM, NO_LAYOUT, …). */
  failIfInfeasible?: boolean;
  /**
   * Which end of a row's range the cost, days and GPU-hours gates compare: the estimate itself
   * ('mid', the default) or the slow, costly end of its throughput range ('high'), for a budget that
   * must hold across the range.
   */
  at?: RangeEnd;
}

export interface GateSubject {
  gpu: string;
  gpus: number;
  costUsd: number | null;
  wallClockDays: number;
  gpuHours: number;
  /** The slow, costly end of the row's range (EstimateRecord's *High fields). */
  costUsdHigh: number | null;
  wallClockDaysHigh: number;
  gpuHoursHigh: number;
  /** null when memory could not be judged (no architecture). */
  fits: boolean | null;
  memoryPerGpuGB: number | null;
  gpuMemoryGB: number;
  /** The row's checks (warnings as data): error-level ones make it infeasible. */
  warnings: readonly { code: string; severity: string }[];
}

export interface GateResult {
  name: 'max-cost' | 'max-days' | 'max-gpu-hours' | 'fail-if-oom' | 'fail-if-infeasible';
  /** For the cost, days and GPU-hours gates: the end of the range compared. */
  at?: RangeEnd;
  /** The error-level check codes behind a failed --fail-if-infeasible. */
  codes?: string[];
  limit: number;
  actual: number;
  passed: boolean;
  gpu: string;
  gpus: number;
}

export function hasGates(limits: GateLimits): boolean {
  return (
    limits.maxCostUsd !== undefined ||
    limits.maxDays !== undefined ||
    limits.maxGpuHours !== undefined ||
    limits.failIfOom === true ||
    limits.failIfInfeasible === true
  );
}

/** One result per gate per row. A cost gate on a row without a price cannot be decided: that is an error. */
export function evaluateGates(limits: GateLimits, rows: GateSubject[]): GateResult[] {
  const results: GateResult[] = [];
  for (const row of rows) {
    const at = limits.at ?? 'mid';
    const check = (name: GateResult['name'], limit: number | undefined, actual: number): void => {
      if (limit !== undefined) results.push({ name, at, limit, actual, passed: actual <= limit, gpu: row.gpu, gpus: row.gpus });
    };
    if (limits.maxCostUsd !== undefined && row.costUsd === null) {
      throw new GpucostError('E_INPUT', '--max-cost needs a price to compare against', 'add --price USD per GPU-hour');
    }
    const high = at === 'high';
    check('max-cost', limits.maxCostUsd, (high ? row.costUsdHigh : row.costUsd) ?? 0);
    check('max-days', limits.maxDays, high ? row.wallClockDaysHigh : row.wallClockDays);
    check('max-gpu-hours', limits.maxGpuHours, high ? row.gpuHoursHigh : row.gpuHours);
    if (limits.failIfOom) {
      if (row.fits === null || row.memoryPerGpuGB === null) {
        throw new GpucostError('E_INPUT', '--fail-if-oom needs a model architecture to judge memory', 'give --model or --layers/--d-model');
      }
      // limit and actual are GB per GPU: the memory a GPU has, and what the layout needs.
      results.push({ name: 'fail-if-oom', limit: row.gpuMemoryGB, actual: row.memoryPerGpuGB, passed: row.fits, gpu: row.gpu, gpus: row.gpus });
    }
    if (limits.failIfInfeasible) {
      const codes = row.warnings.filter((w) => w.severity === 'error').map((w) => w.code);
      results.push({ name: 'fail-if-infeasible', limit: 0, actual: codes.length, passed: codes.length === 0, gpu: row.gpu, gpus: row.gpus, codes });
    }
  }
  return results;
}
