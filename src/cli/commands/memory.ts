import { Command } from 'commander';
import { computeEstimate, requireLayout } from '../../resolve/compute.js';
import { evaluateMinimumGpus } from '../../resolve/evaluate-layout.js';
import { type EstimateRequest, resolveEstimate } from '../../resolve/estimate.js';
import { memoryReport } from '../../report/memory.js';
import { type CommonOptions, Context } from '../context.js';
import { addConflictChecks } from '../conflicts.js';
import { addCommonOptions } from '../common-options.js';
import { prepareRequest } from '../model-input.js';
import { addRunOptions } from './estimate.js';
import { withStandardShape } from '../../resolve/standard-shape.js';

export function memoryCommand(ctx: Context): Command {
  const cmd = new Command('memory')
    .description('Memory per GPU (weights, gradients, optimizer, activations) and the fewest GPUs on which a model fits.')
    .addHelpText(
      'after',
      `
Examples:
  gpucost memory                                   GPT-3 175B on 1024 A100-80GB
  gpucost memory --model gpt3-175b --gpu v100 --gpus 8
  gpucost memory --model llama3-70b --gpu h100 --gpus 64 --tp 8 --pp 2 --zero 1 --recompute selective
  gpucost memory --params 70B --gpu a100 --gpus 8    a bare count: Llama 2's shape at that size, said so`,
    );
  addRunOptions(cmd);
  addCommonOptions(cmd);
  addConflictChecks(cmd);
  return cmd.action(async (opts: CommonOptions & EstimateRequest) => {
    const registry = await ctx.registry(opts);
    const req = withStandardShape(await prepareRequest(opts, ctx.io, registry));
    const e = computeEstimate(resolveEstimate(req, registry));
    const layout = requireLayout(e);
    await ctx.emit(memoryReport(e, layout.minimumGpus ?? evaluateMinimumGpus(e.resolved)), opts);
  });
}
