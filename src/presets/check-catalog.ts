/** Rules across presets: unique ids and aliases, and scenario claims that name existing presets. */
import { isLowPrecision } from '../core/enums.js';
import type { PresetProblem } from '../errors.js';
import { KINDS, type PresetCatalog, normalizeId } from './catalog.js';
import { interleavable } from '../core/parallel.js';
import type { GpuPreset, RunPreset } from './schema.js';

export function checkCatalog(catalog: PresetCatalog, resolveAgainst: PresetCatalog = catalog): PresetProblem[] {
  const problems: PresetProblem[] = [];
  const at = (kind: string, id: string, field: string, message: string): PresetProblem => ({
    file: catalog.origins[`${kind}:${id}`] ?? `${kind}/${id}`,
    line: 1,
    col: 1,
    field,
    message,
    severity: 'error',
  });
  for (const kind of KINDS) {
    const seen = new Map<string, string>();
    for (const p of catalog[kind]) {
      const names = [p.id, ...('aliases' in p ? (p.aliases as string[]) : [])].map(normalizeId);
      for (const n of names) {
        const owner = seen.get(n);
        if (owner !== undefined && owner !== p.id) problems.push(at(kind, p.id, 'aliases', `"${n}" is already used by ${owner}`));
        seen.set(n, p.id);
      }
    }
  }
  const known = (kind: 'gpus' | 'models' | 'clusters', id: string): boolean =>
    resolveAgainst[kind].some((p) => p.id === normalizeId(id) || p.aliases.map(normalizeId).includes(normalizeId(id)));
  const ref = (kind: string, id: string, field: string, target: 'gpus' | 'models' | 'clusters', value: string | undefined) => {
    if (value !== undefined && !known(target, value)) problems.push(at(kind, id, field, `unknown ${target.replace(/s$/, '')} "${value}"`));
  };
  for (const g of catalog.gpus) {
    ref('gpus', g.id, 'defaultCluster', 'clusters', g.defaultCluster);
    problems.push(...matmulProblems(g).map((p) => at('gpus', g.id, p.field, p.message)));
  }
  for (const c of catalog.clusters) ref('clusters', c.id, 'gpu', 'gpus', c.gpu);
  for (const p of catalog.prices) p.prices.forEach((e, i) => ref('prices', p.id, `prices.${i}.gpu`, 'gpus', e.gpu));
  for (const r of catalog.runs) {
    ref('runs', r.id, 'model', 'models', r.model);
    ref('runs', r.id, 'gpu', 'gpus', r.gpu);
    ref('runs', r.id, 'cluster', 'clusters', r.cluster);
    if (r.gpus === undefined && r.reported.gpuHours === undefined) {
      problems.push(at('runs', r.id, 'gpus', 'give gpus, or reported.gpuHours when the source does not say how many accelerators'));
    }
    if ((r.model === undefined) === (r.architecture === undefined)) {
      problems.push(at('runs', r.id, 'model', 'give exactly one of model (a preset id) or architecture'));
    }
    problems.push(...runLayoutProblems(r, resolveAgainst).map((p) => at('runs', r.id, p.field, p.message)));
  }
  problems.push(...throughputProblems(catalog, ref, at));
  problems.push(...finetuneProblems(catalog, ref, at));
  for (const s of catalog.scenarios) {
    for (const [i, c] of s.claims.entries()) {
      if (c.inputs?.model && !known('models', c.inputs.model)) {
        problems.push(at('scenarios', s.id, `claims.${i}.inputs.model`, `unknown model "${c.inputs.model}"`));
      }
      if (c.inputs?.gpu && !known('gpus', c.inputs.gpu)) {
        problems.push(at('scenarios', s.id, `claims.${i}.inputs.gpu`, `unknown GPU "${c.inputs.gpu}"`));
      }
    }
  }
  return problems;
}

/**
 * A run's published layout, as far as it can be checked without a model: TP × PP × DP is the GPU
 * count, and interleaved chunks cut each pipeline stage's layers evenly (the step-time model of
 * `backtest --perf model` could not place it otherwise).
 */
function runLayoutProblems(r: RunPreset, catalog: PresetCatalog): { field: string; message: string }[] {
  const p = r.parallelism;
  if (!p) return [];
  const out: { field: string; message: string }[] = [];
  if (r.gpus !== undefined) out.push(...layoutProductProblems(p, r.gpus, false));
  const layers = r.architecture?.layers ?? catalog.models.find((m) => r.model !== undefined && m.id === normalizeId(r.model))?.architecture.layers;
  if (p.virtualStages !== undefined && layers !== undefined && !interleavable(layers, p.pp ?? 1, p.virtualStages))
    out.push({
      field: 'parallelism.virtualStages',
      message: `${layers} layers on ${p.pp ?? 1} pipeline stages do not split into ${p.virtualStages} chunks a stage`,
    });
  return out;
}

/**
 * A stated layout whose TP, PP and DP, all given, do not multiply to the GPU count, with CP (1 when
 * not stated) where the kind of preset has context parallelism (throughput rows; runs have none).
 */
