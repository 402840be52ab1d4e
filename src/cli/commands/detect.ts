import { Command } from 'commander';
import { type CommonOptions, Context } from '../context.js';
import { addCommonOptions } from '../common-options.js';

export function detectCommand(ctx: Context): Command {
  const cmd = new Command('detect')
    .description('Find the GPUs of this machine with nvidia-smi and match them to presets (used by --gpu local).')
    .addHelpText('after', '\nExamples:\n  gpucost detect\n  gpucost detect --format json\n  gpucost estimate --gpu local --gpus 8');
  addCommonOptions(cmd);
  return cmd.action(async (opts: CommonOptions) => {
    const registry = await ctx.registry(opts);
    const { detectGpus } = await import('../nvidia-smi.js');
    const { detectReport } = await import('../../report/detect.js');
    await ctx.emit(detectReport(detectGpus(ctx.io, registry)), opts);
  });
}
