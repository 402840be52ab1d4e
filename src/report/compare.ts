/** `gpucost compare`: one row per (GPU, count), with speed-up, efficiency and (by default) the article's claims. */
import { formatQuantity } from '../core/quantity.js';
import { MEMORY_PEAK_SPREAD } from '../core/range.js';
import { SECONDS_PER_DAY } from '../core/units.js';
import { warning } from '../core/warnings.js';
import { CLAIM_QUANTITIES } from '../presets/claims.js';
import { type CompareRow, FEWEST_THAT_FIT_ORIGIN } from '../resolve/compare.js';
import { claimQuantityValue } from './claims.js';
import {
  ESTIMATE_COLUMNS,
  MONEY_KEYS,
  type EstimateRecord,
  type EstimateValues,
  type PlanRecord,
  estimateAssumptions,
  estimateValues,
  recordRow,
} from './estimate.js';
import { formatDeviation, formatNumber } from './format.js';
import { formatGrouped } from '../core/grouping.js';
import { moneyCell, priceSourceNotes } from './money.js';
import { type Cell, type Chart, type Column, type Report, type ReportWarning, type Row, SCHEMA_VERSION, type Table } from './model.js';
import { generationDefaultsWarning, mergeWarnings, peakRankingWarning } from './warnings.js';
import { briefLine } from './brief.js';

/** A CompareRecord without its lists: what the tables and CSV need, cheap for many rows. */
export interface CompareValues extends EstimateValues {
  speedup: number;
  parallelEfficiency: number;
  claim: { id: string; text: string; claimed: number; unit: string; computed: number | null; deviation: number | null } | null;
}

export interface CompareRecord extends EstimateRecord, CompareValues {}

/** A row's full JSON record: its values (as the report built them) with the estimate's assumptions, notes and warnings, in estimateRecord's key order. */
function compareRecord(values: CompareValues, row: CompareRow): CompareRecord {
  const { speedup, parallelEfficiency, claim, ...estimate } = values;
  return {
    ...estimate,
    assumptions: estimateAssumptions(row.estimate),
    notes: row.estimate.resolved.notes,
    warnings: row.estimate.warnings,
    speedup,
    parallelEfficiency,
    claim,
  };
}

export function compareValues(row: CompareRow): CompareValues {
  // The same keys, in the same order, as spreading both; assigning to the fresh object is cheaper
  // for the 100,000 rows of a large comparison.
  return Object.assign(estimateValues(row.estimate), compareExtras(row)) as CompareValues;
}

function compareExtras(row: CompareRow): Pick<CompareValues, 'speedup' | 'parallelEfficiency' | 'claim'> {
  const c = row.claim;
  const computed = c ? claimQuantityValue(c.quantity, row.estimate) : null;
  return {
    speedup: row.speedup,
    parallelEfficiency: row.parallelEfficiency,
    claim: c
      ? {
          id: c.id,
          text: c.text,
          claimed: c.claimed,
          unit: CLAIM_QUANTITIES[c.quantity],
          computed,
          deviation: computed === null ? null : computed / c.claimed - 1,
        }
      : null,
  };
}

/** The report of a comparison (a CSV of a large sweep is streamed instead: cli/compare-stream.ts). */
export function compareReport(rows: CompareRow[], options: { plot: boolean }): Report {
  const records = rows.map(compareValues);
  const first = rows[0]?.estimate.resolved;
  const claims = records.some((r) => r.claim !== null);
  const warnings = [
    ...mergeWarnings(rows, (r) => r.estimate.warnings, ROW_NAMES),
    ...unfitBaseWarnings(rows),
    ...generationDefaultsWarning(rows, (r) => r.estimate, ROW_NAMES.ref),
    ...peakRankingWarning(rows, (r) => r.estimate, ROW_NAMES.ref),
  ];
  const model = first ? `${first.model.name} · ${formatQuantity(first.tokens.value)} tokens` : 'no rows';
  const full = records.map((values, i) => compareRecord(values, rows[i] as CompareRow));
  const report: Report = {
    title: claims ? `The article's clusters: ${model}` : `${model}: ${records.length} configurations`,
    tables: [peopleTable(records, claims)],
    primary: { columns: compareMachineColumns(claims), rows: records.map(compareMachineRow) },
    assumptions: first ? sharedAssumptions(full.map((r) => r.assumptions)) : [],
    warnings,
    notes: [...publishedNotes(records), claims ? ARTICLE_ROWS_NOTE : COLUMNS_NOTE, ...fewestNote(rows), ...priceSourceNotes(records)],
    json: { schemaVersion: SCHEMA_VERSION, estimates: full, warnings },
    brief: full.map(briefLine),
  };
  if (options.plot) report.charts = compareCharts(records);
  return report;
}

