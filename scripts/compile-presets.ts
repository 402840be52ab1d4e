/**
 * Build step: validates every bundled preset (schema, rules, cross-references) and writes the
 * catalog to src/presets/generated/catalog.json, which src/presets/builtin.ts imports. Any error
 * fails the build with file:line:col; warnings are printed, and nothing else.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PresetError, formatProblem } from '../src/errors.js';
import { loadPresetDir } from '../src/presets/load-dir.js';

export function compilePresets(root: string, outDir: string): void {
  try {
    const { catalog, warnings } = loadPresetDir(join(root, 'presets'));
    for (const w of warnings) console.warn(`warning: ${formatProblem(w)}`);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'catalog.json'), `${JSON.stringify(catalog)}\n`);
  } catch (e) {
    if (e instanceof PresetError) {
      for (const p of e.problems) console.error(`error: ${formatProblem(p)}`);
      throw new Error(`bundled presets are invalid (${e.problems.length} problem(s))`);
    }
    throw e;
  }
}
