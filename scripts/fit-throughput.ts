/**
 * Refits the step-time model's efficiency constants (src/core/perf.ts) on the fit rows of the
 * throughput validation set, by coordinate search on the mean squared log error of tokens/s per GPU,
 * and prints fit and holdout errors beside one constant MFU. Prints; changes nothing.
 * Usage: npm run build && node scripts/run-ts.mjs scripts/fit-throughput.ts
 */
import { DEFAULT_PERF_CONSTANTS, type PerfConstants } from '../src/core/perf.js';
import { builtinRegistry } from '../src/presets/builtin.js';
import { builtinThroughputSets } from '../src/presets/builtin-throughput.js';
import { median } from '../src/resolve/backtest.js';
import { type ThroughputCase, constantMfuRate, fittedConstantMfu, modelRateWith, percentile, throughputCases } from '../src/resolve/throughput.js';

const cases = throughputCases(builtinThroughputSets(), builtinRegistry()).filter((c) => c.layout !== null);
const fit = cases.filter((c) => c.split === 'fit');
const constant = fittedConstantMfu(throughputCases(builtinThroughputSets(), builtinRegistry()));

function loss(group: ThroughputCase[], k: PerfConstants): number {
  return group.reduce((sum, c) => sum + Math.log((modelRateWith(c, k) as number) / c.measured.tokensPerSecondPerGpu) ** 2, 0) / group.length;
}

const BOUNDS: Record<keyof PerfConstants, [number, number]> = {
  gemmEfficiencyMax: [0.4, 0.95],
  gemmHalfWidth: [0, 2000],
  nonGemmTrafficPerActivationByte: [0, 6],
  intraNodeLinkEfficiency: [0.5, 0.9],
  interNodeLinkEfficiency: [0.5, 0.9],
  overlapPenalty: [0, 1],
};

let k: PerfConstants = { ...DEFAULT_PERF_CONSTANTS };
for (let round = 0; round < 6; round++) {
  for (const key of Object.keys(BOUNDS) as (keyof PerfConstants)[]) {
    const [lo, hi] = BOUNDS[key];
    let best = k[key];
    let bestLoss = loss(fit, k);
    for (let i = 0; i <= 60; i++) {
      const v = lo + ((hi - lo) * i) / 60;
      const l = loss(fit, { ...k, [key]: v });
      if (l < bestLoss - 1e-12) {
        bestLoss = l;
        best = v;
      }
    }
    k = { ...k, [key]: Number(best.toPrecision(3)) };
  }
}

const abs = (x: number): number => Math.abs(x - 1);
for (const [label, constants] of [
  ['today', DEFAULT_PERF_CONSTANTS],
  ['refitted', k],
] as const) {
  for (const split of ['fit', 'holdout'] as const) {
    for (const precision of ['bf16', 'fp8']) {
      const g = cases.filter((c) => c.split === split && c.row.precision === precision);
      if (g.length === 0) continue;
      const model = g.map((c) => abs((modelRateWith(c, constants) as number) / c.measured.tokensPerSecondPerGpu));
      const flat = g.map((c) => abs(constantMfuRate(c, constant) / c.measured.tokensPerSecondPerGpu));
      const f = (xs: number[]): string => `${(median(xs) * 100).toFixed(1)}% / ${(percentile(xs, 0.9) * 100).toFixed(1)}%`;
      console.log(`${label.padEnd(9)} ${split.padEnd(8)} ${precision} n=${String(g.length).padStart(3)}  model ${f(model)}   constant MFU ${f(flat)}`);
    }
  }
}
console.log('refitted constants:', JSON.stringify(k));