function layoutProductProblems(p: { tp?: number; pp?: number; dp?: number; cp?: number }, gpus: number, withCp: boolean): { field: string; message: string }[] {
  const { tp, pp, dp, cp } = p;
  if (tp === undefined || pp === undefined || dp === undefined) return [];
  const product = tp * pp * dp * (cp ?? 1);
  return product === gpus ? [] : [{ field: 'parallelism', message: `TP × PP × DP${withCp ? ' × CP' : ''} = ${product}, not the ${gpus} GPUs` }];
}

type Ref = (kind: string, id: string, field: string, target: 'gpus' | 'models' | 'clusters', value: string | undefined) => void;
type At = (kind: string, id: string, field: string, message: string) => PresetProblem;

type RowCheck<Row> = (row: Row) => { field: string; message: string }[];

/**
 * The rows of measured sets (throughput, fine-tuning): known model and GPU presets, exactly one model
 * source, ids unique across the sets of the kind, then the kind's own checks (`own`).
 */
function measuredRowProblems<Row extends { id: string; model?: string; architecture?: unknown; gpu: string }>(
  kind: 'throughput' | 'finetune',
  sets: { id: string; rows: Row[] }[],
  ref: Ref,
  at: At,
  own: RowCheck<Row>,
): PresetProblem[] {
  const problems: PresetProblem[] = [];
  const rowIds = new Map<string, string>();
  for (const set of sets) {
    for (const [i, row] of set.rows.entries()) {
      const field = (name: string): string => `rows.${i}.${name}`;
      ref(kind, set.id, field('model'), 'models', row.model);
      ref(kind, set.id, field('gpu'), 'gpus', row.gpu);
      if ((row.model === undefined) === (row.architecture === undefined))
        problems.push(at(kind, set.id, field('model'), 'give exactly one of model (a preset id) or architecture'));
      for (const p of own(row)) problems.push(at(kind, set.id, field(p.field), p.message));
      const owner = rowIds.get(row.id);
      if (owner !== undefined) problems.push(at(kind, set.id, field('id'), `row id "${row.id}" is already used in ${owner}`));
      rowIds.set(row.id, set.id);
    }
  }
  return problems;
}

/** Throughput rows: something measured, TFLOP/s with their convention, a layout that multiplies out. */
function throughputProblems(catalog: PresetCatalog, ref: Ref, at: At): PresetProblem[] {
  for (const set of catalog.throughput) set.rows.forEach((row, i) => ref('throughput', set.id, `rows.${i}.cluster`, 'clusters', row.cluster));
  return measuredRowProblems('throughput', catalog.throughput, ref, at, (row) => {
    const out: { field: string; message: string }[] = [];
    const m = row.measured;
    if (m.tokensPerSecondPerGpu === undefined && m.stepSeconds === undefined && m.tflopsPerGpu === undefined && m.mfu === undefined)
      out.push({ field: 'measured', message: 'give at least one of tokensPerSecondPerGpu, stepSeconds, tflopsPerGpu or mfu' });
    if (m.tflopsPerGpu !== undefined && m.flopsConvention === undefined)
      out.push({ field: 'measured.flopsConvention', message: 'say how the TFLOP/s were counted' });
    out.push(...layoutProductProblems(row.parallelism, row.gpus, true));
    return out;
  });
}

/** Fine-tuning rows: something measured, adapter fields only for LoRA and QLoRA. */
function finetuneProblems(catalog: PresetCatalog, ref: Ref, at: At): PresetProblem[] {
  return measuredRowProblems('finetune', catalog.finetune, ref, at, (row) => {
    const out: { field: string; message: string }[] = [];
    if (row.measured.memoryGiB === undefined && row.measured.tokensPerSecondPerGpu === undefined)
      out.push({ field: 'measured', message: 'give at least one of memoryGiB or tokensPerSecondPerGpu' });
    if (row.method === 'full' && (row.loraRank ?? row.loraTargets ?? row.quant) !== undefined)
      out.push({ field: 'method', message: 'loraRank, loraTargets and quant apply to lora and qlora' });
    if (row.method === 'lora' && row.quant !== undefined) out.push({ field: 'quant', message: 'quant applies to qlora' });
    if (row.fp8Params && (row.method !== 'lora' || !isLowPrecision(row.precision ?? 'bf16')))
      out.push({ field: 'fp8Params', message: 'fp8Params describes a LoRA base under an FP8 (or lower) precision' });
    return out;
  });
}

/** A measured matmul rate (matmulTflops) needs a dense peak at its precision, at least as high. */
function matmulProblems(g: GpuPreset): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const [precision, measured] of Object.entries(g.matmulTflops ?? {}) as [keyof NonNullable<GpuPreset['matmulTflops']>, number][]) {
    const peak = g.denseTflops[precision];
    if (peak === undefined || measured > peak) {
      const message = `a measured rate needs a dense peak at least as high (denseTflops.${precision} is ${peak ?? 'missing'})`;
      problems.push({ field: `matmulTflops.${precision}`, message });
    }
  }
  return problems;
}
