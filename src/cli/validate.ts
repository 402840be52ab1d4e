/** `gpucost presets validate`: every problem of every file, one line each; loads yaml and zod. */
import { basename, dirname } from 'node:path';
import { formatProblem, GpucostError, PresetError } from '../errors.js';
import { loadPresetFile, readTextFile } from '../presets/load.js';
import { KINDS } from '../presets/catalog.js';
import type { PresetKind } from '../presets/schema.js';
import { escapeControls } from '../report/safe-text.js';
import type { Io } from './io.js';

export function validateFiles(files: string[], io: Io): boolean {
  let ok = true;
  for (const file of files) {
    try {
      const kind = kindOf(file);
      const { warnings } = loadPresetFile(file, kind);
      for (const w of warnings) io.stderr(`${formatProblem(w)}\n`);
      io.stdout(`${escapeControls(file)}: ok (${kind.replace(/s$/, '')})\n`);
    } catch (e) {
      ok = false;
      if (e instanceof PresetError) for (const p of e.problems) io.stderr(`${formatProblem(p)}\n`);
      else if (e instanceof GpucostError) io.stderr(`${file}:1:1 ${e.message}\n`);
      else throw e;
    }
  }
  return ok;
}

/** The folder name decides (gpus/, models/, scenarios/); otherwise a look at the top-level keys. */
export function kindOf(file: string): PresetKind {
  const folder = basename(dirname(file));
  if ((KINDS as readonly string[]).includes(folder)) return folder as PresetKind;
  const text = readTextFile(file);
  if (/^denseTflops\s*:/m.test(text)) return 'gpus';
  // Before architecture: a run may carry its model's architecture inline.
  if (/^reported\s*:/m.test(text)) return 'runs';
  if (/^architecture\s*:/m.test(text)) return 'models';
  if (/^claims\s*:/m.test(text)) return 'scenarios';
  if (/^gpusPerNode\s*:/m.test(text)) return 'clusters';
  if (/^prices\s*:/m.test(text)) return 'prices';
  if (/^gco2PerKwh\s*:/m.test(text)) return 'grids';
  if (/^rows\s*:/m.test(text)) return 'throughput';
  throw new GpucostError(
    'E_PRESET_INVALID',
    'cannot tell the preset kind: put it in a folder named for its kind (gpus/, models/, scenarios/, clusters/, prices/, grids/, runs/, throughput/)',
  );
}
