/**
 * `run(argv, io) → exit code`: builds the command tree, parses, runs one command, and turns every
 * failure into one line on stderr (a stack trace only with --debug). Nothing here calls process.exit.
 */
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { EXIT, GpucostError, PresetError } from '../errors.js';
import { backtestCommand } from './commands/backtest.js';
import { pricesCommand } from './commands/prices.js';
import { compareCommand } from './commands/compare.js';
import { completionCommand } from './commands/completion.js';
import { detectCommand } from './commands/detect.js';
import { estimateCommand } from './commands/estimate.js';
import { memoryCommand } from './commands/memory.js';
import { planCommand } from './commands/plan.js';
import { presetsCommand } from './commands/presets.js';
import { reproduceCommand } from './commands/reproduce.js';
import { Context } from './context.js';
import { escapeControls } from '../report/safe-text.js';
import { type Io, OutputClosed } from './io.js';

export const VERSION: string = pkg.version;

/** Examples and exit codes under `gpucost --help`. */
const PROGRAM_HELP = `
Examples:
  gpucost estimate                      GPT-3 175B on 1024 A100-80GB at Megatron's 140 TFLOP/s
  gpucost estimate --model gpt3-13b --gpu h100 --gpus 64 --price 2.5
  gpucost compare                       the article's clusters beside its claims
  gpucost compare --gpu v100,a100,h100 --gpus 8..4096 --price 2 --plot
  gpucost prices --model llama3-8b --tokens 1T --gpus 64   cheapest provider × GPU for a run
  gpucost estimate --model llama3-70b --gpus 512 --brief   the answer in one line
  gpucost memory --gpu v100 --gpus 8    does GPT-3 fit on 8 V100s? (no: 11× over)
  gpucost plan --deadline 30d           GPUs needed to train GPT-3 175B in 30 days
  gpucost reproduce                     the article's GPT-3 figures, recomputed
  gpucost backtest                      gpucost against published training runs
  gpucost presets list
  gpucost detect                        the GPUs in this machine, matched to presets
  gpucost completion bash               shell completion with preset ids

Exit codes: 0 ok, 1 a requested check failed, 2 could not run (bad input or preset).`;

export async function run(argv: string[], io: Io): Promise<number> {
  // Scripts ask for the version alone, often: answer without building the command tree (same text
  // as commander's own --version).
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    try {
      io.stdout(`${VERSION}\n`);
    } catch (e) {
      if (!(e instanceof OutputClosed)) throw e;
    }
    return EXIT.OK;
  }
  // Diagnostics quote file names, flags and preset text: none may act on the terminal (safe-text.ts).
  const safe: Io = { ...io, stderr: (text) => io.stderr(escapeControls(text)), terminalStderr: (text) => io.stderr(text) };
  const ctx = new Context(safe);
  const debug = argv.includes('--debug');
  const program = new Command('gpucost')
    .description('How long, how much money and how many GPUs it takes to train a model.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => safe.stderr(s),
      outputError: () => {}, // reported once, below, in our own format
    })
    .addHelpText('after', PROGRAM_HELP);

  for (const make of commandsFor(argv)) {
    const cmd = make(ctx);
    inheritSettings(cmd, program);
    program.addCommand(cmd);
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    // The reader of stdout has gone: stop quietly, keeping the exit code of any check already failed.
    if (e instanceof OutputClosed) return ctx.exitCode;
    return report(e, safe, debug, argv);
  }
}

/** Every command, by name (tests/cli/startup.test.ts checks each builds the command it is named for). */
export const COMMANDS: [name: string, make: (ctx: Context) => Command][] = [
  ['estimate', estimateCommand],
  ['compare', compareCommand],
  ['prices', pricesCommand],
  ['plan', planCommand],
  ['memory', memoryCommand],
  ['reproduce', reproduceCommand],
  ['backtest', backtestCommand],
  ['presets', presetsCommand],
  ['detect', detectCommand],
  ['completion', (ctx) => completionCommand(ctx, () => COMMANDS)],
];

/**
 * The commands to build: only the one named first on the command line when there is one (building
 * all of them with their options costs measurable start-up time), else all (for help and errors).
 */
function commandsFor(argv: string[]): ((ctx: Context) => Command)[] {
  const named = COMMANDS.find(([name]) => name === argv[0]);
  return named ? [named[1]] : COMMANDS.map(([, make]) => make);
}

function inheritSettings(cmd: Command, parent: Command): void {
  cmd.exitOverride().configureOutput(parent.configureOutput()).showSuggestionAfterError(true);
  for (const sub of cmd.commands) inheritSettings(sub, cmd);
}

function report(e: unknown, io: Io, debug: boolean, argv: string[]): number {
  if (e instanceof CommanderError) {
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code)) return EXIT.OK;
    if (e.code === 'commander.executeSubCommandAsync') return EXIT.ERROR;
    // One line: commander's message (its "Did you mean …?" joined on), then where to read more.
    const message = e.message
      .replace(/^error: /, '')
      .replace(/ is invalid\. /, ' is invalid: ')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join(' ');
    const command = COMMANDS.find(([name]) => name === argv[0])?.[0];
    io.stderr(`gpucost: error: ${message}${message.includes('--help') ? '' : `; see gpucost ${command ? `${command} ` : ''}--help`}\n`);
    return EXIT.ERROR;
  }
  if (e instanceof PresetError) {
    for (const p of e.problems) {
      io.stderr(`gpucost: error[${e.code}] ${p.file}:${p.line}:${p.col}${p.field ? ` ${p.field}:` : ''} ${p.message}\n`);
    }
    if (debug) io.stderr(`${e.stack}\n`);
    return EXIT.ERROR;
  }
  if (e instanceof GpucostError) {
    io.stderr(`gpucost: error[${e.code}]: ${e.message}${e.hint ? `; ${e.hint}` : ''}\n`);
    if (debug) io.stderr(`${e.stack}\n`);
    return EXIT.ERROR;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr(
    debug
      ? `gpucost: internal error: ${err.message}\n${err.stack}\n`
      : `gpucost: internal error: ${err.message}; rerun with --debug for a stack trace, and report it as a bug\n`,
  );
  return EXIT.ERROR;
}
