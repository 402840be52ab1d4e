/** Reports for `gpucost presets list` and `gpucost presets show`. */
import { paramCounts } from '../core/params.js';
import { formatQuantity } from '../core/quantity.js';
import type { PresetOf, Registry } from '../presets/catalog.js';
import type {
  ClusterPreset,
  GpuPreset,
  GridPreset,
  ModelPreset,
  PresetKind,
  PricePreset,
  RunPreset,
  ScenarioPreset,
  Source,
  ThroughputSet,
  FinetuneSet,
} from '../presets/schema.js';
import { modelArch } from '../presets/to-core.js';
import { type Column, type Report, type Row, SCHEMA_VERSION, type Table } from './model.js';

import type { PresetKindName } from './preset-kinds.js';

const GPU_COLUMNS: Column[] = [
  { key: 'id', label: 'id', kind: 'text' },
  { key: 'name', label: 'name', kind: 'text', dropOrder: 6 },
  { key: 'memoryGB', label: 'memory', unit: 'GB', kind: 'number' },
  { key: 'memoryBandwidthTBps', label: 'bandwidth', unit: 'TB/s', kind: 'number', dropOrder: 4 },
  { key: 'bf16', label: 'bf16 dense', unit: 'TFLOP/s', kind: 'number' },
  { key: 'fp16', label: 'fp16 dense', unit: 'TFLOP/s', kind: 'number', dropOrder: 2 },
  { key: 'fp8', label: 'fp8 dense', unit: 'TFLOP/s', kind: 'number', dropOrder: 3 },
  { key: 'tdpWatts', label: 'TDP', unit: 'W', kind: 'number', dropOrder: 5 },
  { key: 'aliases', label: 'aliases', kind: 'text', dropOrder: 1 },
];

const MODEL_COLUMNS: Column[] = [
  { key: 'id', label: 'id', kind: 'text' },
  { key: 'name', label: 'name', kind: 'text', dropOrder: 4 },
  { key: 'params', label: 'params', kind: 'count' },
  { key: 'activeParams', label: 'active params', kind: 'count' },
  { key: 'layers', label: 'layers', kind: 'integer', dropOrder: 3 },
  { key: 'dModel', label: 'd_model', kind: 'integer', dropOrder: 2 },
  { key: 'tokens', label: 'trained on', unit: 'tokens', kind: 'count' },
  { key: 'aliases', label: 'aliases', kind: 'text', dropOrder: 1 },
];

export function gpuSummary(g: GpuPreset): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    aliases: g.aliases,
    vendor: g.vendor,
    memoryGB: g.memoryGB,
    memoryBandwidthTBps: g.memoryBandwidthTBps,
    denseTflops: g.denseTflops,
    tdpWatts: g.tdpWatts ?? null,
  };
}

export function modelSummary(m: ModelPreset): Record<string, unknown> {
  const counts = paramCounts(modelArch(m));
  return {
    id: m.id,
    name: m.name,
    aliases: m.aliases,
    family: m.family,
    params: counts.total,
    activeParams: counts.active,
    publishedParams: m.published?.params ?? null,
    layers: m.architecture.layers,
    dModel: m.architecture.dModel,
    tokens: m.training.tokens ?? null,
  };
}

