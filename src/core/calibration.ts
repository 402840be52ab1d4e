/**
 * Default utilisation per accelerator generation, calibrated on published training runs.
 *
 * Each value is the median "6ND utilisation" — 6·N·D FLOPs ÷ (reported GPU-hours × dense peak) —
 * of the full training runs marked `split: fit` in presets/runs on that generation; generations
 * without such runs use the median of all of them. Computed by `npm run calibrate`
 * (scripts/calibrate.ts); tests/validation/backtest.test.ts fails when the table drifts from the data.
 * Reported GPU-hours include restarts and downtime where the sources do, so these are whole-run rates.
 */
import type { GpuArchitecture } from './enums.js';

/** Fewest fit training runs a generation needs for a value of its own (else it takes the fallback). */
export const MIN_RUNS_PER_GENERATION = 3;

export const CALIBRATED_MFU_FALLBACK = 0.409;

export const CALIBRATED_MFU: Partial<Record<GpuArchitecture, number>> = {
  ampere: 0.437, // 7 run(s)
};

/** The default utilisation for a GPU generation, and where it came from. */
export function calibratedUtilization(arch: GpuArchitecture): { value: number; calibrated: boolean } {
  const value = CALIBRATED_MFU[arch];
  return value === undefined ? { value: CALIBRATED_MFU_FALLBACK, calibrated: false } : { value, calibrated: true };
}