/** The table people read: one row per configuration, the cost column only when some row has a price. */
function peopleTable(records: CompareValues[], claims: boolean): Table {
  const columns: Column[] = [
    { key: 'gpu', label: 'GPU', kind: 'text' },
    { key: 'gpus', label: 'GPUs', kind: 'integer' },
    { key: 'tflops', label: 'TFLOP/s/GPU', kind: 'number', dropOrder: 5 },
    { key: 'time', label: 'wall-clock', kind: 'duration-short' },
    { key: 'gpuHours', label: 'GPU-hours', kind: 'hours', dropOrder: 7 },
    { key: 'gpuYears', label: 'GPU-years', kind: 'years', dropOrder: 1 },
    { key: 'cost', label: 'cost', kind: 'usd', dropOrder: 8 },
    { key: 'speedup', label: 'speed-up', kind: 'number', unit: '×', dropOrder: 2 },
    { key: 'efficiency', label: 'efficiency', kind: 'fraction', dropOrder: 3 },
    { key: 'memory', label: 'memory/GPU', kind: 'text', dropOrder: 9 },
    { key: 'layout', label: 'layout', kind: 'text', dropOrder: 4 },
    ...(claims
      ? [
          { key: 'claim', label: 'article', kind: 'text', dropOrder: 6 } as Column,
          { key: 'deviation', label: 'deviation', kind: 'deviation', dropOrder: 10 } as Column,
        ]
      : []),
  ];
  const anyCost = records.some((r) => r.costUsd !== null);
  // The layout decides the step-time model's numbers, so it is shown where that model priced a row.
  const anyModel = records.some((r) => r.perf === 'model' && r.plan !== null);
  const rows: Row[] = records.map((r) => ({
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
    layout: r.plan ? compactLayout(r.plan) : '—',
    claim: r.claim ? `${r.claim.id}: ${formatNumber(r.claim.claimed)} ${r.claim.unit}` : null,
    deviation: r.claim?.deviation ?? null,
  }));
  return { columns: columns.filter((c) => (c.key !== 'cost' || anyCost) && (c.key !== 'layout' || anyModel)), rows };
}

/** The model's published run, with how each row that did the same work compares to it. */
function publishedNotes(records: CompareValues[]): { title: string; text: string }[] {
  const p = records[0]?.published;
  if (!p) return [];
  const size = p.gpus !== null ? `${formatGrouped(p.gpus)} × ${p.gpu}` : p.gpu;
  const same = records.filter((r) => r.published?.estimateVsPublished != null);
  const vs = same.map((r) => `${formatGrouped(r.gpus)} × ${r.gpu} ${formatDeviation(r.published?.estimateVsPublished as number)}`);
  return [
    {
      title: 'Published run',
      text: `${p.name}: ${formatQuantity(p.gpuHours)} GPU-hours on ${size} (${p.source.title}, gpucost presets show ${p.id})${vs.length ? `; rows on its GPU and tokens: ${vs.join(', ')}` : ''}.`,
    },
  ];
}

/** "TP 8·PP 16·EP 64": the parallel sizes above 1 (DP is what the GPUs leave). */
function compactLayout(p: PlanRecord): string {
  const sizes = [`TP ${p.tp}`, `PP ${p.pp}`, ...((p.cp ?? 1) > 1 ? [`CP ${p.cp}`] : []), ...((p.ep ?? 1) > 1 ? [`EP ${p.ep}`] : [])];
  return sizes.join('·');
}

