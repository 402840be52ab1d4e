import { Command, Option } from 'commander';
import { backtestRows, calibrate, compareCalibrations, summarize } from '../../resolve/backtest.js';
import { PERF_MODES, type PerfMode } from '../../resolve/estimate.js';
import { backtestReport } from '../../report/backtest.js';
import { type CommonOptions, Context } from '../context.js';
import { addCommonOptions, addPlotOption, plotWanted } from '../common-options.js';
import { oneOf } from '../options.js';

export function backtestCommand(ctx: Context): Command {
  const cmd = new Command('backtest')
    .description('How close gpucost comes to published training runs (presets/runs), and the summary of its error.')
    .addOption(new Option('--split <split>', 'only fit or holdout runs').argParser(oneOf(['fit', 'holdout', 'all'] as const)))
    .option('--throughput', 'the throughput validation set instead (presets/throughput): each measured row beside one constant MFU and the step-time model')
    .addOption(
      new Option('--finetune', "the fine-tuning validation set instead (presets/finetune): measured peak memory and tokens/s beside gpucost's").conflicts([
        'throughput',
        'perf',
      ]),
    )
    .addOption(
      new Option('--perf <mode>', 'predict with peak × calibrated utilisation (mfu, the default) or the step-time model (model)').argParser(oneOf(PERF_MODES)),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  gpucost backtest\n  gpucost backtest --split holdout --format json | jq .summary\n  gpucost backtest --throughput --format json | jq .summary\n  gpucost backtest --throughput --format svg --output throughput.svg\n  gpucost backtest --finetune',
    );
  addPlotOption(cmd, 'predicted against published, log-log, with the error band');
  addCommonOptions(cmd, ['table', 'json', 'csv', 'markdown', 'yaml', 'svg', 'html']);
  type Opts = CommonOptions & { split?: 'fit' | 'holdout' | 'all'; throughput?: boolean; finetune?: boolean; perf?: PerfMode; plot?: boolean | string };
  return cmd.action(async (opts: Opts) => {
    const registry = await ctx.registry(opts);
    // The measured sets are loaded on demand: they are large and no other command reads them.
    const measured = opts.throughput
      ? (await import('../throughput-backtest.js')).throughputBacktest
      : opts.finetune
        ? (await import('../finetune-backtest.js')).finetuneBacktest
        : null;
    if (measured) {
      const report = measured(registry, opts.split);
      await ctx.emit(report, opts);
      await ctx.emitPlotFile(report, opts.plot);
      return;
    }
    const all = backtestRows(registry, opts.perf);
    const rows = opts.split && opts.split !== 'all' ? all.filter((r) => r.split === opts.split) : all;
    const summaries = (['fit', 'holdout'] as const)
      .filter((s) => !opts.split || opts.split === 'all' || opts.split === s)
      .flatMap((split) => (['training', 'benchmark'] as const).map((kind) => summarize(all, split, kind)));
    const chart = plotWanted(opts.plot) || opts.format === 'svg' || opts.format === 'html';
    // The two calibrations are scored on the default prediction only: the step-time model uses neither.
    const calibrations = opts.perf === 'model' ? undefined : compareCalibrations(all);
    const report = backtestReport(rows, summaries, calibrate(all), opts.perf, { plot: chart, ...(calibrations ? { calibrations } : {}) });
    await ctx.emit(report, opts);
    await ctx.emitPlotFile(report, opts.plot);
  });
}
