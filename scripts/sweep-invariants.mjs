#!/usr/bin/env node
// The links between an answer's figures (scripts/invariants-lib.mjs) on many random requests, through
// the built library. Prints each kind of violation with its count and first case; exit 1 if any.
//
//   npm run build && node scripts/sweep-invariants.mjs [--cases 10000] [--seed N]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { checkCase, checkCli, checkPlan, random, randomPlanRequest, randomRequest } from './invariants-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
};
const cases = option('--cases', 10_000);
const seed = option('--seed', 20_261_206);

const api = await import(join(root, 'dist', 'lib', 'index.js'));
const presets = await api.loadPresets();
const run = createRequire(import.meta.url)(join(root, 'dist', 'cli.cjs')).run;
const started = Date.now();
let ran = 0;
const kinds = new Map();
// One case in five is a plan (a deadline met by the fewest GPUs, or a budget kept or said exceeded); one
// in ten goes through the CLI as well (CSV against JSON, the table's days, a --max-days gate).
for (let i = 0; i < cases; i++) {
  const r = random(seed * 1_000_003 + i);
  const plan = i % 5 === 4;
  const req = plan ? randomPlanRequest(r) : randomRequest(r, root);
  const result = plan ? checkPlan(api, req, presets) : checkCase(api, req, presets);
  if (!plan && i % 10 === 0 && result.ran) result.problems.push(...(await checkCli(run, req, tmpdir())).problems);
  if (result.ran) ran += 1;
  for (const problem of result.problems) {
    // Numbers vary from case to case; the words say which link broke.
    const kind = problem.replace(/-?[\d.]+(e[-+]?\d+)?/g, '#');
    const seen = kinds.get(kind) ?? { count: 0, first: { req, problem } };
    seen.count += 1;
    kinds.set(kind, seen);
  }
}
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  `invariant sweep: seed ${seed}, ${cases} random requests (one in five a plan for a deadline or a budget, one in ten of the rest also through the CLI), ${ran} ran (the rest were refused with exit 2), ${seconds} s`,
);
for (const [kind, { count, first }] of kinds) console.log(`VIOLATED ${count}×: ${kind}\n  first: ${JSON.stringify(first.req)}\n  ${first.problem}`);
console.log(`violations: ${[...kinds.values()].reduce((n, k) => n + k.count, 0)}`);
process.exitCode = kinds.size > 0 ? 1 : 0;
