/** Loading whole preset directories (the bundled `presets/` at build time, `--presets DIR` at run time). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GpucostError, PresetError, type PresetProblem } from '../errors.js';
import { emptyCatalog, KINDS, type PresetCatalog } from './catalog.js';
import { checkCatalog } from './check-catalog.js';
import { loadPresetFile } from './load.js';

export interface LoadedCatalog {
  catalog: PresetCatalog;
  warnings: PresetProblem[];
}

/**
 * Loads `DIR/<kind>/*.yaml` for every kind (gpus, models, scenarios, clusters, prices, grids, runs). Collects every problem of every
 * file before throwing, so one run shows all of them. With `base` (the bundled catalog), references in
 * scenarios may also name bundled presets, and origins are full paths.
 */
export function loadPresetDir(dir: string, base?: PresetCatalog): LoadedCatalog {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new GpucostError('E_FILE', `preset directory ${dir} does not exist`, 'it should contain gpus/, models/ or scenarios/');
  }
  const catalog = emptyCatalog();
  const problems: PresetProblem[] = [];
  const warnings: PresetProblem[] = [];
  for (const kind of KINDS) {
    const sub = join(dir, kind);
    if (!existsSync(sub)) continue;
    for (const name of listYaml(sub)) {
      const file = join(sub, name);
      try {
        const { value, warnings: w } = loadPresetFile(file, kind);
        (catalog[kind] as unknown[]).push(value);
        catalog.origins[`${kind}:${value.id}`] = base ? file : relative(dir, file);
        warnings.push(...w);
      } catch (e) {
        if (e instanceof PresetError) problems.push(...e.problems);
        else throw e;
      }
    }
  }
  if (problems.length === 0) {
    const against = base
      ? { ...catalog, gpus: [...base.gpus, ...catalog.gpus], models: [...base.models, ...catalog.models], clusters: [...base.clusters, ...catalog.clusters] }
      : catalog;
    problems.push(...checkCatalog(catalog, against));
  }
  if (problems.length > 0) throw new PresetError(problems);
  return { catalog, warnings };
}

/** The YAML files of a kind folder, sorted; a folder that is a file or cannot be listed is one clear error. */
function listYaml(sub: string): string[] {
  let names: string[];
  try {
    names = readdirSync(sub);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GpucostError('E_FILE', code === 'ENOTDIR' ? `${sub} should be a folder of YAML files, not a file` : `cannot list ${sub}: ${code ?? String(e)}`);
  }
  return names.filter((n) => /\.ya?ml$/.test(n)).sort();
}
