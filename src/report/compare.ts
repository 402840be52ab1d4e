/** `gpucost compare`: one row per (GPU, count), with speed-up, efficiency and (by default) the article's claims. */
import { formatQuantity } from '../core/quantity.js';
import { SECONDS_PER_DAY } from '../core/units.js';
import { CLAIM_QUANTITIES } from '../presets/claims.js';
import type { CompareRow } from '../resolve/compare.js';
import { claimQuantityValue } from './claims.js';
import { ESTIMATE_COLUMNS, type EstimateRecord, estimateRecord, recordRow } from './estimate.js';
import { formatNumber } from './format.js';
import { priceSourceNotes } from './money.js';
import { type Chart, type Column, type Report, type Row, SCHEMA_VERSION } from './model.js';

export interface CompareRecord extends EstimateRecord {
  speedup: number;
  parallelEfficiency: number;
  claim: { id: string; text: string; claimed: number; unit: string; computed: number | null; deviation: number | null } | null;
}

export function compareRecord(row: CompareRow): CompareRecord {
  const rec = estimateRecord(row.estimate);
  const c = row.claim;
  const computed = c ? claimQuantityValue(c.quantity, row.estimate) : null;
  return {
    ...rec,
    speedup: row.speedup,
    parallelEfficiency: row.parallelEfficiency,
    claim: c
      ? { id: c.id, text: c.text, claimed: c.claimed, unit: CLAIM_QUANTITIES[c.quantity], computed, deviation: computed === null ? null : computed / c.claimed - 1 }
      : null,
  };
}

