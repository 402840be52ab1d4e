/**
 * Build step: validates every bundled preset (schema, rules, cross-references) and writes the
 * catalog to src/presets/generated/catalog.json, which src/presets/builtin.ts imports, and the
 * throughput validation set to throughput.json beside it (src/presets/builtin-throughput.ts), with the
 * best MFU it measured per GPU and precision in best-mfu.json (src/resolve/builtin-best-mfu.ts). Any error
 * fails the build with file:line:col; warnings are printed, and nothing else.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PresetError, formatProblem } from '../src/errors.js';
import { Registry } from '../src/presets/catalog.js';
import { loadPresetDir } from '../src/presets/load-dir.js';
import { bestMeasuredMfu } from '../src/resolve/best-mfu.js';

export function compilePresets(root: string, outDir: string): void {
  try {
    const { catalog, warnings } = loadPresetDir(join(root, 'presets'));
    for (const w of warnings) console.warn(`warning: ${formatProblem(w)}`);
    mkdirSync(outDir, { recursive: true });
    // The throughput validation set is for scripts and tests, not for the CLI: it goes to a file of
    // its own so that the catalog every command parses stays small.
    const origins = Object.fromEntries(Object.entries(catalog.origins).filter(([key]) => !key.startsWith('throughput:') && !key.startsWith('finetune:')));
    writeFileSync(join(outDir, 'catalog.json'), `${JSON.stringify({ ...catalog, throughput: [], finetune: [], origins })}\n`);
    writeFileSync(join(outDir, 'throughput.json'), `${JSON.stringify(catalog.throughput)}\n`);
    writeFileSync(join(outDir, 'finetune.json'), `${JSON.stringify(catalog.finetune)}\n`);
    // What estimates are held against: the best measured MFU per GPU and precision, a few hundred bytes.
    writeFileSync(join(outDir, 'best-mfu.json'), `${JSON.stringify(bestMeasuredMfu(catalog.throughput, new Registry(catalog)))}\n`);
  } catch (e) {
    if (e instanceof PresetError) {
      for (const p of e.problems) console.error(`error: ${formatProblem(p)}`);
      throw new Error(`bundled presets are invalid (${e.problems.length} problem(s))`);
    }
    throw e;
  }
}
