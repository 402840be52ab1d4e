/** Warnings of reports with many rows: the same warning on several rows is said once, naming them. */
import { calibratedUtilization } from '../core/calibration.js';
import { formatGrouped } from '../core/grouping.js';
import type { GpuArchitecture } from '../core/enums.js';
import { type Warning, warning } from '../core/warnings.js';
import type { ComputedEstimate } from '../resolve/compute.js';
import { modelRanking } from '../resolve/model-ranking.js';
import type { ReportWarning } from './model.js';

type RowRef = NonNullable<ReportWarning['rows']>[number];

/**
 * Each distinct message once, in the order first met, with the rows that gave it: `label` names a
 * row in the message (`prefix` joins the labels), `ref` in JSON. The numbers behind a message can
 * differ from row to row, so a merged warning carries none; each row's own warnings keep them.
 */
export function mergeWarnings<R>(
  rows: readonly R[],
  warningsOf: (row: R) => readonly Warning[],
  row: { label: (row: R) => string; ref: (row: R) => RowRef; prefix: (labels: string[]) => string },
): ReportWarning[] {
  const byMessage = new Map<string, { first: Warning; rows: R[] }>();
  for (const r of rows) {
    for (const w of warningsOf(r)) {
      const group = byMessage.get(w.message);
      // Pushing, not copying: a warning shared by 20,000 rows would otherwise copy its list each time.
      if (group) group.rows.push(r);
      else byMessage.set(w.message, { first: w, rows: [r] });
    }
  }
  return [...byMessage.values()].map(({ first, rows: sharing }) => ({
    code: first.code,
    severity: first.severity,
    message: `${row.prefix(sharing.map(row.label))}: ${first.message}`,
    rows: sharing.map(row.ref),
  }));
}

/**
 * Rows of two or more GPU generations at their calibrated default utilisations: each generation's
 * default is the median of its own published runs (src/core/calibration.ts), run by different teams
 * on different models, so a ranking across generations carries that difference as well as the
 * hardware's. Said once, with each generation's value and the rows it covers.
 */
export function generationDefaultsWarning<R>(
  rows: readonly R[],
  estimateOf: (row: R) => ComputedEstimate,
  ref: (row: R) => RowRef,
  defaultOf: (arch: GpuArchitecture) => { value: number; calibrated: boolean } = calibratedUtilization,
): ReportWarning[] {
  const byGeneration = new Map<GpuArchitecture, R[]>();
  for (const row of rows) {
    const r = estimateOf(row).resolved;
    if (!r.utilizationIsDefault || r.perf.value !== 'mfu') continue;
    const list = byGeneration.get(r.gpu.architecture);
    if (list) list.push(row);
    else byGeneration.set(r.gpu.architecture, [row]);
  }
  if (byGeneration.size < 2) return [];
  const generations = [...byGeneration.keys()].sort();
  const values = generations.map((g) => [g, defaultOf(g)] as const);
  // One pooled median for every generation ranks them on their peaks alone: nothing to say.
  if (new Set(values.map(([, c]) => c.value)).size < 2) return [];
  const listed = values.map(([g, c]) => `${g} ${c.value}${c.calibrated ? '' : ' (the median of all runs)'}`).join(', ');
  const named = `${generations.slice(0, -1).join(', ')} and ${generations.at(-1)}`;
  return [
    {
      ...warning(
        'DEFAULTS_DIFFER_BY_GENERATION',
        `rows on ${named} GPUs take their generation's default utilisation (${listed}), medians of different published runs: the ranking between generations follows those runs as much as the hardware. --perf model, or a measured rate (--tokens-per-sec, --mfu), compares them like for like`,
        Object.fromEntries(values.map(([g, c]) => [g, c.value])),
      ),
      rows: generations.flatMap((g) => (byGeneration.get(g) ?? []).map(ref)),
    },
  ];
}

/**
 * GPU types at the default utilisation rank by peak alone (an H200 as fast as an H100); where the
 * step-time model, on the layouts the rows chose, rates them otherwise by more than 5%, say so once
 * with its ratios beside the default's, on the rows compared.
 */
export function peakRankingWarning<R>(rows: readonly R[], estimateOf: (row: R) => ComputedEstimate, ref: (row: R) => RowRef): ReportWarning[] {
  const ranking = modelRanking(rows.map(estimateOf));
  if (!ranking) return [];
  const { reference, gpus, others } = ranking;
  const ratios = others.map((o) => `${o.gpu} ${o.model.toFixed(2)}× (default ${o.byDefault.toFixed(2)}×)`).join(', ');
  const compared = new Set([reference, ...others.map((o) => o.gpu)]);
  return [
    {
      ...warning(
        'RANKED_BY_PEAK',
        `at the default utilisation each GPU runs at the same share of its peak, so GPU types rank by peak alone; the step-time model, which also counts memory bandwidth, memory capacity and links, rates them otherwise on ${formatGrouped(gpus)} GPUs, against ${reference}: ${ratios}. --perf model times every row with it`,
        { reference, gpus, ...Object.fromEntries(others.map((o) => [o.gpu, o.model])) },
      ),
      rows: rows
        .filter((r) => {
          const e = estimateOf(r).resolved;
          return e.gpus.value === gpus && compared.has(e.gpu.id);
        })
        .map(ref),
    },
  ];
}