export function compareReport(rows: CompareRow[], options: { plot: boolean }): Report {
  const records = rows.map(compareRecord);
  const first = rows[0]?.estimate.resolved;
  const claims = records.some((r) => r.claim !== null);
  const columns: Column[] = [
    { key: 'gpu', label: 'GPU', kind: 'text' },
    { key: 'gpus', label: 'GPUs', kind: 'integer' },
    { key: 'tflops', label: 'TFLOP/s', kind: 'number' },
    { key: 'time', label: 'wall-clock', kind: 'duration-short' },
    { key: 'gpuHours', label: 'GPU-hours', kind: 'hours' },
    { key: 'gpuYears', label: 'GPU-years', kind: 'years' },
    { key: 'cost', label: 'cost', kind: 'usd' },
    { key: 'speedup', label: 'speed-up', kind: 'number', unit: '×' },
    { key: 'efficiency', label: 'efficiency', kind: 'fraction' },
    { key: 'memory', label: 'memory/GPU', kind: 'text' },
    ...(claims ? [{ key: 'claim', label: 'article', kind: 'text' } as Column, { key: 'deviation', label: 'deviation', kind: 'deviation' } as Column] : []),
  ];
  const anyCost = records.some((r) => r.costUsd !== null);
  const shown = columns.filter((c) => c.key !== 'cost' || anyCost);
  const people: Row[] = records.map((r) => ({
    gpu: r.gpu,
    gpus: r.gpus,
    tflops: r.tflopsPerGpu,
    time: r.wallClockSeconds,
    gpuHours: r.gpuHours,
    gpuYears: r.gpuYears,
    cost: r.costUsd,
    speedup: { value: r.speedup, kind: 'number', unit: '×' },
    efficiency: r.parallelEfficiency,
    memory: r.memoryPerGpuGB === null ? '—' : `${r.memoryPerGpuGB.toPrecision(3)} GB ${r.fits ? '✓' : '✗ OOM'}`,
    claim: r.claim ? `${r.claim.id}: ${formatNumber(r.claim.claimed)} ${r.claim.unit}` : null,
    deviation: r.claim?.deviation ?? null,
  }));
  const machineColumns: Column[] = [
    ...ESTIMATE_COLUMNS,
    { key: 'speedup', label: 'speed-up vs smallest count', unit: '×', kind: 'number' },
    { key: 'parallelEfficiency', label: 'efficiency vs smallest count', unit: 'fraction', kind: 'fraction' },
    ...(claims ? [{ key: 'claimId', label: 'claim', kind: 'text' } as Column, { key: 'claimDeviation', label: 'claim deviation', unit: 'fraction', kind: 'deviation' } as Column] : []),
  ];
  const machineRows = records.map((r) => ({
    ...recordRow(r),
    speedup: r.speedup,
    parallelEfficiency: r.parallelEfficiency,
    claimId: r.claim?.id ?? null,
    claimDeviation: r.claim?.deviation ?? null,
  }));
  // The same warning on many rows is said once, naming the rows.
  const byMessage = new Map<string, string[]>();
  for (const r of records) for (const w of r.warnings) byMessage.set(w, [...(byMessage.get(w) ?? []), `${r.gpus} × ${r.gpu}`]);
  const warnings = [...byMessage.entries()].map(([w, rowsWith]) => `${rowsWith.join(', ')}: ${w}`);
  const model = first ? `${first.model.name} · ${formatQuantity(first.tokens.value)} tokens` : 'no rows';
  const assumptions = first
    ? estimateSharedAssumptions(records)
    : [];
  const report: Report = {
    title: claims ? `The article's clusters: ${model}` : `${model}: ${records.length} configurations`,
    tables: [{ columns: shown, rows: people }],
    primary: { columns: machineColumns, rows: machineRows },
    assumptions,
    warnings,
    notes: claims
      ? [
          {
            title: 'Rows',
            text: 'Each row recomputes one claim of the article from its inputs (gpucost reproduce explains them): A4 and A5 use the V100 throughput implied by Megatron-LM\'s "288 years on one V100", A6 the 140 TFLOP/s measured on 1024 A100s. Speed-up and efficiency compare each row with the smallest count of the same GPU. Memory/GPU is the fastest parallel layout that fits (✓), or the leanest when none does (✗ OOM): GPT-3 cannot even start on 8 V100s.',
          },
        ]
      : [{ title: 'Columns', text: 'Speed-up and efficiency compare each row with the smallest GPU count of the same GPU type (efficiency = speed-up ÷ GPU ratio). Memory/GPU is the fastest parallel layout that fits (✓), or the leanest one when none does (✗ OOM).' }],
    json: { schemaVersion: SCHEMA_VERSION, estimates: records },
  };
  report.notes.push(...priceSourceNotes(records));
  if (options.plot) report.charts = compareCharts(records);
  return report;
}

/** Assumptions shared by every row (model, tokens, convention, scaling), with where they came from. */
function estimateSharedAssumptions(records: CompareRecord[]): Report['assumptions'] {
  const first = records[0] as CompareRecord;
  return first.assumptions.filter((a) =>
    records.every((r) => r.assumptions.some((b) => b.name === a.name && b.value === a.value && b.origin === a.origin)),
  );
}

export function compareCharts(records: CompareRecord[]): Chart[] {
  const byGpu = new Map<string, CompareRecord[]>();
  for (const r of records) byGpu.set(r.gpu, [...(byGpu.get(r.gpu) ?? []), r]);
  const series = (y: (r: CompareRecord) => number | null) =>
    [...byGpu.entries()].map(([name, rs]) => ({
      name,
      points: rs
        .map((r) => [r.gpus, y(r)] as [number, number | null])
        .filter((p): p is [number, number] => p[1] !== null && p[1] > 0)
        .sort((a, b) => a[0] - b[0]),
    }));
  const charts: Chart[] = [
    { title: 'Time to train', xLabel: 'GPUs', yLabel: 'days', xLog: true, yLog: true, yKind: 'number', series: series((r) => r.wallClockSeconds / SECONDS_PER_DAY) },
  ];
  if (records.some((r) => r.costUsd !== null)) {
    charts.push({ title: 'Cost', xLabel: 'GPUs', yLabel: 'USD', xLog: true, yLog: true, yKind: 'usd', series: series((r) => r.costUsd) });
  }
  return charts;
}
