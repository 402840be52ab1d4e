/**
 * Fits the step-time model's constants (src/core/perf.ts, PerfConstants) jointly on the fit split of
 * the published Megatron-LM and Korthikanti runs (scripts/perf-data.ts) and of the throughput
 * validation set, by coordinate search on the mean squared log error of each (the two means weigh
 * alike unless --runs-weight says otherwise). The GEMM ceilings (the GPU presets' measured matmulTflops) and the fused-attention
 * kernels' benchmark rates are measured, cited values and are not fitted; the fraction of those
 * rates reached in training (attentionKernelFraction) is. Prints fit and holdout errors beside
 * one constant MFU. Prints only; src/core/perf.ts holds the values adopted.
 * Usage: [FIT_ONLY=name,…] npm run fit:throughput [-- --search] [-- --runs-weight N] [-- --runs]
 *   FIT_ONLY: search only these constants, holding the others.
 *   --runs: also print every published run's error as a Markdown table (docs/perf-model.md).
 */
import { DEFAULT_PERF_CONSTANTS, type PerfConstants, stepTime } from '../src/core/perf.js';
import { builtinRegistry } from '../src/presets/builtin.js';
import { builtinThroughputSets } from '../src/presets/builtin-throughput.js';
import { median } from '../src/resolve/backtest.js';
import { type ThroughputCase, constantMfuRate, fittedConstantMfu, percentile, throughputCases } from '../src/resolve/throughput.js';
import { type PerfCase, perfCases, predictedSeconds, predictedTflops } from './perf-data.js';

const registry = builtinRegistry();
const all = throughputCases(builtinThroughputSets(), registry);
const rows = all.filter((c) => c.layout !== null);
const runs = perfCases();
const constantMfu = fittedConstantMfu(all);

function rowRate(c: ThroughputCase, k: PerfConstants): number {
  const layout = c.layout as NonNullable<ThroughputCase['layout']>;
  const step = stepTime(c.arch, layout.plan, layout.hardware, k, layout.options).stepSeconds;
  return (layout.plan.globalBatch * c.arch.seqLen) / step / c.row.gpus;
}

/** predicted ÷ reported for a published run (seconds per iteration, else Megatron TFLOP/s). */
function runRatio(c: PerfCase, k: PerfConstants): number {
  return c.seconds !== undefined ? predictedSeconds(c, k) / c.seconds : predictedTflops(c, k) / (c.tflops as number);
}

/** Weight of the published runs' mean against the throughput rows' (--runs-weight N; default 1). */
const runsWeightAt = process.argv.indexOf('--runs-weight');
const RUNS_WEIGHT = runsWeightAt >= 0 ? Number(process.argv[runsWeightAt + 1]) : 1;
const meanSq = (xs: number[]): number => xs.reduce((s, x) => s + Math.log(x) ** 2, 0) / xs.length;
function loss(k: PerfConstants): number {
  const fitRows = rows.filter((c) => c.split === 'fit');
  const fitRuns = runs.filter((c) => c.split === 'fit');
  return meanSq(fitRows.map((c) => rowRate(c, k) / c.measured.tokensPerSecondPerGpu)) + RUNS_WEIGHT * meanSq(fitRuns.map((c) => runRatio(c, k)));
}

const BOUNDS: Partial<Record<keyof PerfConstants, [number, number]>> = {
  gemmTrafficFactor: [0.25, 8],
  nonGemmTrafficPerActivationByte: [0, 6],
  intraNodeLinkEfficiency: [0.5, 0.9],
  interNodeLinkEfficiency: [0.5, 0.9],
  overlapPenalty: [0, 1],
  attentionKernelFraction: [0.3, 1],
};
let k: PerfConstants = { ...DEFAULT_PERF_CONSTANTS };
if (process.argv.includes('--search')) {
  const sweep = (current: number, lo: number, hi: number, at: (v: number) => number): number => {
    let best = Math.min(hi, Math.max(lo, current));
    let bestLoss = at(best);
    for (let i = 0; i <= 80; i++) {
      const v = lo + ((hi - lo) * i) / 80;
      const l = at(v);
      if (l < bestLoss - 1e-12) [best, bestLoss] = [v, l];
    }
    return Number(best.toPrecision(3));
  };
  for (let round = 0; round < 6; round++) {
    for (const [name, [lo, hi]] of Object.entries(BOUNDS) as [keyof PerfConstants, [number, number]][]) {
      if (process.env.FIT_ONLY && !process.env.FIT_ONLY.split(',').includes(name)) continue;
      k = { ...k, [name]: sweep(k[name], lo, hi, (v) => loss({ ...k, [name]: v })) };
    }
  }
  console.log('fitted constants:', JSON.stringify(k));
}

const pct = (xs: number[]): string => `${(median(xs) * 100).toFixed(1)}% / ${(percentile(xs, 0.9) * 100).toFixed(1)}%`;
for (const split of ['fit', 'holdout'] as const) {
  const r = runs.filter((c) => c.split === split).map((c) => Math.abs(runRatio(c, k) - 1));
  console.log(`published runs ${split.padEnd(8)} n=${r.length}  model ${pct(r)} (median / 90th pct |error|)`);
  for (const precision of ['bf16', 'fp8']) {
    const g = rows.filter((c) => c.split === split && c.row.precision === precision);
    if (g.length === 0) continue;
    const model = g.map((c) => Math.abs(rowRate(c, k) / c.measured.tokensPerSecondPerGpu - 1));
    const flat = g.map((c) => Math.abs(constantMfuRate(c, constantMfu) / c.measured.tokensPerSecondPerGpu - 1));
    console.log(`throughput ${split.padEnd(8)} ${precision} n=${String(g.length).padStart(3)}  model ${pct(model)}   constant MFU ${pct(flat)}`);
  }
}

if (process.argv.includes('--runs')) {
  console.log('\n| run | split | reported | predicted | error |\n|---|---|---:|---:|---:|');
  for (const c of runs) {
    const [unit, reported] = c.seconds !== undefined ? ['s/iter', c.seconds] : ['TFLOP/s', c.tflops as number];
    const predicted = reported * runRatio(c, k);
    console.log(`| ${c.id} | ${c.split} | ${reported} ${unit} | ${predicted.toPrecision(4)} ${unit} | ${((predicted / reported - 1) * 100).toFixed(1)}% |`);
  }
}
