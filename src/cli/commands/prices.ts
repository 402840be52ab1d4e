import { Command, Option } from 'commander';
import { PRECISIONS, PRICE_TIERS } from '../../core/enums.js';
import { runPrices, toPricesRequest, type PricesInput } from '../../api/prices.js';
import { type CommonOptions, Context, withoutOutputOptions } from '../context.js';
import { addCommonOptions } from '../common-options.js';
import { withModelFile } from '../../api/model-file.js';
import { DEFAULT_GPUS } from '../../resolve/defaults.js';
import { fraction, idList, oneOf, positiveCount, positiveInt } from '../options.js';
import { addFinetuneOptions } from './estimate.js';

type PricesOptions = CommonOptions & Omit<PricesInput, 'gpus'> & { gpus?: number };

const tierOf = oneOf(PRICE_TIERS);
function tierList(text: string): PricesInput['tier'] {
  return idList(text).map(tierOf);
}

export function pricesCommand(ctx: Context): Command {
  const cmd = new Command('prices')
    .description('Where to train: one run priced at every provider × GPU × tier that can hold it, cheapest first.')
    .addHelpText(
      'after',
      `
Each row uses the provider's own price for that GPU and tier, at an instance that can hold --gpus GPUs
(one instance, or several over a multi-node network the presets record). Offerings that cannot, or
whose reach the presets do not record, are counted and named after the table.

Examples:
  gpucost prices --model llama3-8b --tokens 1T --gpus 64
  gpucost prices --model llama3-70b --tokens 2T --gpus 512 --gpu h100,h200 --tier on-demand,spot
  gpucost prices --model llama3-8b --tokens 100B --gpus 8 --provider aws,lambda --format markdown
  gpucost prices --model llama3-8b --finetune qlora --examples 50k --avg-len 512 --epochs 3`,
    )
    .option('-m, --model <id>', 'model preset (gpucost presets list --kind model), or a Hugging Face config.json')
    .option('--params <n>', 'parameter count, e.g. 8B (alone: an ad-hoc model)', positiveCount)
    .option('-t, --tokens <n>', 'training tokens, e.g. 1T', positiveCount)
    .option('-n, --gpus <n>', 'GPUs in the run (one count; default 8, or 1 for fine-tuning)', positiveInt)
    .option('-g, --gpu <ids>', 'keep only these GPU presets, comma-separated', idList)
    .option('--provider <ids>', 'keep only these providers, comma-separated (gpucost presets list --kind price)', idList)
    .option('--tier <tiers>', `keep only these tiers, comma-separated: ${PRICE_TIERS.join(', ')}`, tierList)
    .option('--mfu <fraction>', 'fraction of the dense peak sustained, for every GPU (default: calibrated)', fraction)
    .addOption(new Option('--precision <p>', `precision of the peak: ${PRECISIONS.join(', ')}`).argParser(oneOf(PRECISIONS)));
  addFinetuneOptions(cmd);
  addCommonOptions(cmd);
  return cmd.action(async (opts: PricesOptions) => {
    const registry = await ctx.registry(opts);
    const input = withoutOutputOptions(opts);
    // A fine-tune defaults to one GPU, as estimate's does.
    const gpus = input.gpus ?? (input.finetune !== undefined ? 1 : DEFAULT_GPUS);
    const req = withModelFile(toPricesRequest({ ...input, gpus, today: ctx.today() }), ctx.io.cwd);
    await ctx.emit(runPrices(req, registry), opts);
  });
}
