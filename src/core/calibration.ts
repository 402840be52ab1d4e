/**
 * Default utilisation, calibrated on published training runs: the median "6ND utilisation" —
 * 6·N·D FLOPs ÷ (reported GPU-hours × dense peak) — of the full training runs marked `split: fit`
 * in presets/runs. Computed by `npm run calibrate` (scripts/calibrate.ts);
 * tests/validation/backtest.test.ts fails when the table drifts from the data. Reported GPU-hours
 * include restarts and downtime where the sources do, so these are whole-run rates.
 *
 * One median over every generation's runs (PER_GENERATION false), as the batch rule of
 * docs/published-runs.md last chose: the tenth batch's four held-out runs were 3 points or more
 * closer to it than to the per-generation medians (40.4% against 44.0%), and the eleventh batch's
 * test over all 21 distinguishing held-out runs kept it (28.4% against 27.0%). With PER_GENERATION true a
 * generation with MIN_RUNS_PER_GENERATION fit runs has a median of its own, as from the first batch
 * to the fourth and after the ninth (Ampere 0.433, Hopper 0.255).
 */
import type { GpuArchitecture } from './enums.js';

/** Whether a generation with enough fit runs gets a median of its own (else every one takes the pooled median). */
export const PER_GENERATION = false;

/** Fewest fit training runs a generation needs for a value of its own, when PER_GENERATION. */
export const MIN_RUNS_PER_GENERATION = 3;

export const CALIBRATED_MFU_FALLBACK = 0.309;

export const CALIBRATED_MFU: Partial<Record<GpuArchitecture, number>> = {};

/** The default utilisation for a GPU generation, and where it came from. */
export function calibratedUtilization(arch: GpuArchitecture): { value: number; calibrated: boolean } {
  const value = CALIBRATED_MFU[arch];
  return value === undefined ? { value: CALIBRATED_MFU_FALLBACK, calibrated: false } : { value, calibrated: true };
}

/**
 * FP8 training's speed-up over BF16 at the same layout, for the default estimate without an
 * architecture: the median ratio of tokens/s/GPU over the six paired FP8 and BF16 rows of the fit
 * set (MosaicML llm-foundry MPT 1B and 3B on 8 H100 at 512, 8,192 and 32,768 tokens: 1.00–1.35;
 * "MPT Training Benchmarks", https://github.com/mosaicml/llm-foundry/blob/495218376830947dce625efabc4d86be7c47cc45/scripts/train/benchmarking/README.md).
 * tests/validation/fp8-default.test.ts recomputes it from presets/throughput. The held-out TorchTitan
 * pairs of Llama 3.1 8B–405B gain 0.85–1.62 (median 1.29), which is why an estimate that has an
 * architecture takes the step-time model's gain instead.
 */
export const FP8_GAIN_OVER_BF16 = 1.126;
