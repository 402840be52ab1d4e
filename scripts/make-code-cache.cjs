'use strict';
// Build step (run by scripts/build.mjs in a child process of the same Node.js): loads the CLI
// through its loader, runs the commands people run most so that V8 compiles what they use, and
// writes the code cache the loader reads. Their output goes to /dev/null.
const { writeFileSync } = require('node:fs');

const [loaderFile, cacheFile, kind] = process.argv.slice(2);
const { load } = require(loaderFile);
// No cache read: the new one must hold what these workloads compile and nothing else.
const { exports: cli, script } = load(null);

// The commands scripts run most, per cache kind (see cacheKind in scripts/cli-loader.cjs). Each adds
// the code it runs to the cache, and a larger cache takes longer to read and deserialise on every
// run, so these lists stay short.
const WORKLOADS = {
  table: [['estimate'], ['compare']],
  data: [
    ['estimate', '--format', 'json'],
    ['compare', '--format', 'json'],
    ['compare', '--gpu', 'a100,h100', '--gpus', '8..1024', '--format', 'csv'],
  ],
};

(async () => {
  const workloads = WORKLOADS[kind];
  if (!workloads) throw new Error(`unknown cache kind ${kind}`);
  for (const argv of workloads) {
    process.argv = [process.argv[0], 'gpucost', ...argv];
    await cli.main();
  }
  if (process.exitCode) throw new Error('a workload exited ' + process.exitCode);
  writeFileSync(cacheFile, script.createCachedData());
})().catch((e) => {
  process.stderr.write('code cache: ' + (e instanceof Error ? e.message : e) + '\n');
  process.exitCode = 1;
});
