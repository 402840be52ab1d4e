import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtRun, check, prototypeCases, inputCases, outputCases } from './fuzz-lib.mjs';
const root = join(import.meta.dirname, '..');
const run = await builtRun(root);
const which = process.argv[2] ?? 'proto';
const dir = mkdtempSync(join(tmpdir(), 'pf-'));
const cases = which === 'proto' ? prototypeCases(root).filter((c) => c.argv.includes('constructor')) : which === 'out' ? outputCases(dir) : inputCases(dir);
console.log(cases.length, 'cases');
const fails = {};
for (const [i, c] of cases.entries()) {
  if (process.env.NOFIFO && /FIFO/.test(c.name)) continue;
  const d = join(dir, String(i));
  mkdirSync(d, { recursive: true });
  const t = Date.now();
  const cc = which === 'proto' ? c : which === 'out' ? outputCases(d)[i] : inputCases(d)[i];
  console.error('start', c.name);
  const r = await check(run, cc, d);
  if (r.problems.length || process.env.ALL)
    console.log(c.name, '|', r.code, r.problems.join('; ').slice(0, 200), r.err.slice(0, 150).replace(/\n/g, ' '), Date.now() - t, 'ms');
}
