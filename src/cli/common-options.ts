/** Options every data command shares: output format and file, colour, user presets, debug. */
import { type Command, Option } from 'commander';
import { FORMAT_ALIASES, type FORMATS } from '../report/index.js';
import { oneOf } from './options.js';

/** Text formats every command has; charts (svg, html) only where a command draws one. */
export const TEXT_FORMATS = ['table', 'json', 'csv', 'markdown', 'yaml'] as const;

export function addCommonOptions(cmd: Command, formats: readonly string[] = TEXT_FORMATS): Command {
  return cmd
    .addOption(
      new Option('-f, --format <format>', `output format: ${formats.join(', ')}`).argParser(
        oneOf(formats as readonly (typeof FORMATS)[number][], FORMAT_ALIASES),
      ),
    )
    .option('-o, --output <file>', 'write the output to FILE (atomically; - is stdout) instead of stdout')
    .option('--presets <dir>', 'add presets from DIR (gpus/, models/, scenarios/); repeatable', collect)
    .option('--wide', 'tables keep every column, however wide the terminal (as when piped)')
    .option('--color', 'force colour in tables')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('--debug', 'print stack traces for errors');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
