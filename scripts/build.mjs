#!/usr/bin/env node
// Build: (1) validate the bundled presets and compile them into src/presets/generated/catalog.ts,
// (2) bundle the CLI as one CommonJS file (dist/cli.cjs), (3) bundle the library as ES modules
// (dist/lib/) and write its type declarations (dist/types/).
//
// `--bundles-only` (npm test's pretest) skips the declarations: the tests run the bundles, and the
// TypeScript compiler takes three of the build's four seconds. `npm run lint:package`, which checks
// the declarations, builds everything first.
//
// zod and yaml, which only reading a user's file needs, stay outside both bundles as runtime
// dependencies: the modules that use them are reached through import(), so the default commands
// never load them. Everything else the CLI uses is bundled (and a devDependency). The CLI is
// CommonJS because Node 20 starts a CommonJS file faster than an ES module (docs/benchmarks.md).
// Quiet unless something is wrong.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { importTs } from './import-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const EXTERNAL = ['zod', 'yaml'];
const common = { bundle: true, platform: 'node', target: 'node20', minify: true, logLevel: 'warning', external: EXTERNAL, legalComments: 'linked' };

/**
 * One swap inside the CLI bundle, kept because it alone saves 5-8% of `gpucost estimate` and
 * `compare` (docs/performance.md): cli-table3 measures text with `string-width`, which compiles a
 * very large emoji regular expression and runs it on every cell. src/report/render/string-width.ts
 * gives the same widths for what gpucost prints (tests/report/string-width.test.ts compares them).
 * cli-table3 calls what it requires as the function itself, so it gets the default export.
 */
const lightStringWidth = {
  name: 'light-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (a) =>
      /[\\/]node_modules[\\/]cli-table3[\\/]/.test(a.importer) ? { path: 'string-width', namespace: 'light' } : undefined,
    );
    const width = JSON.stringify(join(root, 'src/report/render/string-width.ts'));
    b.onLoad({ filter: /.*/, namespace: 'light' }, () => ({ contents: `module.exports = require(${width}).default;`, loader: 'js', resolveDir: root }));
  },
};

async function compilePresets() {
  const { compilePresets: compile } = await importTs(join(root, 'scripts/compile-presets.ts'));
  compile(root, join(root, 'src/presets/generated'));
}

function buildCli() {
  // The preset catalog is a JSON file beside the bundle (esbuild's copy loader), which Node.js
  // parses with JSON.parse: 4-5 ms less than compiling the same data as part of the script.
  return build({
    ...common,
    format: 'cjs',
    entryPoints: [join(root, 'src/cli/node-main.ts')],
    outdir: dist,
    entryNames: 'cli',
    outExtension: { '.js': '.cjs' },
    loader: { '.json': 'copy' },
    assetNames: '[name]-[hash]',
    plugins: [lightStringWidth],
  });
}

function buildLibrary() {
  return build({
    ...common,
    format: 'esm',
    splitting: true,
    entryPoints: { index: join(root, 'src/index.ts') },
    outdir: join(dist, 'lib'),
    chunkNames: '[name]-[hash]',
  });
}

/** Empties dist/ but for the entries named in `keep`. */
function cleanDist(keep) {
  let entries = [];
  try {
    entries = readdirSync(dist);
  } catch {
    return;
  }
  for (const name of entries) if (!keep.includes(name)) rmSync(join(dist, name), { recursive: true, force: true });
}

/** The library's .d.ts files, from the TypeScript compiler (tsconfig.types.json). */
function buildTypes() {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.types.json')], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`type declarations:\n${tsc.stdout}${tsc.stderr}`);
}

try {
  const bundlesOnly = process.argv.includes('--bundles-only');
  await compilePresets();
  cleanDist(bundlesOnly ? ['types'] : []);
  await Promise.all([buildCli(), buildLibrary()]);
  if (!bundlesOnly) buildTypes();
} catch (e) {
  console.error(`build failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
