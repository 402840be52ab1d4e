/** Estimate → JSON record (public contract) and → Report for people. */
import { FLOPS_CONVENTION_INFO } from '../core/flops.js';
import { secondsToDays } from '../core/units.js';
import type { ComputedEstimate } from '../resolve/compute.js';
import { describeScaling, type ScalingChoice } from '../resolve/estimate.js';
import { formatQuantity } from '../core/quantity.js';
import { formatNumber, formatScientific } from './format.js';
import { type Assumption, type Column, type Report, type Row, SCHEMA_VERSION } from './model.js';

/** The numbers and ids of an estimate record (see estimateValues). */
export interface EstimateValues {
  model: string | null;
  modelName: string;
  gpu: string;
  gpuName: string;
  gpus: number;
  tokens: number;
  params: number;
  totalParams: number;
  precision: string;
  flopsConvention: string;
  trainingFlops: number;
  peakTflopsPerGpu: number;
  tflopsPerGpu: number;
  utilization: number;
  scalingModel: string;
  scalingEfficiency: number;
  wallClockSeconds: number;
  wallClockDays: number;
  gpuHours: number;
  gpuYears: number;
  pricePerGpuHourUsd: number | null;
  costUsd: number | null;
  [key: string]: unknown;
}

/** One estimate as the JSON contract spells it (schemaVersion 1). Units are in the key names. */
export interface EstimateRecord extends EstimateValues {
  assumptions: Assumption[];
  /** Remarks on how inputs were resolved (e.g. a scenario value that was dropped). */
  notes: string[];
  warnings: string[];
}


/** The numbers and ids of an estimate: its record without assumptions, notes and warnings (cheap per row). */
export function estimateValues(e: ComputedEstimate): EstimateValues {
  const { resolved: r, result, input } = e;
  return {
    model: r.model.id,
    modelName: r.model.name,
    gpu: r.gpu.id,
    gpuName: r.gpu.name,
    gpus: r.gpus.value,
    tokens: r.tokens.value,
    params: r.params.value,
    totalParams: r.totalParams,
    precision: r.precision.value,
    flopsConvention: r.convention.value,
    trainingFlops: result.trainingFlops,
    peakTflopsPerGpu: r.peakTflops,
    tflopsPerGpu: r.tflopsPerGpu.value,
    utilization: r.utilization.value,
    scalingModel: describeScaling(r.scaling.value),
    scalingEfficiency: input.scalingEfficiency,
    wallClockSeconds: result.wallClockSeconds,
    wallClockDays: secondsToDays(result.wallClockSeconds),
    gpuHours: result.gpuHours,
    gpuYears: result.gpuYears,
    pricePerGpuHourUsd: r.price.value,
    costUsd: result.costUsd,
  };
}

export function estimateRecord(e: ComputedEstimate): EstimateRecord {
  return { ...estimateValues(e), assumptions: estimateAssumptions(e), notes: e.resolved.notes, warnings: e.warnings };
}

export function estimateAssumptions(e: ComputedEstimate): Assumption[] {
  const r = e.resolved;
  const conv = FLOPS_CONVENTION_INFO[r.convention.value];
  const list: Assumption[] = [
    { name: 'Model', value: r.model.id ? `${r.model.name} (${r.model.id})` : r.model.name, origin: r.model.origin },
    { name: 'Parameters', value: formatQuantity(r.params.value), origin: r.params.origin },
    { name: 'Training tokens', value: formatQuantity(r.tokens.value), origin: r.tokens.origin },
    { name: 'GPU', value: `${r.gpu.name} (${r.gpu.id})`, origin: 'preset' },
    { name: 'GPUs', value: String(r.gpus.value), origin: r.gpus.origin },
    { name: 'Precision', value: r.precision.value, origin: r.precision.origin },
    { name: 'FLOPs convention', value: `${conv.id}: ${conv.formula}`, origin: r.convention.origin },
    { name: 'Throughput per GPU', value: `${formatNumber(r.tflopsPerGpu.value)} TFLOP/s`, origin: r.tflopsPerGpu.origin },
    { name: 'Utilisation of peak', value: `${(r.utilization.value * 100).toFixed(1)}%`, origin: r.utilization.origin },
    { name: 'Scaling', value: scalingText(r.scaling.value, e.input.scalingEfficiency), origin: r.scaling.origin },
    { name: 'Price', value: r.price.value === null ? 'none' : `$${r.price.value} per GPU-hour`, origin: r.price.origin },
  ];
  return list;
}

