/** `gpucost plan` → JSON `{ schemaVersion: 3, plans: [...] }` and a Report for people. */
import { briefLine } from './brief.js';
import type { RangeEnd } from '../core/enums.js';
import { formatQuantity } from '../core/quantity.js';
import { daysToSeconds, secondsToDays } from '../core/units.js';
import type { Warning } from '../core/warnings.js';
import type { Plan, PlanRequest } from '../resolve/plan.js';
import { type EstimateRecord, estimateRecord } from './estimate.js';
import { formatDuration, formatNumber, formatScientific, formatUsd } from './format.js';
import { type Chart, type Column, type Report, type Row, SCHEMA_VERSION } from './model.js';
import { generationDefaultsWarning, mergeWarnings } from './warnings.js';

/** One plan as the JSON contract spells it. */
export interface PlanRecord {
  gpu: string;
  gpuName: string;
  /** GPUs planned (whole nodes); null when no count meets the deadline. */
  gpus: number | null;
  gpusPerNode: number;
  gpusFrom: Plan['gpusFrom'];
  feasible: boolean;
  wallClockDays: number;
  /** The wall-clock range of the estimate (its throughput range), days: as in the estimate. */
  wallClockDaysLow: number;
  wallClockDaysHigh: number;
  costUsd: number | null;
  params: number;
  tokens: number;
  trainingFlops: number;
  /** As in the estimate: sequence length, optimizer steps, seconds per step and goodput (docs/outputs.md). */
  seqLen: number | null;
  steps: number | null;
  stepSeconds: number | null;
  goodput: number;
  solvedFor: string[];
  heldFixed: string[];
  deadlineDays: number | null;
  /** Where in the estimate's range the deadline is met: the estimate (mid) or the range's slow end (high). */
  deadlineAt: RangeEnd;
  budgetUsd: number | null;
  flopsBudget: number | null;
  minGpusForMemory: number | null;
  computeOptimal: { params: number; tokens: number; flops: number; tokensPerParam: number; fit: string } | null;
  distance: Plan['distance'];
  notes: string[];
  warnings: Warning[];
  /** The full estimate at the planned configuration (for an infeasible deadline: the fastest count tried). */
  estimate: EstimateRecord;
}

/** The fit behind computeOptimal, named in the JSON. */
export const COMPUTE_OPTIMAL_FIT =
  'Hoffmann et al. 2022 (https://arxiv.org/abs/2203.15556), Approaches 1-2: N and D grow as C^0.5, 20 tokens per parameter, C = 6ND';

function planRecord(p: Plan, req: PlanRequest): PlanRecord {
  const rec = estimateRecord(p.estimate);
  return {
    gpu: p.gpu.id,
    gpuName: p.gpu.name,
    gpus: p.gpus,
    gpusPerNode: p.gpusPerNode,
    gpusFrom: p.gpusFrom,
    feasible: p.feasible,
    wallClockDays: rec.wallClockDays,
    wallClockDaysLow: rec.wallClockDaysLow,
    wallClockDaysHigh: rec.wallClockDaysHigh,
    costUsd: rec.costUsd,
    params: rec.params,
    tokens: rec.tokens,
    trainingFlops: rec.trainingFlops,
    seqLen: rec.seqLen,
    steps: rec.steps,
    stepSeconds: rec.stepSeconds,
    goodput: rec.goodput,
    solvedFor: p.solvedFor,
    heldFixed: p.heldFixed,
    deadlineDays: req.deadlineSeconds === undefined ? null : secondsToDays(req.deadlineSeconds),
    deadlineAt: req.deadlineAt ?? 'mid',
    budgetUsd: req.budgetUsd ?? null,
    flopsBudget: req.flopsBudget ?? null,
    minGpusForMemory: p.minGpusForMemory,
    computeOptimal: p.computeOptimal ? { ...p.computeOptimal, fit: COMPUTE_OPTIMAL_FIT } : null,
    distance: p.distance,
    notes: p.notes,
    warnings: [...p.warnings, ...rec.warnings],
    estimate: rec,
  };
}

const PLAN_COLUMNS: Column[] = [
  { key: 'gpu', label: 'GPU', kind: 'text' },
  { key: 'gpus', label: 'GPUs', kind: 'integer' },
  { key: 'time', label: 'wall-clock', kind: 'duration' },
  { key: 'range', label: 'range (days)', kind: 'text', dropOrder: 5 },
  { key: 'cost', label: 'cost', kind: 'usd', dropOrder: 4 },
  { key: 'params', label: 'params', kind: 'count', dropOrder: 2 },
  { key: 'tokens', label: 'tokens', kind: 'count', dropOrder: 1 },
  { key: 'solved', label: 'solved for', kind: 'text', dropOrder: 3 },
];

