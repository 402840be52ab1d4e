/**
 * Fits the efficiency constants of src/core/perf.ts on the "fit" cases of scripts/perf-data.ts by
 * coordinate search on the mean squared log error, and prints every case's error (holdout included).
 * Usage: node scripts/run-ts.mjs scripts/fit-perf.ts [--apply-defaults]
 */
import { DEFAULT_PERF_CONSTANTS, type PerfConstants } from '../src/core/perf.js';
import { type PerfCase, perfCases, predictedSeconds, predictedTflops } from './perf-data.js';

/** What the case reports (seconds per iteration, else TFLOP/s per GPU) and the model's value of it. */
export function predict(c: PerfCase, k: PerfConstants): { predicted: number; reported: number } {
  if (c.seconds !== undefined) return { predicted: predictedSeconds(c, k), reported: c.seconds };
  return { predicted: predictedTflops(c, k), reported: c.tflops! };
}

function loss(cases: PerfCase[], k: PerfConstants): number {
  return (
    cases.reduce((sum, c) => {
      const { predicted, reported } = predict(c, k);
      return sum + Math.log(predicted / reported) ** 2;
    }, 0) / cases.length
  );
}

const cases = perfCases();
const fit = cases.filter((c) => c.split === 'fit');
let k: PerfConstants = { ...DEFAULT_PERF_CONSTANTS };
if (process.argv.includes('--search')) {
  const bounds: Record<keyof PerfConstants, [number, number]> = {
    gemmEfficiencyMax: [0.4, 0.95],
    gemmTrafficFactor: [0.25, 8],
    nonGemmTrafficPerActivationByte: [0, 6],
    intraNodeLinkEfficiency: [0.5, 0.9],
    interNodeLinkEfficiency: [0.5, 0.9],
    overlapPenalty: [0, 1],
  };
  for (let round = 0; round < 30; round++) {
    for (const key of Object.keys(bounds) as (keyof PerfConstants)[]) {
      const [lo, hi] = bounds[key];
      let best = k[key];
      let bestLoss = loss(fit, k);
      for (let i = 0; i <= 200; i++) {
        const v = lo + ((hi - lo) * i) / 200;
        const l = loss(fit, { ...k, [key]: v });
        if (l < bestLoss - 1e-12) {
          bestLoss = l;
          best = v;
        }
      }
      k = { ...k, [key]: Number(best.toPrecision(3)) };
    }
  }
  console.log('fitted constants:', JSON.stringify(k));
}
const rows = cases.map((c) => {
  const { predicted, reported } = predict(c, k);
  return {
    id: c.id,
    split: c.split,
    unit: c.seconds !== undefined ? 's/iter' : 'TFLOP/s',
    reported,
    predicted: Number(predicted.toPrecision(4)),
    error: `${((predicted / reported - 1) * 100).toFixed(1)}%`,
  };
});
console.table(rows);
if (process.argv.includes('--markdown')) {
  console.log('| run | split | reported | predicted | error |\n|---|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.id} | ${r.split} | ${r.reported} ${r.unit} | ${r.predicted} ${r.unit} | ${r.error} |`);
}
console.log(
  `rms log error: fit ${Math.sqrt(loss(fit, k)).toFixed(3)}, holdout ${Math.sqrt(
    loss(
      cases.filter((c) => c.split === 'holdout'),
      k,
    ),
  ).toFixed(3)}`,
);

if (process.argv.includes('--mtnlg')) {
  // Smith et al. 2022 §2.4: 1920-sequence batches on 2240, 2800 and 3360 GPUs.
  const base = cases.find((c) => c.id === 'mt-nlg-530b-2240gpu')!;
  for (const [gpus, s] of [
    [2240, 60.1],
    [2800, 50.2],
    [3360, 44.4],
  ] as const) {
    const c = { ...base, plan: { ...base.plan, dp: gpus / 280 }, seconds: s };
    const r = predict(c, k);
    console.log(gpus, r.reported, r.predicted.toFixed(2), ((r.predicted / r.reported - 1) * 100).toFixed(1) + '%');
  }
}