function scalingText(s: ScalingChoice, efficiency: number): string {
  if (s.kind === 'linear') return 'linear (every GPU adds its full throughput)';
  if (s.kind === 'efficiency') {
    return `${s.perDoubling} per doubling beyond ${s.baseGpus} GPUs: ${(efficiency * 100).toFixed(1)}% of linear here`;
  }
  return `performance model: ${(efficiency * 100).toFixed(1)}% of linear here`;
}

/** Columns of the machine table (CSV): one row per estimate, units in headers. */
export const ESTIMATE_COLUMNS: Column[] = [
  { key: 'model', label: 'model', kind: 'text' },
  { key: 'gpu', label: 'gpu', kind: 'text' },
  { key: 'gpus', label: 'gpus', kind: 'integer' },
  { key: 'tokens', label: 'tokens', kind: 'count' },
  { key: 'params', label: 'params', kind: 'count' },
  { key: 'precision', label: 'precision', kind: 'text' },
  { key: 'flopsConvention', label: 'flops convention', kind: 'text' },
  { key: 'trainingFlops', label: 'training FLOPs', unit: 'FLOP', kind: 'flops' },
  { key: 'tflopsPerGpu', label: 'throughput per GPU', unit: 'TFLOP/s', kind: 'tflops' },
  { key: 'utilization', label: 'utilisation', unit: 'fraction of peak', kind: 'fraction' },
  { key: 'scalingEfficiency', label: 'scaling efficiency', unit: 'fraction', kind: 'fraction' },
  { key: 'wallClockSeconds', label: 'wall-clock', unit: 's', kind: 'duration' },
  { key: 'wallClockDays', label: 'wall-clock days', unit: 'days', kind: 'number' },
  { key: 'gpuHours', label: 'GPU-hours', unit: 'GPU-h', kind: 'hours' },
  { key: 'gpuYears', label: 'GPU-years', unit: 'GPU-years', kind: 'years' },
  { key: 'pricePerGpuHourUsd', label: 'price', unit: 'USD per GPU-hour', kind: 'number' },
  { key: 'costUsd', label: 'cost', unit: 'USD', kind: 'usd' },
];

export function recordRow(rec: EstimateValues): Row {
  const row: Row = {};
  for (const c of ESTIMATE_COLUMNS) row[c.key] = (rec[c.key] as Row[string] | undefined) ?? null;
  return row;
}

export function estimateReport(e: ComputedEstimate): Report {
  const rec = estimateRecord(e);
  const r = e.resolved;
  const title = `${r.model.name} · ${formatQuantity(r.tokens.value)} tokens · ${r.gpus.value} × ${r.gpu.name}`;
  const conv = FLOPS_CONVENTION_INFO[r.convention.value];
  const result: Row[] = [
    { q: 'Wall-clock', v: { value: rec.wallClockSeconds, kind: 'duration' } },
    { q: 'GPU-hours', v: { value: rec.gpuHours, kind: 'hours', unit: 'GPU-hours' } },
    { q: 'GPU-years', v: { value: rec.gpuYears, kind: 'years', unit: 'GPU-years' } },
    { q: 'Cost', v: rec.costUsd === null ? 'no price given (--price USD per GPU-hour)' : { value: rec.costUsd, kind: 'usd' } },
    { q: `Training FLOPs (${conv.id})`, v: { value: rec.trainingFlops, kind: 'flops', unit: 'FLOP' } },
  ];
  const how = [
    `${formatScientific(rec.trainingFlops)} FLOP (${conv.formula}) ÷ (${rec.gpus} GPUs × ${formatNumber(rec.tflopsPerGpu)} TFLOP/s` +
      ` × scaling ${rec.scalingEfficiency}) = ${formatScientific(rec.wallClockSeconds)} s.`,
    `FLOPs convention ${conv.id}: ${conv.source}.`,
    ...r.notes.map((n) => `Note: ${n}.`),
  ].join('\n');
  return {
    title,
    tables: [{ columns: [{ key: 'q', label: 'Result', kind: 'text' }, { key: 'v', label: 'Value', kind: 'text' }], rows: result }],
    primary: { columns: ESTIMATE_COLUMNS, rows: [recordRow(rec)] },
    assumptions: rec.assumptions,
    warnings: rec.warnings,
    notes: [{ title: 'How', text: how }],
    json: { schemaVersion: SCHEMA_VERSION, estimates: [rec] },
  };
}
