/** Budget gates for CI: a row that exceeds a limit fails the run with exit code 1. */
import { GpucostError } from '../errors.js';

export interface GateLimits {
  maxCostUsd?: number;
  maxDays?: number;
  maxGpuHours?: number;
}

export interface GateSubject {
  gpu: string;
  gpus: number;
  costUsd: number | null;
  wallClockDays: number;
  gpuHours: number;
}

export interface GateResult {
  name: 'max-cost' | 'max-days' | 'max-gpu-hours';
  limit: number;
  actual: number;
  passed: boolean;
  gpu: string;
  gpus: number;
}

export function hasGates(limits: GateLimits): boolean {
  return limits.maxCostUsd !== undefined || limits.maxDays !== undefined || limits.maxGpuHours !== undefined;
}

/** One result per gate per row. A cost gate on a row without a price cannot be decided: that is an error. */
export function evaluateGates(limits: GateLimits, rows: GateSubject[]): GateResult[] {
  const results: GateResult[] = [];
  for (const row of rows) {
    const check = (name: GateResult['name'], limit: number | undefined, actual: number): void => {
      if (limit !== undefined) results.push({ name, limit, actual, passed: actual <= limit, gpu: row.gpu, gpus: row.gpus });
    };
    if (limits.maxCostUsd !== undefined && row.costUsd === null) {
      throw new GpucostError('E_INPUT', '--max-cost needs a price to compare against', 'add --price USD per GPU-hour');
    }
    check('max-cost', limits.maxCostUsd, row.costUsd ?? 0);
    check('max-days', limits.maxDays, row.wallClockDays);
    check('max-gpu-hours', limits.maxGpuHours, row.gpuHours);
  }
  return results;
}
