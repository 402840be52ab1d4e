/** Money, energy, carbon, range and reliability of an estimate: JSON fields, table rows, assumptions. */
import { daysToSeconds, secondsToDays } from '../core/units.js';
import type { ComputedEstimate } from '../resolve/compute.js';
import type { PriceSource } from '../resolve/price.js';
import { formatDuration, formatNumber, formatScientific, formatUsd } from './format.js';
import type { Assumption, Column, Row } from './model.js';

/** The fields issue 6 adds to every estimate record (JSON contract, since schemaVersion 1). */
export interface MoneyRecordFields {
  costUsdLow: number | null;
  costUsdHigh: number | null;
  wallClockDaysLow: number;
  wallClockDaysHigh: number;
  /** GPU-hours at the fast and slow ends of the range (the run's GPUs × its wall-clock there). */
  gpuHoursLow: number;
  gpuHoursHigh: number;
  /** Sustained TFLOP/s per GPU at the slow and fast ends of the range. */
  tflopsPerGpuLow: number;
  tflopsPerGpuHigh: number;
  energyKwh: number | null;
  co2eKg: number | null;
  /** Electricity cost, USD: part of costUsd for owned hardware; for rentals only when --kwh-price is given (and not added). */
  energyCostUsd: number | null;
  averagePowerWattsPerGpu: number | null;
  pue: number;
  gridGco2PerKwh: number | null;
  grid: string | null;
  priceSource: PriceSource | null;
  reliability: {
    failuresPerGpuHour: number;
    restartSeconds: number;
    checkpointIntervalSeconds: number;
    checkpointStallSeconds: number;
    interruptions: number;
    idealWallClockDays: number;
    lostGpuHours: number;
    goodput: number;
  } | null;
}

export function moneyRecordFields(e: ComputedEstimate): MoneyRecordFields {
  const m = e.money;
  const rm = e.resolved.money;
  const rel = m.reliability;
  const relIn = rm.reliability;
  return {
    costUsdLow: m.costUsdLow,
    costUsdHigh: m.costUsdHigh,
    wallClockDaysLow: secondsToDays(m.wallClockSecondsLow),
    wallClockDaysHigh: secondsToDays(m.wallClockSecondsHigh),
    gpuHoursLow: m.gpuHoursLow,
    gpuHoursHigh: m.gpuHoursHigh,
    tflopsPerGpuLow: e.resolved.throughputRange.value.low,
    tflopsPerGpuHigh: e.resolved.throughputRange.value.high,
    energyKwh: m.energyKwh,
    co2eKg: m.co2eKg,
    energyCostUsd: m.energyCostUsd,
    averagePowerWattsPerGpu: rm.energy.powerWattsPerGpu.value,
    pue: rm.energy.pue.value,
    gridGco2PerKwh: rm.grid.value?.gco2PerKwh ?? null,
    grid: rm.grid.value?.id ?? null,
    priceSource: rm.priceSource,
    reliability:
      rel && relIn
        ? {
            failuresPerGpuHour: relIn.failuresPerGpuHour.value,
            restartSeconds: relIn.restartSeconds.value,
            checkpointIntervalSeconds: rel.checkpointIntervalSeconds,
            checkpointStallSeconds: relIn.checkpointStallSeconds.value,
            interruptions: rel.interruptions,
            idealWallClockDays: secondsToDays(rel.idealWallClockSeconds),
            lostGpuHours: rel.lostGpuHours,
            goodput: rel.goodput,
          }
        : null,
  };
}

/** Columns of the machine table (CSV) for these fields; `priceSource` is exported as its description. */
export const MONEY_COLUMNS: Column[] = [
  { key: 'wallClockDaysLow', label: 'wall-clock days low', unit: 'days', kind: 'number' },
  { key: 'wallClockDaysHigh', label: 'wall-clock days high', unit: 'days', kind: 'number' },
  { key: 'gpuHoursLow', label: 'GPU-hours low', unit: 'GPU-h', kind: 'hours' },
  { key: 'gpuHoursHigh', label: 'GPU-hours high', unit: 'GPU-h', kind: 'hours' },
  { key: 'costUsdLow', label: 'cost low', unit: 'USD', kind: 'usd' },
  { key: 'costUsdHigh', label: 'cost high', unit: 'USD', kind: 'usd' },
  { key: 'priceSource', label: 'price source', kind: 'text' },
  { key: 'energyKwh', label: 'energy', unit: 'kWh', kind: 'number' },
  { key: 'co2eKg', label: 'CO2e', unit: 'kg', kind: 'number' },
];

export function moneyCell(rec: MoneyRecordFields, key: string): Row[string] {
  if (key === 'priceSource') return rec.priceSource?.description ?? null;
  return (rec[key as keyof MoneyRecordFields] as number | null | undefined) ?? null;
}

/** "30.2 days – 37.9 days". */
function rangeText(low: number, high: number, format: (x: number) => string): string {
  return `${format(low)} – ${format(high)}`;
}

function formatKwh(kwh: number): string {
  if (kwh >= 1e6) return `${formatNumber(kwh / 1e6, 3)} GWh`;
  if (kwh >= 1e3) return `${formatNumber(kwh / 1e3, 3)} MWh`;
  return `${formatNumber(kwh, 3)} kWh`;
}

function formatCo2e(kg: number): string {
  return kg >= 1e3 ? `${formatNumber(kg / 1e3, 3)} t CO2e` : `${formatNumber(kg, 3)} kg CO2e`;
}

/** Rows of the estimate's result table: the range of time, the price used, energy, carbon, interruptions. */
export function timeRangeRows(rec: MoneyRecordFields): Row[] {
  const low = daysToSeconds(rec.wallClockDaysLow);
  const high = daysToSeconds(rec.wallClockDaysHigh);
  return [{ q: 'Wall-clock range', v: rangeText(low, high, formatDuration) }];
}

