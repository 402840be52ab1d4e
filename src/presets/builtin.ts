/**
 * The bundled presets, validated at build time and compiled to one JSON string
 * (scripts/compile-presets.ts), so the default CLI path parses no YAML and loads no zod.
 */
import { type PresetCatalog, Registry } from './catalog.js';
import { CATALOG_JSON } from './generated/catalog.js';

let registry: Registry | undefined;

/** The bundled presets, parsed on first use. */
export function builtinRegistry(): Registry {
  registry ??= new Registry(JSON.parse(CATALOG_JSON) as PresetCatalog);
  return registry;
}
