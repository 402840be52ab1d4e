#!/usr/bin/env node
// Runs a TypeScript script of this repository (bundled with esbuild first): node scripts/run-ts.mjs FILE.ts [args…]
import { existsSync } from 'node:fs';
import { join, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/run-ts.mjs FILE.ts [args…]');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const generated = join(root, 'src', 'presets', 'generated', 'catalog.json');
if (!existsSync(generated)) {
  console.error('the bundled preset data is missing (src/presets/generated/): run `npm run build` first');
  process.exit(2);
}
const outfile = join(process.cwd(), 'node_modules', '.cache', 'gpucost', `${basename(file, '.ts')}.mjs`);
await build({ entryPoints: [file], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
process.argv = [process.argv[0], file, ...args];
await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
