/** --max-cost, --max-days, --max-gpu-hours on estimate and compare. */
import { type Command, Option } from 'commander';
import { EXIT, GpucostError } from '../errors.js';
import { RANGE_ENDS, type RangeEnd } from '../core/enums.js';
import { evaluateGates, type GateLimits, type GateResult, type GateSubject, hasGates } from '../resolve/gates.js';
import { gateFailureLines, withGates } from '../report/gates.js';
import type { Report } from '../report/model.js';
import type { Context } from './context.js';
import { durationIn, oneOf, positiveCount, usd } from './options.js';

export interface GateOptions {
  maxCost?: number;
  maxDays?: number;
  maxGpuHours?: number;
  failIfOom?: boolean;
  failIfInfeasible?: boolean;
  gateAt?: RangeEnd;
}

export function addGateOptions(cmd: Command): Command {
  return cmd
    .option('--max-cost <usd>', 'gate: exit 1 if any row costs more (needs a price), e.g. 5M', usd)
    .option('--max-days <days>', 'gate: exit 1 if any row takes longer: days (30), or 4w, 3mo', durationIn('d'))
    .option('--max-gpu-hours <n>', 'gate: exit 1 if any row uses more GPU-hours, e.g. 1.5M', positiveCount)
    .option('--fail-if-oom', 'gate: exit 1 if the model does not fit in GPU memory on any row')
    .option('--fail-if-infeasible', 'gate: exit 1 if any row carries an error-level check (does not fit, no layout, …)')
    .addOption(
      new Option(
        '--gate-at <end>',
        'gate: compare --max-cost, --max-days and --max-gpu-hours with the estimate (mid, default) or the slow, costly end of its range (high)',
      ).argParser(oneOf(RANGE_ENDS)),
    );
}

export function limitsOf(opts: GateOptions): GateLimits {
  const limits: GateLimits = {};
  if (opts.maxCost !== undefined) limits.maxCostUsd = opts.maxCost;
  if (opts.maxDays !== undefined) limits.maxDays = opts.maxDays;
  if (opts.maxGpuHours !== undefined) limits.maxGpuHours = opts.maxGpuHours;
  if (opts.failIfOom) limits.failIfOom = true;
  if (opts.failIfInfeasible) limits.failIfInfeasible = true;
  if (opts.gateAt !== undefined) {
    if (limits.maxCostUsd === undefined && limits.maxDays === undefined && limits.maxGpuHours === undefined)
      throw new GpucostError(
        'E_INPUT',
        '--gate-at moves the --max-cost, --max-days and --max-gpu-hours gates, and none is given',
        'add one of them, or drop --gate-at',
      );
    limits.at = opts.gateAt;
  }
  return limits;
}

/**
 * Evaluates the gates (none: the report is unchanged), and returns what to print after the data.
 * `subjects` is called only when some gate is set.
 */
export function applyGates(report: Report, subjects: () => GateSubject[], opts: GateOptions): { report: Report; results: GateResult[] } {
  const limits = limitsOf(opts);
  if (!hasGates(limits)) return { report, results: [] };
  const results = evaluateGates(limits, subjects());
  return { report: withGates(report, results), results };
}

/** Prints one stderr line per violation and sets exit code 1 when any gate failed. */
export function reportGateFailures(ctx: Context, results: GateResult[]): void {
  const lines = gateFailureLines(results);
  for (const line of lines) ctx.io.stderr(`${line}\n`);
  if (lines.length > 0) ctx.exitCode = EXIT.CHECK_FAILED;
}
