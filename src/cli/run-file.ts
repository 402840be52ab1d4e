/** Run files: `--config FILE`, or `gpucost.yaml` in the current directory. Flags override them. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GpucostError } from '../errors.js';
import { conflictingKeys, fileConflict } from './conflicts.js';
import type { Io } from './io.js';

export const DEFAULT_RUN_FILE = 'gpucost.yaml';

/** The run file to use, if any (no file and no --config: none, and yaml/zod are never loaded). */
export function findRunFile(config: string | undefined, io: Io): string | undefined {
  if (config !== undefined) return resolve(io.cwd, config);
  const local = join(io.cwd, DEFAULT_RUN_FILE);
  return existsSync(local) ? local : undefined;
}

/**
 * Options from a run file merged under the command-line ones, plus which keys came from the file.
 * `lists`: whether the command takes lists of GPUs and counts (compare) or single values (estimate).
 */
export async function mergeRunFile<T extends object>(
  opts: T & { config?: string },
  io: Io,
  lists: boolean,
): Promise<{ opts: T; origins: Record<string, string> }> {
  const file = findRunFile(opts.config, io);
  if (file === undefined) return { opts, origins: {} };
  const { parseYaml, readTextFile } = await import('../presets/load.js');
  const { RunFileSchema } = await import('../presets/schema.js');
  const shown = opts.config ?? DEFAULT_RUN_FILE;
  const { value } = parseYaml(readTextFile(file), shown, RunFileSchema);
  const { gates, ...inputs } = value;
  const fromFile: Record<string, unknown> = { ...inputs, ...gates };
  if (!lists) {
    for (const key of ['gpu', 'gpus'] as const) {
      const v = fromFile[key];
      if (Array.isArray(v)) {
        if (v.length > 1) throw new GpucostError('E_INPUT', `${shown}: ${key} lists ${v.length} values`, 'estimate takes one; use gpucost compare for lists');
        fromFile[key] = v[0];
      }
    }
  } else {
    for (const key of ['gpu', 'gpus'] as const) {
      const v = fromFile[key];
      if (v !== undefined && !Array.isArray(v)) fromFile[key] = [v];
    }
  }
  const clash = fileConflict(fromFile);
  if (clash) throw new GpucostError('E_INPUT', `${shown}: ${clash.keys[0]} and ${clash.keys[1]} cannot be used together`, clash.hint);
  const merged: Record<string, unknown> = { ...(opts as Record<string, unknown>) };
  const fromFlags = (k: string) => merged[k] !== undefined && merged[k] !== false;
  const origins: Record<string, string> = {};
  for (const [key, v] of Object.entries(fromFile)) {
    // A flag overrides the file's key, and also the file's keys that it conflicts with (--tflops over mfu).
    if (v === undefined || merged[key] !== undefined || conflictingKeys(key).some(fromFlags)) continue;
    merged[key] = v;
    origins[key] = `run file ${shown}`;
  }
  return { opts: merged as T, origins };
}