/** Which rows a fine-tune comparison shows at more GPUs than one, because one does not hold it. */
function fewestNote(rows: CompareRow[]): { title: string; text: string }[] {
  const raised = rows.filter((r) => r.estimate.resolved.gpus.origin === FEWEST_THAT_FIT_ORIGIN);
  if (raised.length === 0) return [];
  const which = raised.map((r) => `${r.estimate.resolved.gpus.value} × ${r.estimate.resolved.gpu.id}`).join(', ');
  return [{ title: 'GPUs', text: `One GPU of these does not hold the fine-tune, so each is shown at the fewest that do: ${which}. --gpus sets the counts.` }];
}

/** What the memory column shows: the layout evaluate-layout.ts picks. */
const MEMORY_NOTE = `Memory/GPU is that of the layout gpucost picks: the fastest that fits (✓), leaving room for peaks ${MEMORY_PEAK_SPREAD}× its memory estimate where one does unless the step-time model times the run (--perf model, or a layout given), or the leanest when none fits (✗ OOM)`;

const ARTICLE_ROWS_NOTE = {
  title: 'Rows',
  text: `Each row recomputes one claim of the article from its inputs (gpucost reproduce explains them): A4 and A5 use the V100 throughput implied by Megatron-LM's "288 years on one V100", A6 the 140 TFLOP/s measured on 1024 A100s. Speed-up and efficiency compare each row with the smallest count of the same GPU. ${MEMORY_NOTE}: GPT-3 cannot even start on 8 V100s.`,
};

const COLUMNS_NOTE = {
  title: 'Columns',
  text: `Speed-up and efficiency compare each row with the smallest GPU count of the same GPU type (efficiency = speed-up ÷ GPU ratio). ${MEMORY_NOTE}.`,
};

/** Columns of the machine table (CSV) of a comparison; claim columns only for the article's clusters. */
export function compareMachineColumns(claims: boolean): Column[] {
  return [
    ...ESTIMATE_COLUMNS,
    { key: 'speedup', label: 'speed-up vs smallest count', unit: '×', kind: 'number' },
    { key: 'parallelEfficiency', label: 'efficiency vs smallest count', unit: 'fraction', kind: 'fraction' },
    ...(claims
      ? [
          { key: 'claimId', label: 'claim', kind: 'text' } as Column,
          { key: 'claimDeviation', label: 'claim deviation', unit: 'fraction', kind: 'deviation' } as Column,
        ]
      : []),
  ];
}

/** One row of the machine table. */
function compareMachineRow(r: CompareValues): Row {
  return {
    ...recordRow(r),
    speedup: r.speedup,
    parallelEfficiency: r.parallelEfficiency,
    claimId: r.claim?.id ?? null,
    claimDeviation: r.claim?.deviation ?? null,
  };
}

/** The cell of one machine-table column of a row, as compareMachineRow has it, without building the row. */
export function compareMachineCell(r: CompareValues, key: string): Cell {
  switch (key) {
    case 'speedup':
      return r.speedup;
    case 'parallelEfficiency':
      return r.parallelEfficiency;
    case 'claimId':
      return r.claim?.id ?? null;
    case 'claimDeviation':
      return r.claim?.deviation ?? null;
    default:
      // Money cells are formatted as recordRow formats them; layout cells come from the plan.
      if (MONEY_KEYS.has(key)) return moneyCell(r, key);
      return ((r[key] ?? (r.plan as Record<string, unknown> | null)?.[key]) as Cell | undefined) ?? null;
  }
}

/**
 * Speed-up and efficiency are measured against the smallest count of each GPU. When that count does
 * not fit in memory, they compare the other rows with a plan that cannot run (under the performance
 * model such a plan can even make larger counts look better than linear): say so, once per GPU, with
 * the rows measured against it.
 */
function unfitBaseWarnings(rows: CompareRow[]): ReportWarning[] {
  const measured = new Map<CompareRow['base'], CompareRow[]>();
  for (const row of rows) {
    const { estimate, base } = row;
    if (base === estimate || base.layout?.chosen.fits !== false) continue;
    const list = measured.get(base);
    if (list) list.push(row);
    else measured.set(base, [row]);
  }
  return [...measured.entries()].map(([b, against]) => ({
    ...warning(
      'COMPARE_BASE_UNFIT',
      `${b.resolved.gpu.id}: speed-up and efficiency are measured against ${b.resolved.gpus.value} GPUs, which do not fit in memory (a plan that cannot run)`,
      {
        gpu: b.resolved.gpu.id,
        baseGpus: b.resolved.gpus.value,
        needBytes: b.layout?.chosen.memory.totalBytes ?? null,
        haveBytes: b.layout?.memoryCapacityBytes ?? null,
      },
    ),
    rows: against.map(ROW_NAMES.ref),
  }));
}

