/**
 * Cost of a run on owned hardware: the hardware's capital cost amortised over the GPU-hours the run
 * uses, plus energy (Cottier et al. 2024, "The rising costs of training frontier AI models",
 * https://arxiv.org/abs/2405.21015, §2 "amortized hardware CapEx + energy").
 */
import { HOURS_PER_YEAR } from './units.js';

/**
 * Epoch AI depreciates ML hardware at the rate GPU price-performance improves: 0.14 orders of
 * magnitude per year, the trend of ML GPU price-performance (Cottier et al. 2024; the constant
 * ML_GPU_PRICE_PERFORMANCE_OOMS_PER_YEAR in their code). Value falls as 10^(−0.14·t), about 28% a year.
 */
export const EPOCH_DEPRECIATION_OOMS_PER_YEAR = 0.14;

/**
 * Exponential depreciation at k orders of magnitude per year loses value at the continuous rate
 * k·ln 10 per year (0.14 · ln 10 = 0.322/year); Epoch AI charges a run that rate times the hardware value
 * for each hour it uses (training-cost-trends, cost estimation "hardware CapEx + energy":
 * price × 0.14 × ln(10) / hours per year per chip-hour).
 */
export function exponentialChargePerYear(oomsPerYear: number): number {
  return oomsPerYear * Math.LN10;
}

/** How the hardware's value is spread over time. */
export type Depreciation = { kind: 'exponential'; oomsPerYear: number } | { kind: 'straight-line'; years: number };

/** Fraction of the hardware value charged per year of use under a depreciation model. */
export function chargePerYear(d: Depreciation): number {
  return d.kind === 'exponential' ? exponentialChargePerYear(d.oomsPerYear) : 1 / d.years;
}

/**
 * Amortised capital cost per GPU-hour in USD: hardware value per GPU (GPU, server share, network
 * share) × the yearly charge ÷ hours per year (365-day years, as everywhere in gpucost; Epoch AI's
 * code uses 365.25, a 0.07% difference).
 */
export function capexUsdPerGpuHour(hardwareUsdPerGpu: number, d: Depreciation): number {
  return (hardwareUsdPerGpu * chargePerYear(d)) / HOURS_PER_YEAR;
}

/**
 * Cluster interconnect as a share of total cluster cost: 19% (Cottier et al. 2024), so the network
 * adds (GPU + server) × 0.19 / 0.81 per GPU. The hardware price presets carry this share already,
 * worked out with this function when they were written; a purchase entry without it is priced
 * without a network share, with a warning (resolve/price.ts).
 */
export const CLUSTER_INTERCONNECT_COST_FRACTION = 0.19;

/** Network cost per GPU when it is 19% of the cluster: (GPU + server) × f / (1 − f). */
export function interconnectUsdPerGpu(gpuAndServerUsd: number, fraction = CLUSTER_INTERCONNECT_COST_FRACTION): number {
  return (gpuAndServerUsd * fraction) / (1 - fraction);
}
