/** `plan`: the GPUs, tokens or parameters that meet a deadline, budget or FLOPs budget. */
import type { Registry } from '../presets/catalog.js';
import { type Plan, type PlanRequest, planRows } from '../resolve/plan.js';
import { type PlanRecord, planReport } from '../report/plan.js';
import type { Report, ReportWarning } from '../report/model.js';
import { withModelFile } from './model-file.js';
import { type ApiOptions, type GpuLists, presetsOf, todayOf, withGpuLists } from './options.js';
import { finiteOrThrow } from '../report/finite.js';

/** A plan's request: the estimate's fields, lists of GPU types and counts, and the targets. */
export interface PlanInput extends Omit<PlanRequest, 'gpuList' | 'gpusList'>, GpuLists {}

/** `gpucost plan --format json`. A plan that cannot be met has `feasible: false`. */
export interface PlanDocument {
  schemaVersion: number;
  plans: PlanRecord[];
  /** Warnings said once for the rows or plans they name (`rows`). */
  warnings: ReportWarning[];
}

/** The plans and their report (what the CLI renders). */
export function runPlan(request: PlanRequest, presets: Registry, options: { plot?: boolean } = {}): { plans: Plan[]; report: Report } {
  const plans = planRows(request, presets, { frontier: options.plot === true });
  return { plans, report: planReport(plans, request) };
}

/**
 * Plans one run per GPU type: with `deadlineSeconds`, the fewest GPUs that finish in time; with
 * `budgetUsd` (and a price), what the money buys; with `computeOptimal`, the Chinchilla-optimal
 * parameters and tokens for a FLOPs budget.
 */
export function plan(input: PlanInput = {}, options: ApiOptions = {}): PlanDocument {
  const { report } = runPlan(withModelFile(withGpuLists<PlanRequest>({ today: todayOf(options), ...input }), process.cwd()), presetsOf(options));
  return finiteOrThrow(report.json) as unknown as PlanDocument;
}
