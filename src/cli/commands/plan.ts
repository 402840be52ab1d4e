import { Command, Option } from 'commander';
import { RANGE_ENDS } from '../../core/enums.js';
import { withGpuLists } from '../../api/options.js';
import { EXIT } from '../../errors.js';
import type { PlanRequest } from '../../resolve/plan.js';
import { addConflictChecks } from '../conflicts.js';
import { addCommonOptions, addPlotOption, plotWanted, TEXT_FORMATS } from '../common-options.js';
import { type CommonOptions, Context, withoutOutputOptions } from '../context.js';
import { prepareRequest } from '../model-input.js';
import { addMoneyOptions } from '../money-options.js';
import { duration, oneOf, positiveCount, usd } from '../options.js';
import { addRunOptions } from './estimate.js';

type PlanOptions = CommonOptions &
  Omit<PlanRequest, 'gpuList' | 'gpusList' | 'deadlineSeconds' | 'budgetUsd'> & {
    gpu?: string[];
    gpus?: number[];
    deadline?: number;
    budget?: number;
    plot?: boolean | string;
  };

export function planCommand(ctx: Context): Command {
  const cmd = new Command('plan').description('Work backwards: GPUs for a deadline, tokens or model size for a budget, compute-optimal N and D.').addHelpText(
    'after',
    `
Starts from the same run as estimate (GPT-3 175B on A100-80GB at 140 TFLOP/s unless flags say otherwise).
--deadline solves the GPU count (whole nodes; the smallest count that meets it under --scaling).
--budget (USD, needs a price) or --flops-budget solves tokens for a given model, or model size and
tokens (20 per parameter) without one. --compute-optimal gives Chinchilla's N and D (Hoffmann et al.
2022, Approaches 1-2) and how far the given model is from them.

Examples:
  gpucost plan --deadline 34d
  gpucost plan --deadline 3mo --model llama2-70b --tokens 2T --gpu h100 --scaling efficiency:0.95
  gpucost plan --budget 2M --provider lambda --gpu h100
  gpucost plan --budget 2M --model llama3-8b --provider aws --gpu h100 --gpus 64
  gpucost plan --compute-optimal --flops-budget 5.76e23
  gpucost plan --compute-optimal --model gpt3-175b
  gpucost plan --budget 5M --deadline 60d --price 2.5 --gpu h100 --format json`,
  );
  addRunOptions(cmd, { lists: true });
  addMoneyOptions(cmd);
  cmd
    .option('--deadline <duration>', 'finish within this time: 30d, 6w, 3mo, 1y', duration)
    .addOption(
      new Option('--deadline-at <end>', 'meet the deadline at the estimate (mid, default) or at the slow end of its range (high)').argParser(oneOf(RANGE_ENDS)),
    )
    .option('--budget <usd>', 'spend at most this many USD, e.g. 2M (needs --price, --provider or --owned)', usd)
    .option('--flops-budget <flops>', 'spend at most this many training FLOPs, e.g. 5.76e23', positiveCount)
    .option('--compute-optimal', 'compute-optimal parameters and tokens for the budget (Hoffmann et al. 2022)');
  addPlotOption(cmd, 'the search: time (and cost) against GPUs, the deadline or budget, and the plan');
  addCommonOptions(cmd, [...TEXT_FORMATS, 'svg', 'html', 'brief']);
  addConflictChecks(cmd);
  return cmd.action(async (opts: PlanOptions) => {
    const registry = await ctx.registry(opts);
    const { gpu, gpus, deadline, budget, plot, ...rest } = withoutOutputOptions(opts);
    const req = await prepareRequest(withGpuLists<PlanRequest>({ ...rest, gpu, gpus, today: ctx.today() }), ctx.io, registry);
    if (deadline !== undefined) req.deadlineSeconds = deadline;
    if (budget !== undefined) req.budgetUsd = budget;
    // Loaded on demand: the plan search and its report are not on the path of other commands.
    const { runPlan } = await import('../../api/plan.js');
    const { plans, report } = runPlan(req, registry, { plot: plotWanted(plot) || opts.format === 'svg' || opts.format === 'html' });
    await ctx.emit(report, opts);
    await ctx.emitPlotFile(report, plot);
    const infeasible = plans.filter((p) => !p.feasible);
    for (const p of infeasible) ctx.io.stderr(`gpucost: plan failed: ${p.gpu.id}: ${p.notes.at(-1) ?? 'no GPU count meets the deadline'}\n`);
    if (infeasible.length > 0) ctx.exitCode = EXIT.CHECK_FAILED;
  });
}
