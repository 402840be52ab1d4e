import { Command, Option } from 'commander';
import { EXIT, GpucostError } from '../../errors.js';
import { PRESET_KIND_NAMES, type PresetKindName } from '../../report/preset-kinds.js';
import { KINDS } from '../../presets/catalog.js';
import { type CommonOptions, Context } from '../context.js';
import { addCommonOptions } from '../common-options.js';
import { oneOf } from '../options.js';

export function presetsCommand(ctx: Context): Command {
  const presets = new Command('presets').description('List, show and validate GPU, model and scenario presets.');

  const list = listCommand(ctx);

  const show = new Command('show')
    .description('Show every field of a preset with its unit and source.')
    .argument('<id>', 'preset id or alias')
    .addHelpText('after', '\nExamples:\n  gpucost presets show h100\n  gpucost presets show gpt3-175b --format json');
  addCommonOptions(show).action(async (id: string, opts: CommonOptions) => {
    const registry = await ctx.registry(opts);
    const kinds = KINDS;
    for (const kind of kinds) {
      const found = registry.find(kind, id);
      if (found) {
        const { presetShowReport } = await import('../../report/presets.js');
        await ctx.emit(presetShowReport(kind, found, registry.origin(kind, found.id)), opts);
        return;
      }
    }
    // Not found anywhere: let the GPU lookup produce the "did you mean" over GPUs and models alike.
    const idOf = new Map(
      kinds.flatMap((k) => registry.list(k).flatMap((p) => [p.id, ...('aliases' in p ? (p.aliases as string[]) : [])].map((a) => [a, p.id] as const))),
    );
    const { closest } = await import('../../presets/suggest.js');
    const near = closest(id.toLowerCase(), [...idOf.keys()], 3, (a) => idOf.get(a) ?? a);
    throw new GpucostError('E_UNKNOWN_PRESET', `no preset "${id}"`, near.length ? `did you mean ${near.join(', ')}?` : 'see gpucost presets list');
  });

  const validate = new Command('validate')
    .description('Check preset files; every problem is printed as file:line:col field: message.')
    .argument('<files...>', 'YAML files (kind from the folder name gpus/, models/, scenarios/ or from the content)')
    .option('--debug', 'print stack traces for errors');
  validate.action(async (files: string[]) => {
    const { validateFiles } = await import('../validate.js');
    const ok = validateFiles(files, ctx.io);
    ctx.exitCode = ok ? EXIT.OK : EXIT.ERROR;
  });

  return presets.addCommand(list).addCommand(show).addCommand(validate);
}

function listCommand(ctx: Context): Command {
  const list = new Command('list')
    .description('List the presets (bundled and from --presets).')
    .addOption(
      new Option('--kind <kind>', `only this kind: ${Object.keys(PRESET_KIND_NAMES).join(', ')}`).argParser(
        // The plural kinds (gpus, models, …) are accepted too.
        oneOf(Object.keys(PRESET_KIND_NAMES) as PresetKindName[], Object.fromEntries(Object.entries(PRESET_KIND_NAMES).map(([name, kind]) => [kind, name]))),
      ),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  gpucost presets list --kind gpu\n  gpucost presets list --kind price\n  gpucost presets list --kind cluster\n  gpucost presets list --format json',
    );
  addCommonOptions(list).action(async (opts: CommonOptions & { kind?: PresetKindName }) => {
    const registry = await ctx.registry(opts);
    const { presetsListReport } = await import('../../report/presets.js');
    // Measured throughput is bundled apart from the catalog (it is large): read only when listed.
    const sets = opts.kind === undefined || opts.kind === 'throughput' ? (await import('../throughput-backtest.js')).throughputSets(registry) : [];
    const finetune = opts.kind === undefined || opts.kind === 'finetune' ? (await import('../finetune-backtest.js')).finetuneSets(registry) : [];
    await ctx.emit(presetsListReport(registry, opts.kind, sets, finetune), opts);
  });
  return list;
}
