#!/usr/bin/env node
// Regenerates schema/*.schema.json from the zod schemas. A test fails when the files drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'node_modules', '.cache', 'gpucost', 'json-schema.mjs');
await build({
  entryPoints: [join(root, 'src/presets/json-schema.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
const { presetJsonSchemas } = await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
mkdirSync(join(root, 'schema'), { recursive: true });
for (const [file, text] of Object.entries(presetJsonSchemas())) {
  writeFileSync(join(root, 'schema', file), text);
  console.log(`schema/${file}`);
}
