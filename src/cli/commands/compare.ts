import { Command } from 'commander';
import type { CompareRequest } from '../../resolve/compare.js';
import type { Registry } from '../../presets/catalog.js';
import { runCompare } from '../../api/compare.js';
import { withGpuLists } from '../../api/options.js';
import { type CommonOptions, Context } from '../context.js';
import { progress } from '../progress.js';
import { addConflictChecks } from '../conflicts.js';
import { addCommonOptions, addPlotOption, plotWanted } from '../common-options.js';
import { addGateOptions, applyGates, type GateOptions, reportGateFailures } from '../gates.js';
import { prepareRequest } from '../model-input.js';
import { DEFAULT_RUN_FILE, mergeRunFile } from '../run-file.js';
import { estimateValues } from '../../report/estimate.js';
import { addRunOptions } from './estimate.js';
import { addMoneyOptions } from '../money-options.js';
import { checkRowCount, emitCompareCsv, streamsCsv } from '../compare-stream.js';

type CompareOptions = CommonOptions &
  GateOptions &
  Omit<CompareRequest, 'gpuList' | 'gpusList'> & { gpu?: string[]; gpus?: number[]; plot?: boolean | string; config?: string };

export function compareCommand(ctx: Context): Command {
  const cmd = new Command('compare').description('Compare GPU types and cluster sizes for one model and token budget.').addHelpText(
    'after',
    `
With no options: the article's clusters (8 and 512 V100, 1024 A100-80GB) for GPT-3 175B beside its claims.
--gpu takes a list, --gpus a list or ranges: 8..4096 (doubling), 8..4096*4, 256..2048+256.

Examples:
  gpucost compare
  gpucost compare --model gpt3-175b --gpu v100,a100-80gb,h100 --gpus 8..4096 --price 2
  gpucost compare --gpus 64,512,1024 --scaling efficiency:0.95 --plot
  gpucost compare --gpu h100 --gpus 256..4096 --price 3 --max-cost 5M --format markdown >> "$GITHUB_STEP_SUMMARY"
  gpucost compare --gpu a100,h100 --gpus 8..1024 --format svg --output scaling.svg`,
  );
  addRunOptions(cmd, { lists: true });
  addMoneyOptions(cmd);
  addGateOptions(cmd);
  addPlotOption(cmd, 'time (and cost) against GPU count');
  addCommonOptions(cmd, ['table', 'json', 'csv', 'markdown', 'yaml', 'svg', 'html', 'brief']);
  cmd.option('-c, --config <file>', `run file (YAML) with these options; default: ${DEFAULT_RUN_FILE} in the current directory if present`);
  addConflictChecks(cmd);
  return cmd.action(async (flags: CompareOptions) => {
    const { opts, origins } = await mergeRunFile(flags, ctx.io, true);
    const registry = await ctx.registry(opts);
    const { gpu, gpus, plot, maxCost, maxDays, maxGpuHours, failIfOom, failIfInfeasible, gateAt, config: _config, ...rest } = opts;
    const req = await prepareRequest(withGpuLists<CompareRequest>({ ...rest, gpu, gpus, origins, today: ctx.today() }), ctx.io, registry);
    checkRowCount(req, opts);
    if (streamsCsv(req, opts)) return emitCompareCsv(ctx, req, registry, opts);
    const chart = plotWanted(plot) || opts.format === 'svg' || opts.format === 'html';
    const { rows, report: compared } = compareWithProgress(ctx, req, registry, chart);
    const gates = { maxCost, maxDays, maxGpuHours, failIfOom, failIfInfeasible, gateAt };
    const { report, results } = applyGates(compared, () => rows.map((r) => ({ ...estimateValues(r.estimate), warnings: r.estimate.warnings })), gates);
    await ctx.emit(report, opts);
    await ctx.emitPlotFile(report, plot);
    reportGateFailures(ctx, results);
  });
}

/** The comparison, with a progress bar on a terminal that is cleared however it ends. */
function compareWithProgress(ctx: Context, req: CompareRequest, registry: Registry, chart: boolean): ReturnType<typeof runCompare> {
  const bar = progress(ctx.io, 'compare');
  try {
    return runCompare(req, registry, { plot: chart, onRow: (done, total) => bar.tick(done, total) });
  } finally {
    bar.end();
  }
}
