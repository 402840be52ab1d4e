/** `gpucost prices`: one run at every provider × GPU × tier that can hold it, cheapest first. */
import { formatQuantity } from '../core/quantity.js';
import { type Warning, blockingCheck } from '../core/warnings.js';
import type { PriceTier } from '../core/enums.js';
import type { ExcludedOffering, PriceRow, PricesResult } from '../resolve/prices.js';
import { sharedAssumptions } from './compare.js';
import { estimateAssumptions, estimateValues } from './estimate.js';
import { type Column, type Report, type Row, SCHEMA_VERSION } from './model.js';
import { generationDefaultsWarning, mergeWarnings, peakRankingWarning } from './warnings.js';

/** One row of `gpucost prices --format json`. */
export interface PriceRecord {
  provider: string;
  providerName: string;
  tier: PriceTier;
  gpu: string;
  gpuName: string;
  gpus: number;
  instance: string | null;
  region: string | null;
  usdPerGpuHour: number;
  asOf: string;
  /** Days from asOf to today. */
  ageDays: number | null;
  /** Older than six months (183 days). */
  dated: boolean;
  /** Older than a year (PRICE_STALE). */
  stale: boolean;
  source: { title: string; url: string };
  /** How the offering holds the run: "one instance of 8 GPUs", "multi-node over EFA …". */
  reach: string;
  interconnect: string | null;
  wallClockSeconds: number;
  wallClockDays: number;
  gpuHours: number;
  costUsd: number | null;
  /** Whether some parallel layout fits in GPU memory (null without an architecture). */
  fits: boolean | null;
  memoryPerGpuGB: number | null;
  warnings: Warning[];
}

/** `gpucost prices --format json`. */
export interface PricesDocument {
  schemaVersion: number;
  prices: PriceRecord[];
  /** Offerings left out: they cannot hold the run (`reaches: false`) or the presets do not say (`null`). */
  excluded: ExcludedOffering[];
  warnings: Warning[];
}

export function priceRecord(row: PriceRow): PriceRecord {
  const v = estimateValues(row.estimate);
  const source = row.estimate.resolved.money.priceSource;
  return {
    provider: row.provider.id,
    providerName: row.provider.name,
    tier: row.tier,
    gpu: v.gpu,
    gpuName: v.gpuName,
    gpus: v.gpus,
    instance: row.entry.instance ?? null,
    region: row.entry.region ?? null,
    usdPerGpuHour: row.entry.usdPerGpuHour,
    asOf: row.entry.asOf,
    ageDays: row.ageDays,
    dated: row.dated,
    stale: source?.stale ?? false,
    source: { title: row.entry.source.title, url: row.entry.source.url },
    reach: row.reach,
    interconnect: row.entry.cluster?.interconnect ?? null,
    wallClockSeconds: v.wallClockSeconds,
    wallClockDays: v.wallClockDays,
    gpuHours: v.gpuHours,
    costUsd: v.costUsd,
    fits: v.fits,
    memoryPerGpuGB: v.memoryPerGpuGB,
    warnings: row.warnings,
  };
}

const COLUMNS: Column[] = [
  { key: 'provider', label: 'provider', kind: 'text' },
  { key: 'gpu', label: 'GPU', kind: 'text' },
  { key: 'tier', label: 'tier', kind: 'text' },
  { key: 'instance', label: 'instance', kind: 'text', dropOrder: 1 },
  { key: 'usdPerGpuHour', label: '$/GPU-h', unit: 'USD', kind: 'number' },
  { key: 'asOf', label: 'as of', kind: 'text', dropOrder: 5 },
  { key: 'time', label: 'wall-clock', unit: 's', kind: 'duration-short' },
  { key: 'gpuHours', label: 'GPU-hours', unit: 'h', kind: 'hours', dropOrder: 4 },
  { key: 'cost', label: 'cost', unit: 'USD', kind: 'usd' },
  { key: 'reach', label: 'cluster', kind: 'text', dropOrder: 3 },
  { key: 'memory', label: 'memory/GPU', kind: 'text', dropOrder: 2 },
];

function tableRow(r: PriceRecord): Row {
  const age = r.stale ? ' (over a year old)' : r.dated ? ' (over 6 months old)' : '';
  return {
    provider: r.provider,
    gpu: r.gpu,
    tier: r.tier,
    instance: r.instance ?? '—',
    usdPerGpuHour: r.usdPerGpuHour,
    asOf: `${r.asOf}${age}`,
    time: r.wallClockSeconds,
    gpuHours: r.gpuHours,
    cost: r.costUsd,
    reach: r.reach,
    memory: r.memoryPerGpuGB === null ? '—' : `${r.memoryPerGpuGB.toPrecision(3)} GB ${r.fits ? '✓' : '✗ OOM'}`,
  };
}