/** How a merged warning names a row: "8 × v100-sxm2-32gb" in its message, { gpu, gpus } in JSON. */
const ROW_NAMES = {
  label: (r: CompareRow): string => `${r.estimate.resolved.gpus.value} × ${r.estimate.resolved.gpu.id}`,
  ref: (r: CompareRow) => ({ gpu: r.estimate.resolved.gpu.id, gpus: r.estimate.resolved.gpus.value }),
  prefix: rowList,
};

/** Rows a warning applies to: all of them when few, else the first few and a count. */
const ROWS_NAMED = 12;
function rowList(rows: string[]): string {
  if (rows.length <= ROWS_NAMED) return rows.join(', ');
  return `${rows.slice(0, ROWS_NAMED - 2).join(', ')}, … ${rows.at(-1)} (${rows.length} rows)`;
}

/**
 * Assumptions shared by every row (model, tokens, convention, scaling): the same name and value in
 * each; where rows took the value from different places, every place is named.
 */
export function sharedAssumptions(lists: Report['assumptions'][]): Report['assumptions'] {
  const first = lists[0] ?? [];
  const shared: Report['assumptions'] = [];
  for (const a of first) {
    const matches = lists.map((list) => list.find((b) => b.name === a.name && b.value === a.value));
    if (matches.some((m) => m === undefined)) continue;
    shared.push({ ...a, origin: joinOrigins([...new Set(matches.map((m) => m?.origin ?? ''))]) });
  }
  return shared;
}

/**
 * Origins that differ in one part are written once with the parts listed: "scenario
 * gpt3-article:A4", "…:A5" → "scenario gpt3-article:A4, A5". Others are joined with "; ".
 */
function joinOrigins(origins: string[]): string {
  if (origins.length === 1) return origins[0] ?? '';
  const first = origins[0] ?? '';
  let pre = 0;
  while (pre < first.length && origins.every((o) => o[pre] === first[pre])) pre += 1;
  while (pre > 0 && /[\w-]/.test(first[pre - 1] ?? '')) pre -= 1; // back to a word boundary
  let suf = 0;
  while (suf < first.length - pre && origins.every((o) => o.length - suf > pre && o[o.length - 1 - suf] === first[first.length - 1 - suf])) suf += 1;
  while (suf > 0 && /[\w-]/.test(first[first.length - suf] ?? '')) suf -= 1;
  const parts = origins.map((o) => o.slice(pre, o.length - suf));
  if (pre === 0 || parts.some((p) => p === '' || p.includes(' '))) return origins.join('; ');
  return `${first.slice(0, pre)}${parts.join(', ')}${first.slice(first.length - suf)}`;
}

export function compareCharts(records: CompareValues[]): Chart[] {
  const byGpu = new Map<string, CompareValues[]>();
  for (const r of records) {
    const list = byGpu.get(r.gpu);
    if (list) list.push(r);
    else byGpu.set(r.gpu, [r]);
  }
  const series = (y: (r: CompareValues) => number | null) =>
    [...byGpu.entries()].map(([name, rs]) => ({
      name,
      points: rs
        .map((r) => [r.gpus, y(r)] as [number, number | null])
        .filter((p): p is [number, number] => p[1] !== null && p[1] > 0 && Number.isFinite(p[1]))
        .sort((a, b) => a[0] - b[0]),
    }));
  const charts: Chart[] = [
    {
      title: 'Time to train',
      xLabel: 'GPUs',
      yLabel: 'days',
      xLog: true,
      yLog: true,
      yKind: 'number',
      series: series((r) => r.wallClockSeconds / SECONDS_PER_DAY),
    },
  ];
  if (records.some((r) => r.costUsd !== null)) {
    charts.push({ title: 'Cost', xLabel: 'GPUs', yLabel: 'USD', xLog: true, yLog: true, yKind: 'usd', series: series((r) => r.costUsd) });
  }
  return charts;
}
