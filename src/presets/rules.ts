/**
 * Semantic rules that run after the schema: they see a parsed preset and return problems, never throw.
 * Errors make a preset invalid; warnings are shown but accepted.
 */
import { formatGrouped } from '../core/grouping.js';
import { moeLayerCount, paramCounts } from '../core/params.js';
import type { WarningCode } from '../core/warnings.js';
import type { GpuPreset, ModelPreset, PresetKind, Source } from './schema.js';
import { modelArch } from './to-core.js';

interface Issue {
  /** Path inside the preset, e.g. ["architecture", "kvHeads"]. */
  path: (string | number)[];
  message: string;
}

/** Errors make the preset invalid and need no code; a warning has one (docs/warnings.md). */
export type RuleIssue = (Issue & { severity: 'error' }) | (Issue & { severity: 'warning'; code: WarningCode });

/** Relative difference between computed and published parameter counts above which a preset is flagged. */
export const PARAMS_MISMATCH_WARN_FRACTION = 0.01;

export function checkPreset(kind: PresetKind, preset: unknown): RuleIssue[] {
  switch (kind) {
    case 'gpus':
      return [...sourceCoverage(preset as GpuPreset), ...gpuRules(preset as GpuPreset)];
    case 'models':
      return [...sourceCoverage(preset as ModelPreset), ...modelRules(preset as ModelPreset)];
    case 'clusters':
    case 'grids':
    case 'runs':
    case 'throughput':
    case 'finetune':
      return sourceCoverage(preset as { sources: Source[] });
    case 'scenarios':
    case 'prices':
      return []; // every claim and every price entry carries its own required source
  }
}

/** Every numeric field must be named by a source's `covers` (or a source must cover everything). */
export function sourceCoverage(preset: { sources: Source[] }): RuleIssue[] {
  if (preset.sources.some((s) => s.covers === undefined)) return [];
  const covered = preset.sources.flatMap((s) => s.covers ?? []);
  const issues: RuleIssue[] = [];
  for (const path of numericPaths(preset)) {
    const dotted = path.join('.');
    const ok = covered.some((c) => dotted === c || dotted.startsWith(`${c}.`));
    if (!ok) issues.push({ severity: 'error', path, message: `no source covers ${dotted}; add it to a source's "covers"` });
  }
  for (const [i, s] of preset.sources.entries()) {
    for (const [j, c] of (s.covers ?? []).entries()) {
      if (!hasPath(preset, c.split('.'))) {
        issues.push({ severity: 'error', path: ['sources', i, 'covers', j], message: `"${c}" names no field of this preset` });
      }
    }
  }
  return issues;
}

function hasPath(value: unknown, path: string[]): boolean {
  let node: unknown = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

function numericPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'number') return [prefix];
  if (Array.isArray(value) || value === null || typeof value !== 'object') return [];
  return Object.entries(value)
    .filter(([key]) => key !== 'sources')
    .flatMap(([key, v]) => numericPaths(v, [...prefix, key]));
}

function gpuRules(g: GpuPreset): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const t = g.denseTflops;
  if (t.bf16 === undefined && t.fp16 === undefined) {
    issues.push({ severity: 'error', path: ['denseTflops'], message: 'needs at least an fp16 or bf16 dense peak' });
  }
  for (const [wider, narrower] of PEAK_ORDER) {
    const [low, high] = [t[wider], t[narrower]];
    if (low !== undefined && high !== undefined && high < low) {
      issues.push({
        severity: 'warning',
        code: 'PRESET_PEAK_ORDER',
        path: ['denseTflops', narrower],
        message: `${narrower} peak below ${wider} peak; check the figures`,
      });
    }
  }
  return issues;
}

/** Each narrower format runs at least as fast on tensor cores as the wider one before it. */
const PEAK_ORDER = [
  ['fp32', 'bf16'],
  ['bf16', 'fp8'],
  ['fp8', 'fp4'],
] as const;

