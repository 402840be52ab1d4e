import { describe, expect, it } from 'vitest';
import {
  averagePowerWattsPerGpu,
  co2eKg,
  energyCostUsd,
  energyKwh,
  GPU_SERVER_AVERAGE_POWER_FRACTION,
  SERVER_POWER_MULTIPLIER,
  TPU_SERVER_AVERAGE_POWER_FRACTION,
} from '../../src/core/energy.js';
import { capexUsdPerGpuHour, chargePerYear, interconnectUsdPerGpu } from '../../src/core/owned.js';

// Hand-computed from Epoch AI's constants (training-cost-trends, energy.py): server power per GPU from
// NVIDIA's DGX maximum system power, 75% of it on average.
describe('average power per GPU (Epoch AI)', () => {
  it.each([
    // DGX A100: 6.5 kW / 8 GPUs × 0.75 = 609.375 W, whatever the 400 W TDP (it cancels)
    ['A100', 400, SERVER_POWER_MULTIPLIER.a100, GPU_SERVER_AVERAGE_POWER_FRACTION, 609.375],
    // DGX H100: 10.2 kW / 8 × 0.75 = 956.25 W
    ['H100', 700, SERVER_POWER_MULTIPLIER.h100, GPU_SERVER_AVERAGE_POWER_FRACTION, 956.25],
    // V100: mean of 625 W (DGX-2 per GPU) and 375 W (DGX Station per GPU) = 500 W × 0.75 = 375 W
    ['V100', 300, SERVER_POWER_MULTIPLIER.v100, GPU_SERVER_AVERAGE_POWER_FRACTION, 375],
    // TPU v4: 192 W × 1.56 × 0.43 = 128.79 W
    ['TPU v4', 192, SERVER_POWER_MULTIPLIER.otherTpu, TPU_SERVER_AVERAGE_POWER_FRACTION, 128.7936],
  ])('%s', (_name, tdp, multiplier, fraction, watts) => {
    expect(averagePowerWattsPerGpu({ tdpWatts: tdp, serverMultiplier: multiplier, averageFraction: fraction })).toBeCloseTo(watts, 6);
  });
});

describe('energy, carbon and electricity cost', () => {
  it('1,000 GPU-hours at 609.375 W and PUE 1.56 = 950.625 kWh; at 473 g/kWh = 449.6 kg; at $0.0806 = $76.62', () => {
    const kwh = energyKwh({ gpuHours: 1000, averageWattsPerGpu: 609.375, pue: 1.56 });
    expect(kwh).toBeCloseTo(950.625, 9);
    expect(co2eKg(kwh, 473)).toBeCloseTo(449.645625, 9);
    expect(energyCostUsd(kwh, 0.0806)).toBeCloseTo(76.620375, 9);
  });

  it("reproduces Patterson et al. 2021's GPT-3 footprint from its own inputs: 1,287 MWh, 552 tCO2e (Table 4)", () => {
    // "Carbon Emissions and Large Neural Network Training", https://arxiv.org/abs/2104.10350, Table 4:
    // 10,000 V100s for 14.8 days at 330 W average system power per processor, PUE 1.10, 429 gCO2e/kWh.
    // Tolerance 0.5%: the 14.8 days are rounded to three digits.
    const kwh = energyKwh({ gpuHours: 10_000 * 14.8 * 24, averageWattsPerGpu: 330, pue: 1.1 });
    expect(Math.abs(kwh / 1_287_000 - 1)).toBeLessThan(0.005);
    expect(Math.abs(co2eKg(kwh, 429) / 552_000 - 1)).toBeLessThan(0.005);
  });
});

describe('owned hardware: amortised capital cost (Cottier et al. 2024)', () => {
  it("Epoch AI's 0.14 orders of magnitude a year charges 0.14 · ln 10 = 32.2% of the value per year of use", () => {
    expect(chargePerYear({ kind: 'exponential', oomsPerYear: 0.14 })).toBeCloseTo(0.14 * Math.log(10), 12);
    expect(chargePerYear({ kind: 'straight-line', years: 4 })).toBe(0.25);
  });

  it('an H100 with server and network share ($41,667, hardware.yaml) costs $1.533 per GPU-hour, or $1.189 over 4 years', () => {
    // 20,579 + 13,171 + 7,917 = 41,667 USD; × 0.322362 / 8,760 h = 1.53330; ÷ (4 × 8,760) = 1.1891277
    expect(capexUsdPerGpuHour(41_667, { kind: 'exponential', oomsPerYear: 0.14 })).toBeCloseTo(1.5333, 4);
    expect(capexUsdPerGpuHour(41_667, { kind: 'straight-line', years: 4 })).toBeCloseTo(1.189127, 5);
  });

  it('the cluster network is 19% of the cluster: (GPU + server) × 0.19 / 0.81', () => {
    // hardware.yaml's H100: (20,579 + 13,171) × 0.19 / 0.81 = 7,916.7, stored as 7,917
    expect(interconnectUsdPerGpu(20_579 + 13_171)).toBeCloseTo(7916.67, 1);
  });
});