const MACHINE_COLUMNS: Column[] = [
  { key: 'gpu', label: 'gpu', kind: 'text' },
  { key: 'gpus', label: 'gpus', kind: 'integer' },
  { key: 'gpusPerNode', label: 'gpus per node', kind: 'integer' },
  { key: 'feasible', label: 'feasible', kind: 'text' },
  { key: 'wallClockDays', label: 'wall-clock days', unit: 'days', kind: 'number' },
  { key: 'wallClockDaysLow', label: 'wall-clock days low', unit: 'days', kind: 'number' },
  { key: 'wallClockDaysHigh', label: 'wall-clock days high', unit: 'days', kind: 'number' },
  { key: 'costUsd', label: 'cost', unit: 'USD', kind: 'usd' },
  { key: 'params', label: 'params', kind: 'count' },
  { key: 'tokens', label: 'tokens', kind: 'count' },
  { key: 'trainingFlops', label: 'training FLOPs', unit: 'FLOP', kind: 'flops' },
  { key: 'solvedFor', label: 'solved for', kind: 'text' },
];

export function planReport(plans: Plan[], req: PlanRequest): Report {
  const records = plans.map((p) => planRecord(p, req));
  const first = plans[0];
  // A run over its budget has a time and a cost worth showing: they are why it fails.
  const people: Row[] = records.map((r, i) => {
    const shown = r.feasible || plans[i]?.overBudget === true;
    return {
      gpu: r.gpu,
      gpus: r.gpus ?? (shown ? (plans[i]?.estimate.resolved.gpus.value ?? null) : null),
      time: shown ? daysToSeconds(r.wallClockDays) : `no count meets it`,
      range: shown ? `${formatNumber(r.wallClockDaysLow, 3)}–${formatNumber(r.wallClockDaysHigh, 3)}` : null,
      cost: shown ? r.costUsd : null,
      params: r.params,
      tokens: r.tokens,
      solved: plans[i]?.overBudget ? 'over budget' : r.solvedFor.join(', ') || '—',
    };
  });
  const machine: Row[] = records.map((r) => ({
    gpu: r.gpu,
    gpus: r.gpus,
    gpusPerNode: r.gpusPerNode,
    feasible: r.feasible,
    wallClockDays: r.wallClockDays,
    wallClockDaysLow: r.wallClockDaysLow,
    wallClockDaysHigh: r.wallClockDaysHigh,
    costUsd: r.costUsd,
    params: r.params,
    tokens: r.tokens,
    trainingFlops: r.trainingFlops,
    solvedFor: r.solvedFor.join(' '),
  }));
  // One plan's warnings are its own; several plans' are said once each, naming the GPUs.
  const warnings =
    records.length > 1
      ? [
          ...mergeWarnings(records, (r) => r.warnings, { label: (r) => r.gpu, ref: (r) => ({ gpu: r.gpu, gpus: r.gpus }), prefix: (gpus) => gpus.join(', ') }),
          ...generationDefaultsWarning(
            plans,
            (p) => p.estimate,
            (p) => ({ gpu: p.gpu.id, gpus: p.gpus }),
          ),
        ]
      : (records[0]?.warnings ?? []);
  return {
    title: `Plan: ${goalText(req)}${first ? ` · ${first.estimate.resolved.model.name}` : ''}`,
    tables: [{ columns: PLAN_COLUMNS, rows: people }],
    primary: { columns: MACHINE_COLUMNS, rows: machine },
    assumptions: records[0] ? records[0].estimate.assumptions.filter((a) => a.name !== 'GPUs') : [],
    warnings,
    notes: records.map((r, i) => ({ title: records.length > 1 ? `How (${r.gpu}${r.gpus ? ` × ${r.gpus}` : ''})` : 'How', text: howText(r, plans[i] as Plan) })),
    json: { schemaVersion: SCHEMA_VERSION, plans: records, warnings },
    ...(plans.some((p) => p.frontier) ? { charts: planCharts(plans, req) } : {}),
    brief: records.map((r) =>
      r.feasible && r.estimate
        ? `Plan (${goalText(req)}): ${briefLine(r.estimate)}`
        : `Plan (${goalText(req)}): NOT FEASIBLE on ${r.gpu}: ${r.notes.at(-1) ?? 'no GPU count meets it'}`,
    ),
  };
}

function goalText(req: PlanRequest): string {
  const parts: string[] = [];
  if (req.deadlineSeconds !== undefined) parts.push(`within ${formatDuration(req.deadlineSeconds)}`);
  if (req.budgetUsd !== undefined) parts.push(`for ${formatUsd(req.budgetUsd)}`);
  if (req.flopsBudget !== undefined) parts.push(`for ${formatScientific(req.flopsBudget)} FLOPs`);
  if (req.computeOptimal) parts.push('compute-optimal');
  return parts.join(', ');
}

