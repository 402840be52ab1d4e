/**
 * The bundled presets, validated at build time and compiled to one JSON file
 * (scripts/compile-presets.ts), so the default CLI path parses no YAML and loads no zod.
 */
import { type PresetCatalog, Registry } from './catalog.js';
import catalog from './generated/catalog.json' with { type: 'json' };

let registry: Registry | undefined;

/** The bundled presets. */
export function builtinRegistry(): Registry {
  registry ??= new Registry(catalog as unknown as PresetCatalog);
  return registry;
}
