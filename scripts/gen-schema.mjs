#!/usr/bin/env node
// Regenerates schema/*.schema.json from the zod schemas. A test fails when the files drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from './import-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { presetJsonSchemas } = await importTs(join(root, 'src/presets/json-schema.ts'));
mkdirSync(join(root, 'schema'), { recursive: true });
for (const [file, text] of Object.entries(presetJsonSchemas())) {
  writeFileSync(join(root, 'schema', file), text);
  console.log(`schema/${file}`);
}
