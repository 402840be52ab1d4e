'use strict';
// dist/cli/gpucost.cjs: loads the CLI bundle (dist/cli/__MAIN__) as Node's CommonJS loader would,
// but hands V8 the code cache that the build made for this Node.js version, if there is one, so the
// bundle is neither parsed nor compiled again (Node 20 has no module.enableCompileCache). Without
// a cache, or with one V8 rejects (another V8 build or flags), V8 compiles the source as usual.
// Written by scripts/build.mjs from scripts/cli-loader.cjs; the cache by scripts/make-code-cache.cjs.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const MAIN = '__MAIN__';

/**
 * Two code caches, one per kind of output: `table` (made by running the table commands) and `data`
 * (JSON and CSV). V8 deserialises a whole cache on every run, so each holds only what its kind of
 * run compiles; a run that takes the other kind's cache still works, compiling what is missing.
 */
function cacheKind(argv) {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    let format;
    if (arg === '--format' || arg === '-f') format = argv[i + 1];
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg.startsWith('-f') && !arg.startsWith('--') && arg.length > 2) format = arg.slice(2);
    if (format !== undefined) return format === 'table' ? 'table' : 'data';
  }
  return 'table';
}

/**
 * The bundle's exports, and the compiled script (the cache maker asks it for its code cache).
 * `kind` names the cache to read (null: none, as the cache maker wants).
 */
function load(kind = cacheKind(process.argv)) {
  const file = join(__dirname, MAIN);
  const source = readFileSync(file, 'latin1'); // ASCII only: the build checks it
  let cachedData;
  try {
    cachedData = kind === null ? undefined : readFileSync(`${file}.${process.version}-${process.arch}.${kind}.cache`);
  } catch {
    cachedData = undefined;
  }
  // The file is the bundle already wrapped in `(function (exports, require, …) {` on a line of its
  // own (scripts/build.mjs), so its text goes to V8 as read; lineOffset keeps stack lines right.
  const script = new Script(source, { filename: file, lineOffset: -1, cachedData });
  const module = { exports: {} };
  // The bundle sits next to this file, so this file's own require resolves its relative paths the
  // same way (module.createRequire would cost loading node:module, about 0.5 ms).
  script.runInThisContext().call(module.exports, module.exports, require, module, file, __dirname);
  return { exports: module.exports, script };
}

exports.load = load;
exports.cacheKind = cacheKind;
exports.main = () => load().exports.main();
