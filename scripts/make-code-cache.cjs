'use strict';
// Build step (run by scripts/build.mjs in a child process of the same Node.js): loads the CLI
// through its loader, runs the commands people run most so that V8 compiles what they use, and
// writes the code cache the loader reads. Output goes to a pipe the build ignores.
const { writeFileSync } = require('node:fs');

const [loaderFile, cacheFile] = process.argv.slice(2);
const { load } = require(loaderFile);
const { exports: cli, script } = load();

const WORKLOADS = [
  ['--version'],
  ['estimate'],
  ['estimate', '--format', 'json'],
  ['estimate', '--model', 'llama2-70b', '--gpu', 'h100', '--gpus', '512', '--price', '2.5', '--format', 'csv'],
  ['compare'],
  ['compare', '--format', 'json'],
  ['compare', '--gpu', 'a100,h100', '--gpus', '8..1024', '--format', 'csv'],
  ['compare', '--gpu', 'a100,h100', '--gpus', '8..1024', '--format', 'markdown'],
];

(async () => {
  const workloads = process.env.GPUCOST_CACHE_WORKLOADS ? JSON.parse(process.env.GPUCOST_CACHE_WORKLOADS) : WORKLOADS;
  for (const argv of workloads) {
    process.argv = [process.argv[0], 'gpucost', ...argv];
    await cli.main();
  }
  if (process.exitCode) throw new Error(`a workload exited ${process.exitCode}`);
  writeFileSync(cacheFile, script.createCachedData());
})().catch((e) => {
  process.stderr.write(`code cache: ${e instanceof Error ? e.message : e}\n`);
  process.exitCode = 1;
});