/** `throughput`, `finetune`: the measured sets to list (bundled apart from the registry). */
export function presetsListReport(registry: Registry, kind?: PresetKindName, throughput: ThroughputSet[] = [], finetune: FinetuneSet[] = []): Report {
  // Everything without --kind, else only the kind asked for.
  const wanted = <T>(k: typeof kind, all: () => T[]): T[] => (kind === undefined || kind === k ? all() : []);
  const gpus = wanted('gpu', () => registry.list('gpus'));
  const models = wanted('model', () => registry.list('models'));
  const scenarios = wanted('scenario', () => registry.list('scenarios'));
  const prices = wanted('price', () => registry.list('prices'));
  const grids = wanted('grid', () => registry.list('grids'));
  const clusters = wanted('cluster', () => registry.list('clusters'));
  const runs = wanted('run', () => registry.list('runs'));
  const sets = wanted('throughput', () => throughput);
  const finetuneSets = wanted('finetune', () => finetune);
  const tables = listTables({ gpus, models, scenarios, prices, grids, clusters, runs, sets, finetuneSets });
  const primary = tables[0];
  return {
    title: 'Presets',
    tables,
    primary: primary ?? { columns: GPU_COLUMNS, rows: [] },
    assumptions: [],
    warnings: [],
    notes: [
      {
        title: 'Units',
        text: `TFLOP/s are dense peaks (no 2:4 sparsity); memory in decimal GB.${clusters.length ? ' Cluster bandwidths are per GPU, one direction.' : ''} gpucost presets show ID lists every field with its source.`,
      },
    ],
    json: {
      schemaVersion: SCHEMA_VERSION,
      gpus: gpus.map(gpuSummary),
      models: models.map(modelSummary),
      scenarios: scenarios.map((s) => ({ id: s.id, title: s.title, claims: s.claims.map((c) => c.id) })),
      prices: prices.map((p) => ({ ...priceListRow(p), gpus: [...new Set([...p.prices, ...p.purchases].map((e) => e.gpu))].sort() })),
      grids: grids.map((g) => ({ id: g.id, name: g.name, gco2PerKwh: g.gco2PerKwh, year: g.year, aliases: g.aliases })),
      clusters: clusters.map(clusterSummary),
      runs: runs.map(runSummary),
      throughput: sets.map((t) => ({ id: t.id, name: t.name, framework: t.framework ?? null, split: t.split, rows: t.rows.length })),
      finetune: finetuneSets.map((t) => ({ id: t.id, name: t.name, framework: t.framework ?? null, split: t.split, rows: t.rows.length })),
    },
  };
}

/** The tables of `presets list`, one per kind that has presets to show. */
function listTables(p: {
  gpus: GpuPreset[];
  models: ModelPreset[];
  scenarios: ScenarioPreset[];
  prices: PricePreset[];
  grids: GridPreset[];
  clusters: ClusterPreset[];
  runs: RunPreset[];
  sets: ThroughputSet[];
  finetuneSets: FinetuneSet[];
}): Table[] {
  const { gpus, models, scenarios, prices, grids, clusters, runs, sets, finetuneSets } = p;
  const gpuRows: Row[] = gpus.map((g) => ({
    ...flat(gpuSummary(g)),
    bf16: g.denseTflops.bf16 ?? null,
    fp16: g.denseTflops.fp16 ?? null,
    fp8: g.denseTflops.fp8 ?? null,
    aliases: g.aliases.join(', '),
  }));
  const modelRows: Row[] = models.map((m) => ({ ...flat(modelSummary(m)), aliases: m.aliases.join(', ') }));
  const scenarioRows: Row[] = scenarios.map((s) => ({ id: s.id, title: s.title, claims: s.claims.map((c) => c.id).join(', ') }));
  const scenarioColumns: Column[] = [
    { key: 'id', label: 'id', kind: 'text' },
    { key: 'title', label: 'title', kind: 'text' },
    { key: 'claims', label: 'claims', kind: 'text', dropOrder: 1 },
  ];
  const tables = [
    ...(gpuRows.length ? [{ title: `GPUs (${gpuRows.length})`, columns: GPU_COLUMNS, rows: gpuRows }] : []),
    ...(modelRows.length ? [{ title: `Models (${modelRows.length})`, columns: MODEL_COLUMNS, rows: modelRows }] : []),
    ...(scenarioRows.length ? [{ title: `Scenarios (${scenarioRows.length})`, columns: scenarioColumns, rows: scenarioRows }] : []),
    ...(prices.length
      ? [{ title: `Price lists (${prices.length}): --provider ID, --owned`, columns: PRICE_LIST_COLUMNS, rows: prices.map(priceListRow) }]
      : []),
    ...(grids.length ? [{ title: `Grids (${grids.length}): --grid ID`, columns: GRID_COLUMNS, rows: grids.map(gridRow) }] : []),
    ...(clusters.length ? [{ title: `Clusters (${clusters.length}): --cluster ID`, columns: CLUSTER_COLUMNS, rows: clusters.map(clusterRow) }] : []),
    ...(runs.length ? [{ title: `Published runs (${runs.length}): gpucost backtest`, columns: RUN_COLUMNS, rows: runs.map(runRow) }] : []),
    ...(sets.length
      ? [{ title: `Measured throughput (${sets.length}): gpucost backtest --throughput`, columns: THROUGHPUT_COLUMNS, rows: sets.map(throughputRow) }]
      : []),
    ...(finetuneSets.length
      ? [
          {
            title: `Measured fine-tuning (${finetuneSets.length}): gpucost backtest --finetune`,
            columns: THROUGHPUT_COLUMNS,
            rows: finetuneSets.map(throughputRow),
          },
        ]
      : []),
  ];
  return tables;
}