function modelRules(m: ModelPreset): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const a = m.architecture;
  const kvHeads = a.kvHeads ?? a.heads;
  if (a.heads % kvHeads !== 0) {
    issues.push({ severity: 'error', path: ['architecture', 'kvHeads'], message: `kvHeads ${kvHeads} must divide heads ${a.heads}` });
  }
  if (a.dHead === undefined && a.dModel % a.heads !== 0) {
    issues.push({ severity: 'error', path: ['architecture', 'dHead'], message: 'dModel is not divisible by heads: give dHead' });
  }
  if (a.moe && a.moe.expertsPerToken > a.moe.experts) {
    issues.push({ severity: 'error', path: ['architecture', 'moe', 'expertsPerToken'], message: 'more experts per token than experts' });
  }
  if (a.moe && a.moe.denseLayers >= a.layers) {
    issues.push({ severity: 'error', path: ['architecture', 'moe', 'denseLayers'], message: 'denseLayers must be below layers' });
  } else if (a.moe?.moeEvery !== undefined && moeLayerCount(a) === 0) {
    // The parameter count would have an MoE model with no MoE layer: a dense model under another name.
    const after = a.moe.denseLayers > 0 ? ` after the ${a.moe.denseLayers} dense ones` : '';
    issues.push({
      severity: 'error',
      path: ['architecture', 'moe', 'moeEvery'],
      message: `moeEvery ${a.moe.moeEvery} leaves no MoE layer of the ${a.layers - a.moe.denseLayers} layers${after}`,
    });
  }
  const batchTokens = m.training.globalBatchTokens;
  if (batchTokens !== undefined && !Number.isInteger(batchTokens / a.seqLen)) {
    issues.push({
      severity: 'warning',
      code: 'PRESET_BATCH_PARTIAL',
      path: ['training', 'globalBatchTokens'],
      message: partialBatchMessage(batchTokens, a.seqLen),
    });
  }
  if (issues.length === 0 && m.published) {
    const computed = paramCounts(modelArch(m));
    const pairs: [number, number | undefined, string][] = [
      [computed.total, m.published.params, 'params'],
      [computed.active, m.published.activeParams, 'activeParams'],
    ];
    for (const [mine, theirs, field] of pairs) {
      if (theirs === undefined) continue;
      const diff = mine / theirs - 1;
      if (Math.abs(diff) > PARAMS_MISMATCH_WARN_FRACTION) {
        issues.push({
          severity: 'warning',
          code: 'PRESET_PARAMS_MISMATCH',
          path: ['published', field],
          message: `architecture gives ${(mine / 1e9).toFixed(2)}B, ${(diff * 100).toFixed(1)}% from the published ${(theirs / 1e9).toFixed(2)}B`,
        });
      }
    }
  }
  return issues;
}

/** Tokens in a paper's "nM" batch: ML papers usually mean binary millions (Llama 2's "4M" is 2^22 tokens, 1,024 sequences of 4,096). */
const BINARY_MILLION = 2 ** 20;

/**
 * A global batch that is not a whole number of sequences: almost always a paper's "2M" read as
 * 2,000,000. The message suggests the binary reading when that is whole, else the nearest whole batch.
 */
function partialBatchMessage(tokens: number, seqLen: number): string {
  const sequences = tokens / seqLen;
  const binary = (tokens / 1e6) * BINARY_MILLION;
  const suggestion = Number.isInteger(binary / seqLen)
    ? `a paper's "${tokens / 1e6}M" usually means ${formatGrouped(binary)} tokens (${formatGrouped(binary / seqLen)} sequences)`
    : `the nearest whole batch is ${formatGrouped(Math.round(sequences) * seqLen)} tokens (${formatGrouped(Math.round(sequences))} sequences)`;
  return `${formatGrouped(tokens)} tokens is ${Number(sequences.toFixed(2))} sequences of ${formatGrouped(seqLen)}, not a whole number; ${suggestion}`;
}
