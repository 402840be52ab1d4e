/**
 * Build step: validates every bundled preset (schema + rules + cross-references) and writes them as
 * data files the CLI reads lazily: per kind, `<kind>.jsonl` (lookup keys, then one preset a line
 * without its prose) and `<kind>.details.json` (sources and notes), plus `origins.json`
 * (see src/presets/lazy-data.ts).
 * Any error fails the build with file:line:col.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PresetError, formatProblem } from '../src/errors.js';
import { KINDS, lookupKeys } from '../src/presets/catalog.js';
import { asciiJson, splitPresets } from '../src/presets/lazy-data.js';
import { loadPresetDir } from '../src/presets/load-dir.js';

export function compilePresets(root: string, outDir: string): void {
  const presetsDir = join(root, 'presets');
  try {
    const { catalog, warnings } = loadPresetDir(presetsDir);
    for (const w of warnings) console.warn(`warning: ${formatProblem(w)}`);
    mkdirSync(outDir, { recursive: true });
    for (const name of readdirSync(outDir)) if (/\.jsonl?$/.test(name)) rmSync(join(outDir, name));
    const write = (name: string, data: unknown): void => writeFileSync(join(outDir, `${name}.json`), `${asciiJson(data)}\n`);
    for (const kind of KINDS) {
      const { text, details } = splitPresets(catalog[kind], lookupKeys(catalog[kind]));
      writeFileSync(join(outDir, `${kind}.jsonl`), text);
      write(`${kind}.details`, details);
    }
    write('origins', catalog.origins);
    const counts = KINDS.map((k) => `${catalog[k].length} ${k}`).join(', ');
    console.log(`presets: ${counts} validated → ${outDir}`);
  } catch (e) {
    if (e instanceof PresetError) {
      for (const p of e.problems) console.error(`error: ${formatProblem(p)}`);
      throw new Error(`bundled presets are invalid (${e.problems.length} problem(s))`);
    }
    throw e;
  }
}
