/**
 * The throughput validation report: every row of presets/throughput/ with the constant-MFU and the
 * step-time model predictions beside the measurement, and the error summary per split and precision.
 * Writes docs/throughput-validation.md. Usage: npm run validate:throughput
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinRegistry } from '../src/presets/builtin.js';
import { builtinThroughputSets } from '../src/presets/builtin-throughput.js';
import { median } from '../src/resolve/backtest.js';
import { type ThroughputCase, constantMfuRate, fittedConstantMfu, percentile, throughputCases } from '../src/resolve/throughput.js';

const sets = builtinThroughputSets();
const cases = throughputCases(sets, builtinRegistry());
const constant = fittedConstantMfu(cases);
const err = (predicted: number, measured: number): number => predicted / measured - 1;
const pct = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;
const modelled = (c: ThroughputCase): number | null => c.model.tokensPerSecondPerGpu;

function summaryRows(): string[] {
  const lines = [
    '| split | precision | rows | constant MFU: median / p90 \\|error\\| | modelled rows | step-time model: median / p90 \\|error\\| | constant MFU on the same rows |',
    '|---|---|---:|---|---:|---|---|',
  ];
  for (const split of ['fit', 'holdout'] as const) {
    for (const precision of [...new Set(cases.map((c) => c.row.precision))].sort()) {
      const group = cases.filter((c) => c.split === split && c.row.precision === precision);
      if (group.length === 0) continue;
      const constErr = group.map((c) => Math.abs(err(constantMfuRate(c, constant), c.measured.tokensPerSecondPerGpu)));
      const withModel = group.filter((c) => modelled(c) !== null);
      const modelErr = withModel.map((c) => Math.abs(err(modelled(c) as number, c.measured.tokensPerSecondPerGpu)));
      const constSame = withModel.map((c) => Math.abs(err(constantMfuRate(c, constant), c.measured.tokensPerSecondPerGpu)));
      const both = (xs: number[]): string => (xs.length ? `${(median(xs) * 100).toFixed(1)}% / ${(percentile(xs, 0.9) * 100).toFixed(1)}%` : '–');
      lines.push(`| ${split} | ${precision} | ${group.length} | ${both(constErr)} | ${withModel.length} | ${both(modelErr)} | ${both(constSame)} |`);
    }
  }
  return lines;
}

function rowLines(): string[] {
  const lines = [
    '| row | split | GPUs | precision | measured tok/s/GPU (from) | MFU | constant MFU | step-time model |',
    '|---|---|---|---|---|---:|---:|---|',
  ];
  for (const c of cases) {
    const m = c.measured.tokensPerSecondPerGpu;
    const model = modelled(c);
    const modelText = model === null ? `not modelled: ${'why' in c.model ? c.model.why : ''}` : pct(err(model, m));
    lines.push(
      `| ${c.row.id} | ${c.split} | ${c.row.gpus} × ${c.row.gpu} | ${c.row.precision} | ${Math.round(m)} (${c.measured.from}) | ${(c.mfu * 100).toFixed(1)}% | ${pct(err(constantMfuRate(c, constant), m))} | ${modelText} |`,
    );
  }
  return lines;
}

const text = [
  '# Throughput validation',
  '',
  'Written by `npm run validate:throughput` (scripts/validate-throughput.ts) from the rows in',
  '`presets/throughput/`, one file per source with its citation, each source declared `fit` or `holdout`',
  'before anything was fitted to it. Every rate is tokens per second per GPU; MFU is counted as PaLM',
  "(Appendix B) counts it, 6N plus attention, against the GPU preset's dense peak at the row's precision.",
  '',
  `Two predictors: **one constant MFU**, the median of the fit rows (${(constant * 100).toFixed(1)}%), and the **step-time model**`,
  "(`--perf model`, src/core/perf.ts) run on the row's published layout. The model runs only where it can",
  'express the layout (a micro-batch and a global batch given, no context parallelism, even pipeline stages);',
  'the last column of the summary gives the constant on those same rows, for a fair comparison.',
  '',
  '## Sources',
  '',
  '| set | split | rows | source |',
  '|---|---|---:|---|',
  ...sets.map((s) => `| ${s.id} | ${s.split} | ${s.rows.length} | [${s.sources[0]?.title ?? ''}](${s.sources[0]?.url ?? ''}) |`),
  '',
  '## Summary',
  '',
  ...summaryRows(),
  '',
  '## Rows',
  '',
  'Errors are predicted ÷ measured − 1.',
  '',
  ...rowLines(),
  '',
].join('\n');
writeFileSync(join(process.cwd(), 'docs', 'throughput-validation.md'), text);
console.log(summaryRows().join('\n'));
