/** What every command handler gets: io, presets, output, and a place to put the exit code. */
import type { Io } from './io.js';
import { EXIT } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import { builtinRegistry } from '../presets/builtin.js';
import { type Format, render } from '../report/index.js';
import type { Report } from '../report/model.js';
import { writeFileAtomic } from './write-file.js';

export interface CommonOptions {
  format?: Format;
  output?: string;
  color?: boolean;
  presets?: string[];
  debug?: boolean;
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
    const base = builtinRegistry();
    const dirs = [...(this.io.env.GPUCOST_PRESETS?.split(':').filter(Boolean) ?? []), ...(opts.presets ?? [])];
    if (dirs.length === 0) return base;
    const { loadUserPresets } = await import('./user-presets.js');
    return loadUserPresets(base, dirs, this.io);
  }

  colorEnabled(opts: CommonOptions): boolean {
    if (opts.color !== undefined) return opts.color;
    if (this.io.env.NO_COLOR) return false;
    if (this.io.env.FORCE_COLOR && this.io.env.FORCE_COLOR !== '0') return true;
    return this.io.isTTY;
  }

  /** Renders a report in the chosen format to stdout, or atomically to --output FILE. */
  async emit(report: Report, opts: CommonOptions): Promise<void> {
    const format = opts.format ?? 'table';
    const toFile = opts.output !== undefined && opts.output !== '-';
    const text = await render(report, format, {
      color: !toFile && format === 'table' && this.colorEnabled(opts),
      width: this.io.columns ?? 100,
    });
    if (toFile && opts.output) {
      writeFileAtomic(opts.output, text);
      this.io.stderr(`wrote ${opts.output}\n`);
    } else {
      this.io.stdout(text);
    }
  }

  /** Today as YYYY-MM-DD, from the Io (the real CLI: the current date; tests: a fixed one). */
  today(): string | undefined {
    return this.io.today;
  }

  warn(message: string): void {
    this.io.stderr(`gpucost: warning: ${message}\n`);
  }
}
