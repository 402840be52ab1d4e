import { Command } from 'commander';
import { computeEstimate } from '../../resolve/compute.js';
import { DEFAULT_SCENARIO } from '../../resolve/defaults.js';
import { resolveEstimate } from '../../resolve/estimate.js';
import { type CommonOptions, Context } from '../context.js';
import { addCommonOptions } from '../common-options.js';

export function reproduceCommand(ctx: Context): Command {
  const cmd = new Command('reproduce')
    .description("Recompute a scenario's published claims (default: the article's GPT-3 figures) and show the deviation.")
    .option('--scenario <id>', 'scenario preset', DEFAULT_SCENARIO)
    .addHelpText(
      'after',
      `
Examples:
  gpucost reproduce
  gpucost reproduce --format json | jq '.claims[] | {id, deviation}'`,
    );
  addCommonOptions(cmd);
  return cmd.action(async (opts: CommonOptions & { scenario: string }) => {
    const registry = await ctx.registry(opts);
    const scenario = registry.get('scenarios', opts.scenario);
    const results = scenario.claims.map((claim) => ({
      claim,
      computed: claim.inputs ? computeEstimate(resolveEstimate({ scenario: `${scenario.id}:${claim.id}` }, registry)) : null,
    }));
    const { reproduceReport } = await import('../../report/reproduce.js');
    await ctx.emit(reproduceReport(scenario, results), opts);
  });
}
