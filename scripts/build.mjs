#!/usr/bin/env node
// Build: (1) validate and compile the bundled presets to JSON, (2) bundle the CLI with esbuild.
// Heavy modules (zod, yaml, the YAML loader, renderers) are split into chunks that load on demand.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, 'node_modules', '.cache', 'gpucost');

async function runTs(entry, exportName, ...args) {
  const outfile = join(tmp, `${exportName}.mjs`);
  await build({ entryPoints: [join(root, entry)], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  const mod = await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
  return mod[exportName](...args);
}

try {
  await runTs('scripts/compile-presets.ts', 'compilePresets', root, join(root, 'src/presets/generated/builtin.json'));
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  await build({
    entryPoints: { cli: join(root, 'src/cli/node-main.ts'), index: join(root, 'src/index.ts') },
    outdir: join(root, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'linked',
    // commander and cli-table3 are CommonJS and call require('node:…'); give ESM chunks a require.
    banner: { js: "import{createRequire as __gpucostRequire}from'node:module';const require=__gpucostRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  console.log('bundle: dist/cli.js');
} catch (e) {
  console.error(`build failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