const PRICE_LIST_COLUMNS: Column[] = [
  { key: 'id', label: 'id', kind: 'text' },
  { key: 'kind', label: 'kind', kind: 'text' },
  { key: 'entries', label: 'entries', kind: 'integer' },
  { key: 'tiers', label: 'tiers', kind: 'text', dropOrder: 1 },
  { key: 'asOf', label: 'as of', kind: 'text' },
];

function priceListRow(p: PricePreset): Row {
  const dates = [...p.prices, ...p.purchases].map((e) => e.asOf).sort();
  const span = dates.length === 0 ? '' : dates[0] === dates.at(-1) ? (dates[0] ?? '') : `${dates[0]} to ${dates.at(-1)}`;
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    entries: p.prices.length + p.purchases.length,
    tiers: p.kind === 'hardware' ? 'purchase (--owned)' : [...new Set(p.prices.map((e) => e.tier))].join(', '),
    asOf: span,
  };
}

const GRID_COLUMNS: Column[] = [
  { key: 'id', label: 'id', kind: 'text' },
  { key: 'gco2PerKwh', label: 'gCO2e/kWh', kind: 'number' },
  { key: 'year', label: 'year', kind: 'text' },
  { key: 'aliases', label: 'aliases', kind: 'text', dropOrder: 1 },
];

function gridRow(g: GridPreset): Row {
  return { id: g.id, gco2PerKwh: g.gco2PerKwh, year: String(g.year), aliases: g.aliases.join(', ') };
}

const CLUSTER_COLUMNS: Column[] = [
  { key: 'id', label: 'id', kind: 'text' },
  { key: 'gpu', label: 'GPU', kind: 'text' },
  { key: 'gpusPerNode', label: 'GPUs per node', kind: 'integer' },
  { key: 'intraNodeGBps', label: 'in-node GB/s', unit: 'GB/s per GPU, one way', kind: 'number' },
  { key: 'interNodeGBps', label: 'network GB/s', unit: 'GB/s per GPU, one way', kind: 'number' },
  { key: 'aliases', label: 'aliases', kind: 'text', dropOrder: 1 },
];

function clusterSummary(c: ClusterPreset): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    aliases: c.aliases,
    gpu: c.gpu ?? null,
    gpusPerNode: c.gpusPerNode,
    intraNodeGBps: c.intraNode.bandwidthGBpsPerDirection,
    interNodeGBps: c.interNode.bandwidthGBpsPerDirectionPerGpu,
  };
}

function clusterRow(c: ClusterPreset): Row {
  // The name is a sentence (the JSON has it); the table keeps to what --cluster and the model use.
  return { ...flat(clusterSummary(c)), aliases: c.aliases.join(', ') };
}

const RUN_COLUMNS: Column[] = [
  { key: 'id', label: 'id', kind: 'text' },
  { key: 'gpu', label: 'GPU', kind: 'text' },
  { key: 'gpus', label: 'GPUs', kind: 'integer', dropOrder: 3 },
  { key: 'tokens', label: 'tokens', kind: 'count', dropOrder: 2 },
  { key: 'split', label: 'split', kind: 'text', dropOrder: 4 },
  { key: 'name', label: 'name', kind: 'text', dropOrder: 1 },
];

