#!/usr/bin/env node
// Runs a TypeScript script of this repository (bundled with esbuild first): node scripts/run-ts.mjs FILE.ts [args…]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from './import-ts.mjs';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/run-ts.mjs FILE.ts [args…]');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'src', 'presets', 'generated', 'catalog.json'))) {
  console.error('the bundled preset data is missing (src/presets/generated/): run `npm run build` first');
  process.exit(2);
}
process.argv = [process.argv[0], file, ...args];
await importTs(file);