export function moneyRows(rec: MoneyRecordFields, e: ComputedEstimate): Row[] {
  const rows: Row[] = [];
  if (rec.costUsdLow !== null && rec.costUsdHigh !== null) rows.push({ q: 'Cost range', v: rangeText(rec.costUsdLow, rec.costUsdHigh, formatUsd) });
  if (rec.priceSource) rows.push({ q: 'Price used', v: rec.priceSource.description });
  const grid = e.resolved.money.grid.value;
  rows.push({ q: 'Energy', v: rec.energyKwh === null ? 'not computed (no power figure; --power-per-gpu W)' : formatKwh(rec.energyKwh) });
  if (rec.co2eKg !== null && grid) rows.push({ q: 'CO2e', v: `${formatCo2e(rec.co2eKg)} (${grid.id ?? grid.name}, ${grid.gco2PerKwh} g/kWh)` });
  if (rec.energyCostUsd !== null) {
    const inRent = rec.priceSource?.kind !== 'owned';
    rows.push({ q: 'Energy cost', v: `${formatUsd(rec.energyCostUsd)}${inRent ? ' (inside the rental price; not added)' : ' (included in cost)'}` });
  }
  const rel = rec.reliability;
  if (rel) {
    rows.push({
      q: 'Interruptions',
      v: `${formatNumber(rel.interruptions, 3)} expected; ${formatNumber(rel.goodput * 100, 3)}% goodput, ${formatNumber(rel.lostGpuHours)} GPU-hours lost`,
    });
  }
  return rows;
}

export function moneyAssumptions(e: ComputedEstimate): Assumption[] {
  const m = e.resolved.money;
  const list: Assumption[] = [
    {
      name: 'Throughput range',
      value: `${formatNumber(e.resolved.throughputRange.value.low)}–${formatNumber(e.resolved.throughputRange.value.high)} TFLOP/s`,
      origin: e.resolved.throughputRange.origin,
    },
  ];
  const power = m.energy.powerWattsPerGpu;
  list.push({ name: 'Power per GPU', value: power.value === null ? 'unknown' : `${formatNumber(power.value, 3)} W with server share`, origin: power.origin });
  list.push({ name: 'PUE', value: String(m.energy.pue.value), origin: m.energy.pue.origin });
  if (m.energy.kwhPriceUsd.value !== null)
    list.push({ name: 'Electricity', value: `$${m.energy.kwhPriceUsd.value} per kWh`, origin: m.energy.kwhPriceUsd.origin });
  const grid = m.grid.value;
  list.push({
    name: 'Grid',
    value: grid ? `${grid.id ?? 'given'}: ${grid.gco2PerKwh} gCO2e/kWh${grid.year ? ` (${grid.year})` : ''}` : 'none',
    origin: m.grid.origin,
  });
  const rel = m.reliability;
  if (rel) {
    list.push({ name: 'Failure rate', value: `${formatScientific(rel.failuresPerGpuHour.value)} per GPU-hour`, origin: rel.failuresPerGpuHour.origin });
    list.push({ name: 'Restart time', value: formatDuration(rel.restartSeconds.value), origin: rel.restartSeconds.origin });
    const interval = rel.checkpointIntervalSeconds.value ?? e.money.reliability?.checkpointIntervalSeconds;
    list.push({ name: 'Checkpoint interval', value: interval === undefined ? '—' : formatDuration(interval), origin: rel.checkpointIntervalSeconds.origin });
    list.push({ name: 'Checkpoint stall', value: formatDuration(rel.checkpointStallSeconds.value), origin: rel.checkpointStallSeconds.origin });
  }
  return list;
}

/** The "how" of interruptions, with the numbers filled in. */
export function reliabilityHowText(e: ComputedEstimate): string | null {
  const rel = e.money.reliability;
  if (!rel) return null;
  return (
    `Interruptions: ${formatDuration(rel.idealWallClockSeconds)} of training × (1 + stall ÷ interval) ÷ (1 − failures per second × ` +
    `(restart + (interval + stall) / 2)) = ${formatDuration(rel.wallClockSeconds)} (Young 1974; failure rate from Llama 3, https://arxiv.org/abs/2407.21783 §3.3.4).`
  );
}

/** The "how" of energy and carbon, with the numbers filled in. */
export function energyHowText(rec: MoneyRecordFields, gpuHours: number): string | null {
  if (rec.energyKwh === null || rec.averagePowerWattsPerGpu === null) return null;
  const carbon = rec.co2eKg === null || rec.gridGco2PerKwh === null ? '' : `; × ${rec.gridGco2PerKwh} gCO2e/kWh = ${formatCo2e(rec.co2eKg)}`;
  return (
    `Energy: ${formatNumber(gpuHours)} GPU-hours × ${formatNumber(rec.averagePowerWattsPerGpu, 3)} W × PUE ${rec.pue} = ${formatKwh(rec.energyKwh)}${carbon}` +
    ' (average power per GPU: Epoch AI, Cottier et al. 2024, https://arxiv.org/abs/2405.21015).'
  );
}

/** One note naming the prices rows used (preset or owned), when any did: the cost column's sources. */
export function priceSourceNotes(records: MoneyRecordFields[]): { title: string; text: string }[] {
  const seen = [
    ...new Set(
      records
        .map((r) => r.priceSource)
        .filter((p) => p && (p.kind === 'rental' || p.kind === 'owned'))
        .map((p) => p?.description ?? ''),
    ),
  ];
  return seen.length > 0 ? [{ title: 'Prices', text: seen.join('\n') }] : [];
}