function runSummary(r: RunPreset): Record<string, unknown> {
  return { id: r.id, name: r.name, model: r.model ?? null, gpu: r.gpu, gpus: r.gpus ?? null, tokens: r.tokens, split: r.split };
}

function runRow(r: RunPreset): Row {
  return flat(runSummary(r));
}

const THROUGHPUT_COLUMNS: Column[] = [
  { key: 'id', label: 'id', kind: 'text' },
  { key: 'rows', label: 'rows', kind: 'integer' },
  { key: 'split', label: 'split', kind: 'text', dropOrder: 2 },
  { key: 'name', label: 'name', kind: 'text', dropOrder: 1 },
];

function throughputRow(t: ThroughputSet | FinetuneSet): Row {
  return { id: t.id, rows: t.rows.length, split: t.split, name: t.name };
}

/** The entries of a price list, one row each: what --provider and --owned choose from. */
function priceEntryTables(p: PricePreset): Table[] {
  const tables: Table[] = [];
  if (p.prices.length > 0) {
    tables.push({
      title: 'Rental prices',
      columns: [
        { key: 'gpu', label: 'gpu', kind: 'text' },
        { key: 'tier', label: 'tier', kind: 'text' },
        { key: 'usd', label: 'USD/GPU-h', kind: 'number' },
        { key: 'where', label: 'instance, region', kind: 'text', dropOrder: 1 },
        { key: 'asOf', label: 'as of', kind: 'text' },
      ] as Column[],
      rows: p.prices.map((e) => ({ gpu: e.gpu, tier: e.tier, usd: e.usdPerGpuHour, where: [e.instance, e.region].filter(Boolean).join(', '), asOf: e.asOf })),
    });
  }
  if (p.purchases.length > 0) {
    tables.push({
      title: 'Purchase prices (per GPU)',
      columns: [
        { key: 'gpu', label: 'gpu', kind: 'text' },
        { key: 'gpuUsd', label: 'GPU (USD)', unit: 'USD', kind: 'integer' },
        { key: 'server', label: 'server share (USD)', unit: 'USD', kind: 'integer', dropOrder: 2 },
        { key: 'network', label: 'network share (USD)', unit: 'USD', kind: 'integer', dropOrder: 1 },
        { key: 'asOf', label: 'as of', kind: 'text' },
      ] as Column[],
      rows: p.purchases.map((e) => ({
        gpu: e.gpu,
        gpuUsd: e.gpuUsd,
        server: e.serverUsdPerGpu ?? null,
        network: e.interconnectUsdPerGpu ?? null,
        asOf: e.asOf,
      })),
    });
  }
  return tables;
}

function flat(o: Record<string, unknown>): Row {
  const row: Row = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) row[k] = v as Row[string];
  }
  return row;
}

/** Unit of a preset field, by its path. Units are also in the field names; this spells them out. */
const FIELD_UNITS: [RegExp, string][] = [
  [/^denseTflops\./, 'TFLOP/s (dense)'],
  [/^matmulTflops\./, 'TFLOP/s (measured matmul)'],
  [/memoryGB$/, 'GB'],
  [/TBps$/, 'TB/s'],
  [/GBpsPerDirection$/, 'GB/s per direction'],
  [/Watts$/, 'W'],
  [/tokens$|Tokens$/, 'tokens'],
  [/params$|Params$/, 'parameters'],
  [/seqLen$/, 'tokens'],
  [/launchYear$|releaseYear$/, 'year'],
];

export function fieldUnit(path: string): string {
  return FIELD_UNITS.find(([re]) => re.test(path))?.[1] ?? '';
}

function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** "[1, 3]": the numbers of the sources (as listed under Sources) that cover a field. */
function sourceRefs(path: string, sources: Source[]): string {
  const refs = sources.flatMap((src, i) => (src.covers === undefined || src.covers.some((c) => path === c || path.startsWith(`${c}.`)) ? [i + 1] : []));
  return refs.length ? `[${refs.join(', ')}]` : '';
}

