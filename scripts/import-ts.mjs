// Imports a TypeScript module of this repository: esbuild bundles it (packages left external) into
// node_modules/.cache/gpucost/, and Node.js imports the result. Used by the build, gen:schema and run-ts.
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The module's exports; `entry` is a path (relative to the working directory or absolute). */
export async function importTs(entry) {
  const outfile = join(root, 'node_modules', '.cache', 'gpucost', `${basename(entry, '.ts')}.mjs`);
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  // The query makes Node.js load the new bundle even when an earlier one was imported in this process.
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
