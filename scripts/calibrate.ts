/**
 * Calibrates the default utilisation per GPU generation on the fit split of presets/runs and prints the
 * backtest summary. `--write` rewrites the table in src/core/calibration.ts. `--decide ID,ID,…`
 * runs the batch rule's test of docs/published-runs.md on those held-out runs.
 * Usage: npm run calibrate [-- --write] [-- --decide gpt-j-6b,phi-3-medium-14b,…]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinRegistry } from '../src/presets/builtin.js';
import { backtestRows, batchTest, calibrate, summarize } from '../src/resolve/backtest.js';

const rows = backtestRows(builtinRegistry());
const c = calibrate(rows);
console.log('calibration:', JSON.stringify(c));
for (const split of ['fit', 'holdout'] as const) {
  for (const kind of ['training', 'benchmark'] as const) {
    const s = summarize(rows, split, kind);
    console.log(
      `${split.padEnd(8)} ${kind.padEnd(10)} n=${s.runs} median |error| ${(s.medianAbsError * 100).toFixed(1)}% worst ${(s.worstError * 100).toFixed(1)}% (${s.worstRun}) within 25%: ${s.within25}`,
    );
  }
}
const decide = process.argv.indexOf('--decide');
if (decide !== -1) {
  const ids = (process.argv[decide + 1] ?? '').split(',').filter(Boolean);
  const t = batchTest(rows, ids);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `batch test on ${ids.length} held-out runs (${t.distinguishing} predicted differently by the two): pooled ${pct(t.pooled)}, per-generation ${pct(t.perGeneration)}; ${t.switchTo ? `switch to ${t.switchTo}` : 'no switch'}`,
  );
}
if (process.argv.includes('--write')) {
  const file = join(process.cwd(), 'src', 'core', 'calibration.ts');
  const entries = Object.entries(c.byArchitecture)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `  ${k}: ${v}, // ${c.counts[k as keyof typeof c.counts]} run(s)`)
    .join('\n');
  const text = readFileSync(file, 'utf8')
    .replace(/export const CALIBRATED_MFU_FALLBACK = [\d.]+;/, `export const CALIBRATED_MFU_FALLBACK = ${c.fallback};`)
    .replace(
      /export const CALIBRATED_MFU: Partial<Record<GpuArchitecture, number>> = \{[^}]*\};/,
      entries
        ? `export const CALIBRATED_MFU: Partial<Record<GpuArchitecture, number>> = {\n${entries}\n};`
        : 'export const CALIBRATED_MFU: Partial<Record<GpuArchitecture, number>> = {};',
    );
  writeFileSync(file, text);
  console.log('wrote src/core/calibration.ts');
}
