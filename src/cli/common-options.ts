/** Options every data command shares: output format and file, colour, user presets, debug. */
import { type Command, Option } from 'commander';
import { extname } from 'node:path';
import { GpucostError } from '../errors.js';
import { FORMAT_ALIASES, type FORMATS } from '../report/index.js';
import { oneOf } from './options.js';

/** Text formats every command has; charts (svg, html) only where a command draws one. */
export const TEXT_FORMATS = ['table', 'json', 'csv', 'markdown', 'yaml'] as const;

export function addCommonOptions(cmd: Command, formats: readonly string[] = TEXT_FORMATS): Command {
  if (formats.includes('brief')) cmd.option('--brief', 'one line per answer: model, tokens, GPUs, days, GPU-hours, cost (--format brief)');
  // After parsing, before the action: --brief and the --output file's extension choose the format.
  cmd.hook('preAction', (_program, action) => settleFormat(action, formats));
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

/** Formats an --output file's extension asks for when --format is not given. */
const FORMAT_BY_EXTENSION = new Map<string, string>([
  ['.json', 'json'],
  ['.csv', 'csv'],
  ['.md', 'markdown'],
  ['.markdown', 'markdown'],
  ['.yaml', 'yaml'],
  ['.yml', 'yaml'],
  ['.svg', 'svg'],
  ['.html', 'html'],
  ['.htm', 'html'],
  ['.txt', 'table'],
]);

function settleFormat(cmd: Command, formats: readonly string[]): void {
  const opts = cmd.opts<{ format?: string; output?: string; brief?: boolean; plot?: boolean | string }>();
  if (typeof opts.plot === 'string') plotFileFormat(opts.plot);
  if (opts.brief) {
    if (opts.format !== undefined && opts.format !== 'brief') {
      throw new GpucostError('E_USAGE', `--brief and --format ${opts.format} cannot be used together`, 'give one of them');
    }
    cmd.setOptionValue('format', 'brief');
    return;
  }
  if (opts.format !== undefined || opts.output === undefined || opts.output === '-') return;
  const wanted = FORMAT_BY_EXTENSION.get(extname(opts.output).toLowerCase());
  if (wanted === undefined) return;
  if (!formats.includes(wanted)) {
    throw new GpucostError(
      'E_USAGE',
      `--output ${opts.output} asks for ${wanted} by its extension, which ${cmd.name()} does not write`,
      `give --format (${formats.join(', ')}) or another file name`,
    );
  }
  cmd.setOptionValue('format', wanted);
}

/** `--plot [file]`: the chart in the terminal, and as SVG or HTML in FILE when one is named. */
export function addPlotOption(cmd: Command, what: string): Command {
  return cmd.option('--plot [file]', `draw ${what} in the terminal, and to FILE (.svg or .html) when given`);
}

/** Whether --plot was given, with or without a file. */
export function plotWanted(plot: boolean | string | undefined): boolean {
  return plot !== undefined && plot !== false;
}

/** The chart file's format from its extension; an extension that is neither .svg nor .html is refused before any work. */
export function plotFileFormat(file: string): 'svg' | 'html' {
  const format = FORMAT_BY_EXTENSION.get(extname(file).toLowerCase());
  if (format !== 'svg' && format !== 'html') {
    throw new GpucostError('E_USAGE', `--plot ${file}: the chart file must end in .svg or .html`, 'name it chart.svg or chart.html');
  }
  return format;
}
