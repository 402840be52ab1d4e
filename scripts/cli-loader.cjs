'use strict';
// dist/cli/gpucost.cjs: loads the CLI bundle (dist/cli/__MAIN__) as Node's CommonJS loader would,
// but hands V8 the code cache that the build made for this Node.js version, if there is one, so the
// bundle is neither parsed nor compiled again (Node 20 has no module.enableCompileCache). Without
// a cache, or with one V8 rejects (another V8 build or flags), V8 compiles the source as usual.
// Written by scripts/build.mjs from scripts/cli-loader.cjs; the cache by scripts/make-code-cache.cjs.
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const MAIN = '__MAIN__';

/** The bundle's exports, and the compiled script (the cache maker asks it for its code cache). */
function load() {
  const file = join(__dirname, MAIN);
  const source = readFileSync(file, 'latin1'); // ASCII only: the build checks it
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.${process.version}-${process.arch}.cache`);
  } catch {
    cachedData = undefined;
  }
  // The file is the bundle already wrapped in `(function (exports, require, …) {` on a line of its
  // own (scripts/build.mjs), so its text goes to V8 as read; lineOffset keeps stack lines right.
  const script = new Script(source, { filename: file, lineOffset: -1, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, __dirname);
  return { exports: module.exports, script };
}

exports.load = load;
exports.main = () => load().exports.main();