type AnyPreset = PresetOf<PresetKind> & { sources?: Source[]; notes?: string[]; name?: string; title?: string };

export function presetShowReport(kind: PresetKind, presetIn: PresetOf<PresetKind>, origin?: string): Report {
  const preset = presetIn as AnyPreset;
  const sources = preset.sources ?? [];
  const rows = fieldRows(preset, sources);
  const computed = kind === 'models' ? addComputedParams(presetIn as ModelPreset, rows) : undefined;
  return {
    title: `${preset.name ?? preset.title ?? preset.id} (${preset.id})${origin ? ` — ${origin}` : ''}`,
    tables: [{ columns: FIELD_COLUMNS, rows }, ...(kind === 'prices' ? priceEntryTables(presetIn as PricePreset) : []), ...sourceTables(sources)],
    primary: { columns: FIELD_COLUMNS, rows },
    assumptions: [],
    warnings: [],
    notes: presetNotes(kind, preset),
    json: { schemaVersion: SCHEMA_VERSION, kind: kind.replace(/s$/, ''), preset, ...(computed ? { computed } : {}) },
  };
}

const FIELD_COLUMNS: Column[] = [
  { key: 'field', label: 'field', kind: 'text' },
  { key: 'value', label: 'value', kind: 'text' },
  { key: 'unit', label: 'unit', kind: 'text' },
  { key: 'source', label: 'source', kind: 'text' },
];

/** Fields shown elsewhere (sources, notes, the title, their own tables) rather than as rows. */
const NOT_FIELD_ROWS = new Set(['sources', 'notes', 'id', 'claims', 'facts', 'prices', 'purchases']);

/** One row per leaf field of the preset, with its unit and the sources that cover it. */
function fieldRows(preset: AnyPreset, sources: Source[]): Row[] {
  const rows: Row[] = [];
  for (const [key, value] of Object.entries(preset)) {
    if (NOT_FIELD_ROWS.has(key)) continue;
    for (const [path, v] of leaves(value, key)) {
      const text = Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v);
      rows.push({ field: path, value: text, unit: fieldUnit(path), source: sourceRefs(path, sources) });
    }
  }
  return rows;
}

/** Adds the parameter counts computed from a model's architecture to its rows; returns them for the JSON. */
function addComputedParams(m: ModelPreset, rows: Row[]): Record<string, number> {
  const counts = paramCounts(modelArch(m));
  rows.push({ field: 'computed params (total)', value: formatQuantity(counts.total), unit: 'parameters', source: 'computed from architecture' });
  if (counts.active !== counts.total) {
    rows.push({ field: 'computed params (active)', value: formatQuantity(counts.active), unit: 'parameters', source: 'computed from architecture' });
  }
  return { params: counts.total, activeParams: counts.active, embeddingParams: counts.embedding };
}

/** The Sources table, numbered as the rows' source column refers to them; none without sources. */
function sourceTables(sources: Source[]): Table[] {
  if (sources.length === 0) return [];
  return [
    {
      title: 'Sources',
      columns: [
        { key: 'ref', label: '', kind: 'text' },
        { key: 'title', label: 'title', kind: 'text' },
        { key: 'url', label: 'url', kind: 'text' },
        { key: 'retrieved', label: 'retrieved', kind: 'text' },
      ],
      rows: sources.map((s, i) => ({
        ref: `[${i + 1}]`,
        title: s.title,
        url: s.url,
        retrieved: s.retrieved,
        covers: s.covers?.join(', ') ?? 'all fields',
      })),
    },
  ];
}

/** The preset's own notes, and for a scenario each claim with its source. */
function presetNotes(kind: PresetKind, preset: AnyPreset): { title: string; text: string }[] {
  const notes = (preset.notes ?? []).map((n) => ({ title: 'Note', text: n }));
  if (kind === 'scenarios') {
    for (const c of (preset as ScenarioPreset).claims) notes.push({ title: `Claim ${c.id}`, text: `${c.text} — ${c.source.title}` });
  }
  return notes;
}
