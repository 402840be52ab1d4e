/**
 * The bundled presets, validated and compiled to JSON at build time (scripts/compile-presets.ts),
 * so the default CLI path parses no YAML and loads no zod.
 */
import data from './generated/builtin.json' with { type: 'json' };
import { emptyCatalog, type PresetCatalog, Registry } from './catalog.js';

export const BUILTIN_CATALOG: PresetCatalog = { ...emptyCatalog(), ...(data as unknown as Partial<PresetCatalog>) };

let registry: Registry | undefined;
export function builtinRegistry(): Registry {
  registry ??= new Registry(BUILTIN_CATALOG);
  return registry;
}