/** The CSV's row: raw values, the age in days beside the date. */
function machineRow(r: PriceRecord): Row {
  return { ...tableRow(r), asOf: r.asOf, ageDays: r.ageDays, dated: r.dated, stale: r.stale, sourceUrl: r.source.url };
}

const MACHINE_COLUMNS: Column[] = [
  ...COLUMNS,
  { key: 'ageDays', label: 'age', unit: 'days', kind: 'integer' },
  { key: 'dated', label: 'dated', kind: 'text' },
  { key: 'stale', label: 'stale', kind: 'text' },
  { key: 'sourceUrl', label: 'source', kind: 'text' },
];

const ROW_NAMES = {
  label: (r: PriceRow): string => `${r.provider.id} ${r.tier} ${r.estimate.resolved.gpu.id}`,
  ref: (r: PriceRow) => ({ provider: r.provider.id, tier: r.tier, gpu: r.estimate.resolved.gpu.id }),
  prefix: (labels: string[]): string => (labels.length <= 6 ? labels.join(', ') : `${labels.slice(0, 5).join(', ')}, … (${labels.length} rows)`),
};

export function pricesReport(result: PricesResult, gpus: number): Report {
  const { rows, excluded } = result;
  const records = rows.map(priceRecord);
  const first = rows[0]?.estimate.resolved;
  const warnings = [
    ...mergeWarnings(rows, (r) => r.warnings, ROW_NAMES),
    ...generationDefaultsWarning(rows, (r) => r.estimate, ROW_NAMES.ref),
    ...peakRankingWarning(rows, (r) => r.estimate, ROW_NAMES.ref),
  ];
  const onGpus = `${gpus} ${gpus === 1 ? 'GPU' : 'GPUs'}`;
  const what = first ? `${first.model.name} · ${formatQuantity(first.tokens.value)} tokens on ${onGpus}` : onGpus;
  const blocked = rows.filter((r) => blockingCheck(r.warnings)).length;
  const order = blocked === 0 ? 'cheapest first' : `cheapest first; the ${blocked} that cannot run this plan come last`;
  return {
    title: `${what}: ${records.length} offerings, ${order}`,
    tables: [{ columns: COLUMNS, rows: records.map(tableRow) }],
    primary: { columns: MACHINE_COLUMNS, rows: records.map(machineRow) },
    assumptions: first ? sharedAssumptions(rows.map((r) => estimateAssumptions(r.estimate))) : [],
    warnings,
    notes: [...excludedNotes(excluded, gpus), AGE_NOTE],
    json: { schemaVersion: SCHEMA_VERSION, prices: records, excluded, warnings },
  };
}

const AGE_NOTE = {
  title: 'Prices',
  text: 'Each row is priced at its provider’s own price for that GPU and tier (the lowest of its instances that can hold the run), as of the date shown; prices over six months old are marked, and over a year old draw PRICE_STALE. Historical price lists (kind: historical) are left out.',
};

/** How many offerings were left out, and why: they cannot reach the count, or the presets do not say. */
function excludedNotes(excluded: ExcludedOffering[], gpus: number): { title: string; text: string }[] {
  if (excluded.length === 0) return [];
  const cannot = excluded.filter((e) => e.reaches === false);
  const unknown = excluded.filter((e) => e.reaches === null);
  const noPeak = excluded.filter((e) => e.precision !== undefined);
  const name = (e: ExcludedOffering) => `${e.provider} ${e.gpu} ${e.tier}${e.instance ? ` (${e.instance})` : ''}`;
  const parts: string[] = [];
  if (cannot.length)
    parts.push(`${cannot.length} cannot hold ${gpus} GPUs (single instances too small, no multi-node network): ${cannot.map(name).join('; ')}`);
  if (unknown.length)
    parts.push(
      `${unknown.length} are left out because the presets do not say whether they reach ${gpus} GPUs (instance size or multi-node network unknown): ${unknown.map(name).join('; ')}`,
    );
  if (noPeak.length) {
    const gpuIds = [...new Set(noPeak.map((e) => e.gpu))].sort();
    parts.push(`${noPeak.length} are on GPUs with no ${noPeak[0]?.precision} peak (${gpuIds.join(', ')})`);
  }
  return [{ title: `Left out: ${excluded.length} offerings`, text: `${parts.join('. ')}.` }];
}
