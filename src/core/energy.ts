/**
 * Energy and carbon of a training run: energy = GPU-hours × average power per GPU × PUE, and
 * CO2e = energy × grid carbon intensity.
 *
 * Average power per GPU follows Epoch AI's method (Cottier et al. 2024, "The rising costs of training
 * frontier AI models", https://arxiv.org/abs/2405.21015; code: https://github.com/epoch-research/
 * training-cost-trends, energy.py): the GPU's TDP × a chip-to-server multiplier (the host's CPUs,
 * memory, NICs and fans, per GPU) × the fraction of server TDP drawn on average during training.
 */
import { GRAMS_PER_KILOGRAM, WATTS_PER_KILOWATT } from './units.js';

/**
 * Fraction of server TDP a GPU server draws on average while training: 0.75. Epoch AI (energy.py,
 * `server_TDP_fraction`) takes it from Barroso et al., "The Datacenter as a Computer" (3rd ed., p. 133:
 * average draw 75% of peak), and notes that DGX H100 systems run near peak in AI workloads (NVIDIA
 * DGX SuperPOD data-center design guide, Table 4) while GPT-3's measured 330 W per V100 was 53–88% of
 * server TDP (Patterson et al. 2021, https://arxiv.org/abs/2104.10350, Table 4).
 */
export const GPU_SERVER_AVERAGE_POWER_FRACTION = 0.75;

/**
 * Fraction of server TDP a TPU server draws on average: 0.43, the mean of measured server power of
 * Google models at 37–53% of TDP (Patterson et al. 2021, Table 4; Jouppi et al. 2021, "Ten Lessons From
 * Three Generations Shaped Google's TPUv4i", Table 1), as used by Epoch AI (energy.py).
 */
export const TPU_SERVER_AVERAGE_POWER_FRACTION = 0.43;

/**
 * Server power per GPU ÷ GPU TDP (Epoch AI, energy.py, `chip_to_server_power`), from NVIDIA's maximum
 * system power: DGX H100 10.2 kW / 8 GPUs / 700 W = 1.82; DGX A100 6.5 kW / 8 / 400 W = 2.03; V100 the
 * mean of DGX-2 (10 kW / 16 / 300 W = 2.08) and a 4-GPU DGX Station (1.5 kW / 4 / 300 W = 1.25) = 1.67;
 * 1.8 for other GPUs (the mean of those ratios).
 */
export const SERVER_POWER_MULTIPLIER = {
  h100: 10.2e3 / 8 / 700,
  a100: 6.5e3 / 8 / 400,
  v100: (10e3 / 16 / 300 + 1.5e3 / 4 / 300) / 2,
  otherGpu: 1.8,
  /** TPU v3: system 660 W / chip 450 W (Jouppi et al. 2021, Table 1). */
  tpuV3: 660 / 450,
  /** Other TPUs: mean of v2 (460/280), v3 (660/450) and v4i (275/175) = 1.56 (Epoch AI, energy.py). */
  otherTpu: 1.56,
} as const;

/**
 * Power usage effectiveness of Google's data-centre fleet in 2023: 1.10 (Google, "2024 Environmental
 * Report", https://blog.google/outreach-initiatives/sustainability/2024-environmental-report). Used for
 * hyperscale clouds; Patterson et al. 2021 (Table 4) report about 1.1 for Google and Microsoft too.
 */
export const PUE_HYPERSCALE = 1.1;

/**
 * Industry-average PUE: 1.56 (Uptime Institute, Global Data Center Survey 2024; see "Large data centers
 * are mostly more efficient, analysis confirms", https://intelligence.uptimeinstitute.com/resource/
 * large-data-centers-are-mostly-more-efficient-analysis-confirms). Used when the facility is unknown.
 */
export const PUE_INDUSTRY_AVERAGE = 1.56;

/**
 * Average US industrial electricity price in 2023: 0.0806 USD/kWh (US EIA, Electric Power Monthly,
 * Table 5.6.A, https://www.eia.gov/electricity/monthly/epm_table_grapher.php?t=epmt_5_6_a), the figure
 * Epoch AI uses for 2023 (energy.py, `energy_price`). The default for owned hardware.
 */
export const US_INDUSTRIAL_USD_PER_KWH_2023 = 0.0806;

export interface PowerInput {
  /** Accelerator TDP (board power), W. */
  tdpWatts: number;
  /** Server power per accelerator ÷ accelerator TDP. */
  serverMultiplier: number;
  /** Fraction of server TDP drawn on average during training. */
  averageFraction: number;
}

/** Average electrical power per GPU, server share included, before PUE, in W: TDP × multiplier × fraction. */
export function averagePowerWattsPerGpu(p: PowerInput): number {
  return p.tdpWatts * p.serverMultiplier * p.averageFraction;
}

export interface EnergyInput {
  gpuHours: number;
  /** Average power per GPU with its server share, W. */
  averageWattsPerGpu: number;
  /** Facility power ÷ IT power (≥ 1). */
  pue: number;
}

/** Facility energy of a run in kWh: GPU-hours × average W per GPU ÷ 1000 × PUE. */
export function energyKwh(e: EnergyInput): number {
  return (e.gpuHours * e.averageWattsPerGpu * e.pue) / WATTS_PER_KILOWATT;
}

/** Emissions in kg CO2e of `kwh` kWh drawn from a grid of `gco2PerKwh` g CO2e per kWh. */
export function co2eKg(kwh: number, gco2PerKwh: number): number {
  return (kwh * gco2PerKwh) / GRAMS_PER_KILOGRAM;
}

/**
 * Electricity cost per GPU-hour in USD: average W per GPU × PUE ÷ 1000 × USD per kWh (the energy
 * part of owned hardware's hourly cost, Cottier et al. 2024, https://arxiv.org/abs/2405.21015).
 */
export function energyCostUsdPerGpuHour(averageWattsPerGpu: number, pue: number, usdPerKwh: number): number {
  return (averageWattsPerGpu * pue * usdPerKwh) / WATTS_PER_KILOWATT;
}

/** Cost in USD of `kwh` kWh at `usdPerKwh`. */
export function energyCostUsd(kwh: number, usdPerKwh: number): number {
  return kwh * usdPerKwh;
}
