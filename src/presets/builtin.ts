/**
 * The bundled presets, validated and compiled to JSON at build time (scripts/compile-presets.ts),
 * so the default CLI path parses no YAML and loads no zod. Each kind's data file is read on first
 * use, each preset parsed when first read, and its sources and notes only when something reads
 * them (see lazy-data.ts).
 */
import { readPresetData } from './builtin-data.js';
import { KINDS, type PresetCatalog, Registry } from './catalog.js';
import { lazyPresets } from './lazy-data.js';
import { lazyField } from '../lazy-field.js';

function lazyCatalog(): PresetCatalog {
  const catalog = {} as PresetCatalog;
  const lazy = (key: keyof PresetCatalog, load: () => unknown): void => lazyField(catalog, key, load as () => PresetCatalog[typeof key]);
  for (const kind of KINDS) {
    lazy(kind, () => lazyPresets(readPresetData(`${kind}.jsonl`), () => JSON.parse(readPresetData(`${kind}.details.json`)) as unknown[]));
  }
  lazy('origins', () => JSON.parse(readPresetData('origins.json')));
  return catalog;
}

export const BUILTIN_CATALOG: PresetCatalog = lazyCatalog();

let registry: Registry | undefined;
export function builtinRegistry(): Registry {
  registry ??= new Registry(BUILTIN_CATALOG);
  return registry;
}
