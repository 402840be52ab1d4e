#!/usr/bin/env node
// How well could ANY estimate built from what `gpucost estimate` is told (parameters, tokens, GPU,
// GPU count, dense or MoE) match the published GPU-hours of presets/runs? Each model below is a
// log-linear fit of the runs' implied 6ND utilisation on those inputs, fitted on the very runs it is
// scored on (in-sample, so an optimistic floor), and also scored leave-one-out (what a new run would
// see). If even the in-sample fit misses issue 17's targets, no calibration of these inputs meets them:
// the rest of the spread is in what each publication counts, which no input describes.
//
// Usage: npm run build && node scripts/runs-accuracy-floor.mjs [--markdown]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const backtest = JSON.parse(
  execFileSync(process.execPath, [join(root, 'bin/gpucost.js'), 'backtest', '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  }),
);
const isMoe = new Map(
  readdirSync(join(root, 'presets/runs'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parse(readFileSync(join(root, 'presets/runs', f), 'utf8')))
    .map((run) => [run.id, run.architecture?.moe !== undefined]),
);
const training = backtest.runs.filter((r) => r.kind === 'training');
const statedGpus = training.filter((r) => r.gpus).map((r) => r.gpus);
const typicalGpus = median(statedGpus);

const FEATURES = [
  ['one constant', () => []],
  ['+ GPU generation', (r) => [r.architecture === 'hopper', r.architecture === 'volta', r.gpu.startsWith('tpu')]],
  ['+ log parameters', (r) => [Math.log(r.params)]],
  ['+ log tokens per parameter', (r) => [Math.log(r.tokens / r.params)]],
  ['+ log GPU count', (r) => [Math.log(r.gpus ?? typicalGpus)]],
  ['+ mixture of experts', (r) => [isMoe.get(r.id) === true]],
];

const rows = [];
for (const [label, runs] of [
  ['holdout', training.filter((r) => r.split === 'holdout')],
  ['all', training],
]) {
  for (let k = 1; k <= FEATURES.length; k++) {
    const design = (r) => [1, ...FEATURES.slice(1, k).flatMap(([, f]) => f(r).map(Number))];
    const X = runs.map(design);
    const y = runs.map((r) => Math.log(r.impliedUtilization));
    const inSample = residuals(X, y, fitL1(X, y));
    const loo = runs.map((_, i) => {
      const keep = runs.map((__, j) => j).filter((j) => j !== i);
      const w = fitL1(
        keep.map((j) => X[j]),
        keep.map((j) => y[j]),
      );
      return y[i] - dot(X[i], w);
    });
    rows.push({
      runs: `${label} (${runs.length})`,
      inputs: FEATURES[k - 1][0],
      parameters: X[0].length,
      inSample: summarise(inSample),
      leaveOneOut: summarise(loo),
    });
  }
}
print(rows, process.argv.includes('--markdown'));

// Least absolute deviations by iteratively reweighted least squares: the fit that minimises the
// median-like error issue 17 scores, so the floor is not an artefact of squaring the residuals.
function fitL1(X, y) {
  let weights = y.map(() => 1);
  let w = weightedLeastSquares(X, y, weights);
  for (let iteration = 0; iteration < 200; iteration++) {
    weights = residuals(X, y, w).map((r) => 1 / Math.max(Math.abs(r), 1e-6));
    w = weightedLeastSquares(X, y, weights);
  }
  return w;
}

function weightedLeastSquares(X, y, weights) {
  const p = X[0].length;
  const a = Array.from({ length: p }, () => new Array(p + 1).fill(0));
  X.forEach((x, i) => {
    for (let r = 0; r < p; r++) {
      for (let c = 0; c < p; c++) a[r][c] += weights[i] * x[r] * x[c];
      a[r][p] += weights[i] * x[r] * y[i];
    }
  });
  for (let r = 0; r < p; r++) a[r][r] += 1e-9; // a feature absent from a subset stays solvable
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= p; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row[p] / row[i]);
}

function residuals(X, y, w) {
  return y.map((v, i) => v - dot(X[i], w));
}

function dot(x, w) {
  return x.reduce((s, v, i) => s + v * w[i], 0);
}

// Residuals are log(implied ÷ fitted utilisation); predicted GPU-hours ÷ published − 1 = exp(r) − 1.
function summarise(logResiduals) {
  const errors = logResiduals.map((r) => Math.exp(r) - 1);
  const sorted = [...logResiduals].sort((a, b) => a - b);
  const covered = Math.ceil(0.9 * sorted.length);
  let width = Number.POSITIVE_INFINITY;
  for (let i = 0; i + covered - 1 < sorted.length; i++) {
    width = Math.min(width, Math.exp(sorted[i + covered - 1] - sorted[i]));
  }
  return {
    medianAbs: median(errors.map(Math.abs)),
    worst: Math.max(...errors.map(Math.abs)),
    medianSigned: median(errors),
    width90: width,
  };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function print(table, markdown) {
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  const cells = (s) => [pct(s.medianAbs), pct(s.worst), `${s.width90.toFixed(2)}×`];
  const header = [
    'runs',
    'inputs',
    'fitted parameters',
    'in-sample: median |error|',
    'worst',
    '90% width',
    'leave-one-out: median |error|',
    'worst',
    '90% width',
  ];
  const lines = table.map((r) => [r.runs, r.inputs, String(r.parameters), ...cells(r.inSample), ...cells(r.leaveOneOut)]);
  if (markdown) {
    console.log(`| ${header.join(' | ').replaceAll('|error|', '\\|error\\|')} |`);
    console.log(`| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`);
    for (const l of lines) console.log(`| ${l.join(' | ').replaceAll('|error|', '\\|error\\|')} |`);
  } else {
    for (const l of [header, ...lines]) console.log(l.join('\t'));
  }
}
