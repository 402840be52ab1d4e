/** What every command handler gets: io, presets, output, and a place to put the exit code. */
import { resolve } from 'node:path';
import { type Io, OutputClosed } from './io.js';
import type { Warning } from '../core/warnings.js';
import { EXIT, type PresetProblem, problemText } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import { loadPresets } from '../api/presets.js';
import { type Format, render } from '../report/index.js';
import type { Report } from '../report/model.js';
import { finiteOrThrow } from '../report/finite.js';
import { AtomicFile, writeFileAtomic } from './write-file.js';
import { plotFileFormat } from './common-options.js';

export interface CommonOptions {
  format?: Format;
  output?: string;
  color?: boolean;
  presets?: string[];
  debug?: boolean;
  /** Tables at their full width: no columns left out for the terminal. */
  wide?: boolean;
}

/** The options that shape the output, not the request (CommonOptions and --brief): what a command strips before it builds its request. */
export function withoutOutputOptions<T extends CommonOptions & { brief?: boolean }>(opts: T): Omit<T, keyof CommonOptions | 'brief'> {
  const { format: _f, output: _o, color: _c, presets: _p, debug: _d, wide: _w, brief: _b, ...rest } = opts;
  return rest;
}

export class Context {
  exitCode: number = EXIT.OK;
  private registryPromise: Promise<Registry> | undefined;

  constructor(readonly io: Io) {}

  /** Bundled presets, plus user presets from --presets DIR and GPUCOST_PRESETS (loaded lazily). */
  registry(opts: CommonOptions): Promise<Registry> {
    this.registryPromise ??= this.loadRegistry(opts);
    return this.registryPromise;
  }

  private async loadRegistry(opts: CommonOptions): Promise<Registry> {
    const dirs = [...(this.io.env.GPUCOST_PRESETS?.split(':').filter(Boolean) ?? []), ...(opts.presets ?? [])];
    // Tagged as errors are ("gpucost: error[E_PRESET_INVALID] file:…"), so scripts can pick a code.
    const onWarning = (w: PresetProblem): void => this.io.stderr(`gpucost: warning${w.code ? `[${w.code}]` : ':'} ${problemText(w)}\n`);
    return loadPresets({ dirs, onWarning });
  }

  colorEnabled(opts: CommonOptions): boolean {
    return opts.color ?? colorFromEnvironment(this.io.env, this.io.isTTY);
  }

  /** Renders a report in the chosen format to stdout, or atomically to --output FILE. */
  async emit(report: Report, opts: CommonOptions): Promise<void> {
    const format = opts.format ?? 'table';
    const toFile = opts.output !== undefined && opts.output !== '-';
    finiteOrThrow(report.json);
    const text = await render(report, format, {
      color: !toFile && format === 'table' && this.colorEnabled(opts),
      ...tableWidth(this.io, opts.wide === true || toFile),
    });
    if (toFile && opts.output) {
      writeFileAtomic(resolve(this.io.cwd, opts.output), text);
      this.io.stderr(`wrote ${opts.output}\n`);
    } else {
      writeUnlessClosed(this.io, text);
    }
  }

  /** With `--plot FILE`, the report's charts as SVG or HTML in FILE (atomically), besides the output. */
  async emitPlotFile(report: Report, plot: boolean | string | undefined): Promise<void> {
    if (typeof plot !== 'string') return;
    const text = await render(report, plotFileFormat(plot), { color: false, width: 100 });
    writeFileAtomic(resolve(this.io.cwd, plot), text);
    this.io.stderr(`wrote ${plot}\n`);
  }

  /** Today as YYYY-MM-DD, from the Io (the real CLI: the current date; tests: a fixed one). */
  today(): string | undefined {
    return this.io.today;
  }

  /**
   * Writes text produced in chunks (a streamed CSV) to stdout, or atomically to --output FILE: if
   * `produce` fails midway, the file is neither written nor left half-written.
   */
  async emitChunks(opts: CommonOptions, produce: (write: (chunk: string) => void) => void | Promise<void>): Promise<void> {
    if (opts.output === undefined || opts.output === '-') {
      try {
        await produce((chunk) => this.io.stdout(chunk));
      } catch (e) {
        // The reader has gone: stop producing (a long comparison stops computing) and end quietly.
        if (!(e instanceof OutputClosed)) throw e;
      }
      return;
    }
    const out = new AtomicFile(resolve(this.io.cwd, opts.output));
    try {
      await produce((chunk) => out.write(chunk));
      out.commit();
    } catch (e) {
      out.abort();
      throw e;
    }
    this.io.stderr(`wrote ${opts.output}\n`);
  }

  /** A warning on stderr, tagged with its code as errors are: "gpucost: warning[PRICE_STALE]: …". */
  warn(w: Warning): void {
    this.io.stderr(`gpucost: warning[${w.code}]: ${w.message}\n`);
  }
}

/**
 * Whether to colour, from the environment: FORCE_COLOR (0 or false off; 1–3, true or empty on)
 * over NO_COLOR (any non-empty value, https://no-color.org/) over TERM=dumb, then whether stdout is
 * a terminal. The --color / --no-color flags come before all of them.
 */
export function colorFromEnvironment(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

/**
 * How wide tables may be. COLUMNS, when set to a number, is the width (terminal or not); else a
 * terminal's own width (80 when it does not say). Output to a pipe or file keeps every column, as
 * --wide does, with prose wrapped at 100 as before.
 */
export function tableWidth(io: Io, wide: boolean): { width: number; fit: boolean } {
  const full = { width: io.columns ?? 100, fit: false };
  if (wide) return full;
  const fromEnv = /^\s*\d+\s*$/.test(io.env.COLUMNS ?? '') ? Number(io.env.COLUMNS) : 0;
  if (fromEnv >= MIN_COLUMNS) return { width: fromEnv, fit: true };
  if (io.isTTY) return { width: io.columns ?? 80, fit: true };
  return full;
}

/** Narrower than this, a COLUMNS value is taken for a mistake and ignored. */
const MIN_COLUMNS = 20;

/** Data to stdout; a reader that has gone after the whole result was computed is no error. */
function writeUnlessClosed(io: Io, text: string): void {
  try {
    io.stdout(text);
  } catch (e) {
    if (!(e instanceof OutputClosed)) throw e;
  }
}
