/**
 * Energy inputs: average power per GPU, PUE, electricity price and grid carbon intensity, each with
 * where it came from. Flags > presets > documented defaults.
 */
import {
  averagePowerWattsPerGpu,
  GPU_SERVER_AVERAGE_POWER_FRACTION,
  PUE_HYPERSCALE,
  PUE_INDUSTRY_AVERAGE,
  SERVER_POWER_MULTIPLIER,
  TPU_SERVER_AVERAGE_POWER_FRACTION,
  US_INDUSTRIAL_USD_PER_KWH_2023,
} from '../core/energy.js';
import { normalizeId, type Registry } from '../presets/catalog.js';
import type { GpuPreset, PricePreset } from '../presets/schema.js';
import { r, type Resolved } from './origin.js';

/** The world average grid (Ember 2024) when nothing names a grid. */
export const DEFAULT_GRID = 'world';

export interface EnergyRequest {
  /** Average power per GPU with its server share, before PUE, W. */
  powerPerGpu?: number;
  pue?: number;
  kwhPrice?: number;
  grid?: string;
  gridGco2Kwh?: number;
}

export interface GridChoice {
  id: string | null;
  name: string;
  gco2PerKwh: number;
  year: number | null;
}

export interface ResolvedEnergy {
  /** W per GPU, server share included, before PUE; null when the GPU publishes no TDP. */
  powerWattsPerGpu: Resolved<number | null>;
  pue: Resolved<number>;
  /** USD per kWh; null for rentals (the price includes power) unless given. */
  kwhPriceUsd: Resolved<number | null>;
  notes: string[];
}

/** Epoch AI's server multiplier and average fraction for a GPU preset (see core/energy.ts). */
export function powerProfile(gpu: GpuPreset): { multiplier: number; fraction: number; family: string } {
  if (gpu.vendor === 'google') {
    const v3 = gpu.id.startsWith('tpu-v3');
    return {
      multiplier: v3 ? SERVER_POWER_MULTIPLIER.tpuV3 : SERVER_POWER_MULTIPLIER.otherTpu,
      fraction: TPU_SERVER_AVERAGE_POWER_FRACTION,
      family: v3 ? 'TPU v3' : 'TPU',
    };
  }
  const fraction = GPU_SERVER_AVERAGE_POWER_FRACTION;
  for (const family of ['h100', 'a100', 'v100'] as const) {
    if (gpu.id.startsWith(family)) return { multiplier: SERVER_POWER_MULTIPLIER[family], fraction, family: family.toUpperCase() };
  }
  return { multiplier: SERVER_POWER_MULTIPLIER.otherGpu, fraction, family: 'other GPU' };
}

export function resolveEnergy(
  req: EnergyRequest,
  gpu: GpuPreset,
  provider: PricePreset | undefined,
  owned: boolean,
  flag: (k: string) => string,
): ResolvedEnergy {
  const notes: string[] = [];
  let power: Resolved<number | null>;
  if (req.powerPerGpu !== undefined) {
    power = r(req.powerPerGpu, flag('powerPerGpu'));
  } else if (gpu.tdpWatts !== undefined) {
    const p = powerProfile(gpu);
    const watts = averagePowerWattsPerGpu({ tdpWatts: gpu.tdpWatts, serverMultiplier: p.multiplier, averageFraction: p.fraction });
    power = r(watts, `${gpu.tdpWatts} W TDP × ${p.multiplier.toFixed(2)} server (${p.family}) × ${p.fraction} average draw (Epoch AI)`);
  } else {
    power = r(null, `${gpu.id} has no published TDP`);
    notes.push(`${gpu.id} publishes no TDP, so energy and CO2e are not computed (pass --power-per-gpu W)`);
  }
  const pue =
    req.pue !== undefined
      ? r(req.pue, flag('pue'))
      : provider?.kind === 'hyperscaler'
        ? r(PUE_HYPERSCALE, `default for hyperscale clouds (${provider.id}): Google fleet 2023`)
        : r(PUE_INDUSTRY_AVERAGE, 'default: industry average (Uptime Institute 2024)');
  const kwhPriceUsd =
    req.kwhPrice !== undefined
      ? r(req.kwhPrice, flag('kwhPrice'))
      : owned
        ? r(US_INDUSTRIAL_USD_PER_KWH_2023, 'default: US industrial average 2023 (EIA)')
        : r(null, 'none: a rental price includes power');
  return { powerWattsPerGpu: power, pue, kwhPriceUsd, notes };
}

/**
 * The grid: --grid-gco2-kwh > --grid > the grid of the rental price's region (provider-region is an
 * alias of a grid preset, e.g. aws-us-east-1 → us-virginia) > the world average.
 */
export function resolveGrid(
  req: EnergyRequest,
  registry: Registry,
  rental: { provider: string; region: string | undefined } | null,
  flag: (k: string) => string,
): Resolved<GridChoice | null> {
  if (req.gridGco2Kwh !== undefined) {
    return r({ id: null, name: `${req.gridGco2Kwh} gCO2e/kWh`, gco2PerKwh: req.gridGco2Kwh, year: null }, flag('gridGco2Kwh'));
  }
  if (req.grid !== undefined) {
    const g = registry.get('grids', req.grid);
    return r({ id: g.id, name: g.name, gco2PerKwh: g.gco2PerKwh, year: g.year }, flag('grid'));
  }
  if (rental?.region) {
    const g = registry.find('grids', normalizeId(`${rental.provider}-${rental.region}`));
    if (g) return r({ id: g.id, name: g.name, gco2PerKwh: g.gco2PerKwh, year: g.year }, `region of the price: ${rental.provider} ${rental.region}`);
  }
  const g = registry.find('grids', DEFAULT_GRID);
  if (!g) return r(null, `no "${DEFAULT_GRID}" grid preset; pass --grid or --grid-gco2-kwh`);
  return r({ id: g.id, name: g.name, gco2PerKwh: g.gco2PerKwh, year: g.year }, 'default: world average (--grid to choose)');
}
