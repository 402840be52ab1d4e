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
  gpucost memory --params 70B --gpu a100 --gpus 8    a bare count: Llama 2's shape at that size, said so
  gpucost memory --model llama3-8b --finetune qlora --gpu rtx4090    does a QLoRA fine-tune fit (no data needed)`,
    );
  addRunOptions(cmd);
  addCommonOptions(cmd);
  addConflictChecks(cmd);
  return cmd.action(async (opts: CommonOptions & EstimateRequest) => {
    const registry = await ctx.registry(opts);
    const req = withStandardShape(await prepareRequest(withNominalData(opts), ctx.io, registry));
    const e = computeEstimate(resolveEstimate(req, registry));
    const layout = requireLayout(e);
    await ctx.emit(memoryReport(e, layout.minimumGpus ?? evaluateMinimumGpus(e.resolved)), opts);
  });
}

/**
 * Memory does not depend on how many tokens a fine-tune sees, so `memory --finetune` needs no data:
 * without any, it is asked about a nominal token count, which the memory report does not show.
 */
function withNominalData<T extends EstimateRequest>(opts: T): T {
  const given = [opts.tokens, opts.datasetTokens, opts.examples, opts.avgLen].some((v) => v !== undefined);
  return opts.finetune !== undefined && !given ? { ...opts, tokens: NOMINAL_TOKENS } : opts;
}

const NOMINAL_TOKENS = 1e9;
