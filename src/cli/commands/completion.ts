import { Argument, Command, Option } from 'commander';
import { KINDS } from '../../presets/catalog.js';
import { FORMATS } from '../../report/index.js';
import { type CompletionSpec, completionScript, SHELLS, type Shell } from '../completion-script.js';
import type { Context } from '../context.js';
import { oneOf } from '../options.js';

/** The command tree to complete: main.ts passes its own list (importing it here would be a cycle). */
export type CommandList = () => readonly [name: string, make: (ctx: Context) => Command][];

export function completionCommand(ctx: Context, commandList: CommandList): Command {
  return new Command('completion')
    .description('Print a shell completion script (commands, options, preset ids).')
    .addArgument(new Argument('<shell>', SHELLS.join(', ')).argParser(oneOf(SHELLS)))
    .addOption(new Option('--presets <dir>', 'add presets from DIR to the ids completed'))
    .addHelpText(
      'after',
      '\nExamples:\n  gpucost completion bash > ~/.local/share/bash-completion/completions/gpucost\n  gpucost completion zsh > "${fpath[1]}/_gpucost"\n  gpucost completion fish > ~/.config/fish/completions/gpucost.fish',
    )
    .action(async (shell: Shell, opts: { presets?: string }) => {
      const registry = await ctx.registry(opts.presets ? { presets: [opts.presets] } : {});
      const commands = commandList()
        .filter(([name]) => name !== 'completion')
        .map(([name, make]) => ({ name, options: optionsOf(make(ctx)) }));
      const ids = (kind: (typeof KINDS)[number]): string[] => registry.all(kind).map((p) => p.id);
      const spec: CompletionSpec = {
        commands,
        values: {
          '--gpu': ids('gpus'),
          '-g': ids('gpus'),
          '--model': ids('models'),
          '-m': ids('models'),
          '-f': [...FORMATS],
          '--cluster': ids('clusters'),
          '--provider': ids('prices'),
          '--grid': ids('grids'),
          '--scenario': ids('scenarios'),
          '--format': [...FORMATS],
        },
      };
      ctx.io.stdout(completionScript(shell, spec));
    });
}

/** Every option name of a command and its subcommands (long and short forms). */
function optionsOf(cmd: Command): string[] {
  const own = cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));
  const subs = cmd.commands.flatMap((c) => [c.name(), ...optionsOf(c)]);
  return [...new Set([...own, ...subs, '--help'])];
}
