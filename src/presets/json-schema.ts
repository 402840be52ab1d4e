/** JSON Schema files for editors, generated from the zod schemas (never edited by hand). */
import { z } from 'zod';
import { PRESET_KINDS, RunFileSchema } from './schema.js';

/** schema/<kind>.schema.json for every preset kind (gpu, model, scenario, cluster, price, grid, run). */
export const SCHEMA_FILES = {
  ...Object.fromEntries(Object.entries(PRESET_KINDS).map(([kind, schema]) => [`${kind.replace(/s$/, '')}.schema.json`, schema])),
  'run-file.schema.json': RunFileSchema,
};

/** File name → JSON text, describing what a YAML author may write (the schemas' input side). */
export function presetJsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, schema] of Object.entries(SCHEMA_FILES)) {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
    out[file] = `${JSON.stringify(json, null, 2)}\n`;
  }
  return out;
}