function howText(r: PlanRecord, p: Plan): string {
  const lines: string[] = [];
  if (r.solvedFor.includes('gpus')) {
    lines.push(
      r.feasible
        ? `GPUs: the smallest multiple of ${r.gpusPerNode} (GPUs per node) whose ${r.deadlineAt === 'high' ? "range's slow end" : 'estimate'} finishes within ${formatNumber(r.deadlineDays ?? 0)} days, under the ${r.estimate.scalingModel} scaling model${r.gpusFrom === 'memory' ? '; the memory floor set it' : ''}.`
        : `GPUs: no count meets the deadline under the ${r.estimate.scalingModel} scaling model.`,
    );
    // The count meets the deadline at the estimate, not across its range: say what the slow end takes.
    if (r.feasible && r.deadlineDays !== null && r.wallClockDaysHigh > r.deadlineDays)
      lines.push(
        `At the slow end of its range the run takes ${formatNumber(r.wallClockDaysHigh, 3)} days, past the deadline (the range covers 90% of the runs and measurements gpucost is checked against), so a plan that must hold needs about ${formatNumber(r.wallClockDaysHigh / r.deadlineDays, 3)}× the GPUs at linear scaling (--deadline-at high plans for it), or a rate measured on your own run (--tokens-per-sec, --from-log).`,
      );
  } else if (r.gpusFrom === 'memory') {
    lines.push(`GPUs: raised to the memory floor of ${r.minGpusForMemory} (whole nodes).`);
  }
  if (r.heldFixed.length > 0)
    lines.push(`Held fixed: ${r.heldFixed.join('; ')}. Solved for: ${r.solvedFor.filter((s) => s !== 'gpus').join(', ') || 'nothing else'}.`);
  const co = r.computeOptimal;
  if (co) {
    lines.push(
      `Compute-optimal for ${formatScientific(co.flops)} FLOPs (6·N·D): ${formatQuantity(co.params)} parameters, ${formatQuantity(co.tokens)} tokens (${co.fit}).`,
    );
  }
  const d = r.distance;
  if (d) {
    lines.push(
      `The given model (${formatQuantity(d.params)} parameters, ${formatQuantity(d.tokens)} tokens) is ${ratioText(d.paramsRatio)} the optimal size and trains on ${ratioText(d.tokensRatio)} the optimal tokens (${formatNumber(d.tokens / d.params, 3)} tokens per parameter, against ${co?.tokensPerParam ?? 20}).`,
    );
  }
  lines.push(...p.notes.map((n) => `Note: ${n}.`));
  return lines.join('\n');
}

function ratioText(x: number): string {
  return `${formatNumber(x, 3)}×`;
}

/**
 * What the search walked (--plot): time and cost against GPUs for each GPU type, the deadline or
 * budget as a level line, and each plan's answer as a marker on its curve.
 */
function planCharts(plans: Plan[], req: PlanRequest): Chart[] {
  const curves = plans.filter((p) => p.frontier?.length);
  const span = curves.flatMap((p) => (p.frontier ?? []).map((f) => f.gpus));
  const [xMin, xMax] = [Math.min(...span), Math.max(...span)];
  const level = (name: string, y: number) => ({
    name,
    points: [
      [xMin, y],
      [xMax, y],
    ] as [number, number][],
  });
  const chosen = (y: (p: Plan) => number | null) => ({
    name: 'plan',
    markersOnly: true,
    points: plans.filter((p) => p.feasible && p.gpus !== null && y(p) !== null).map((p) => [p.gpus as number, y(p) as number] as [number, number]),
  });
  const days = (s: number): number => secondsToDays(s);
  const time: Chart = {
    title: 'Time to train against GPUs',
    xLabel: 'GPUs',
    yLabel: 'days',
    xLog: true,
    yLog: true,
    yKind: 'number',
    series: [
      ...curves.map((p) => ({ name: p.gpu.id, points: (p.frontier ?? []).map((f) => [f.gpus, days(f.wallClockSeconds)] as [number, number]) })),
      ...(req.deadlineSeconds !== undefined ? [level('deadline', days(req.deadlineSeconds))] : []),
      chosen((p) => days(p.estimate.result.wallClockSeconds)),
    ],
  };
  if (!curves.some((p) => p.frontier?.some((f) => f.costUsd !== null))) return [time];
  const cost: Chart = {
    title: 'Cost against GPUs',
    xLabel: 'GPUs',
    yLabel: 'USD',
    xLog: true,
    yLog: true,
    yKind: 'usd',
    series: [
      ...curves.map((p) => ({
        name: p.gpu.id,
        points: (p.frontier ?? []).filter((f) => f.costUsd !== null).map((f) => [f.gpus, f.costUsd as number] as [number, number]),
      })),
      ...(req.budgetUsd !== undefined ? [level('budget', req.budgetUsd)] : []),
      chosen((p) => p.estimate.result.costUsd),
    ],
  };
  return [time, cost];
}
