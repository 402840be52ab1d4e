/**
 * Build step: validates every bundled preset (schema + rules + cross-references) and writes them as
 * one JSON file that the CLI bundle embeds. Any error fails the build with file:line:col.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PresetError, formatProblem } from '../src/errors.js';
import { KINDS } from '../src/presets/catalog.js';
import { loadPresetDir } from '../src/presets/load-dir.js';

export function compilePresets(root: string, outFile: string): void {
  const presetsDir = join(root, 'presets');
  try {
    const { catalog, warnings } = loadPresetDir(presetsDir);
    for (const w of warnings) console.warn(`warning: ${formatProblem(w)}`);
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(catalog)}\n`);
    const counts = KINDS.map((k) => `${catalog[k].length} ${k}`).join(', ');
    console.log(`presets: ${counts} validated → ${outFile}`);
  } catch (e) {
    if (e instanceof PresetError) {
      for (const p of e.problems) console.error(`error: ${formatProblem(p)}`);
      throw new Error(`bundled presets are invalid (${e.problems.length} problem(s))`);
    }
    throw e;
  }
}
