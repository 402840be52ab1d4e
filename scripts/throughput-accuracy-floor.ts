/**
 * How close could ANY correction of the step-time model, made from what a user tells gpucost, bring
 * it to the held-out throughput rows? Issue 15 asks for a median |error| ≤ 10% and a 90th percentile
 * ≤ 20% on tokens/s/GPU, BF16 and FP8 apart. Each correction below multiplies the model's rate by a
 * log-linear function of the row's inputs (GPU generation, active parameters, tokens a GPU computes
 * per micro-batch, GPU count, the parallelism kinds, the attention kernel), fitted by least absolute
 * deviations on the very rows it is scored on (in-sample: an optimistic floor), and also scored
 * leave-one-out (what a row the fit has not seen would get). If even the in-sample correction misses
 * the targets, no recalibration of these inputs meets them.
 *
 * The last line adds what no input describes: the framework family a source trained with (Megatron-
 * style, PyTorch-native FSDP, JAX, nanotron, single-node GPT-2 trainers). It shows how much of the
 * spread lies there. It is not a correction gpucost could make: its factors would be fitted on the
 * held-out rows themselves.
 *
 * Usage: npm run build && node scripts/run-ts.mjs scripts/throughput-accuracy-floor.ts [--markdown]
 */
import { paramCounts } from '../src/core/params.js';
import { builtinRegistry } from '../src/presets/builtin.js';
import { builtinThroughputSets } from '../src/presets/builtin-throughput.js';
import { type ThroughputCase, throughputCases } from '../src/resolve/throughput.js';
// @ts-expect-error plain JavaScript module without types
import { dot, fitL1, residuals } from './lad-fit.mjs';

type Feature = [label: string, values: (c: ThroughputCase) => boolean[] | number[]];

const registry = builtinRegistry();
const cases = throughputCases(builtinThroughputSets(), registry).filter((c) => c.model.tokensPerSecondPerGpu !== null && c.layout !== null);

/** The GPU's generation, from its preset (AMD's Instinct parts apart, as their software stack differs). */
function generation(c: ThroughputCase): string {
  const gpu = registry.get('gpus', c.row.gpu);
  return gpu.vendor === 'amd' ? 'amd' : gpu.architecture;
}

/** Framework families by source: what each set's `framework` line names (presets/throughput/). */
const FAMILY: Record<string, string> = {
  'jax-toolbox-pax-maxtext': 'jax',
  'ultrascale-playbook': 'nanotron',
  'llm-foundry-mpt': 'pytorch-native',
  'torchtitan-llama3': 'pytorch-native',
  'torchtitan-deepep-qwen3-moe': 'pytorch-native',
  'torchao-float8-llama3': 'pytorch-native',
  'ibm-float8-fsdp2': 'pytorch-native',
  'fms-fsdp-llama2': 'pytorch-native',
  'bloomberggpt-50b-2023': 'pytorch-native',
  'coat-fp8-llama2-h100': 'pytorch-native',
  'gollem-gpt2-h100': 'single-node',
  'gollem-gpt2-1.5b-h100x8': 'single-node',
  'gpt2-single-gpu': 'single-node',
  'nanogpt-gpt2-xl-h200': 'single-node',
  'flashattention2-gpt': 'single-node',
};
const family = (c: ThroughputCase): string => FAMILY[c.set.id] ?? 'megatron-style';

const plan = (c: ThroughputCase) => (c.layout as NonNullable<ThroughputCase['layout']>).plan;
const FEATURES: Feature[] = [
  ['one factor', () => []],
  ['+ GPU generation', (c) => ['ampere', 'blackwell', 'amd', 'volta', 'ada'].map((g) => generation(c) === g)],
  ['+ log active parameters', (c) => [Math.log(paramCounts(c.arch).active)]],
  ['+ log tokens a GPU computes per micro-batch', (c) => [Math.log((plan(c).microBatch * c.arch.seqLen) / plan(c).tp / (plan(c).cp ?? 1))]],
  ['+ log GPU count', (c) => [Math.log(c.row.gpus)]],
  ['+ TP, PP, sharded weights, EP', (c) => [plan(c).tp > 1, plan(c).pp > 1, plan(c).zero === 3, (plan(c).ep ?? 1) > 1]],
  ['+ eager attention', (c) => [c.arch.attention === 'eager']],
  ['+ framework family (not an input)', (c) => ['jax', 'nanotron', 'pytorch-native', 'single-node'].map((f) => family(c) === f)],
];

interface Scores {
  median: number;
  p90: number;
  worst: number;
}

/** |predicted ÷ measured − 1| of corrected rates, from log(measured ÷ corrected) residuals. */
function scores(logResiduals: number[]): Scores {
  const errors = logResiduals.map((r) => Math.abs(Math.exp(-r) - 1)).sort((a, b) => a - b);
  const at = (q: number) => errors[Math.min(errors.length - 1, Math.ceil(q * errors.length) - 1)] as number;
  return { median: at(0.5), p90: at(0.9), worst: errors[errors.length - 1] as number };
}

function floorRows(group: ThroughputCase[]) {
  const y = group.map((c) => Math.log(c.measured.tokensPerSecondPerGpu / (c.model.tokensPerSecondPerGpu as number)));
  const uncorrected = scores(y);
  return FEATURES.map(([label], k) => {
    const X = group.map((c) => [1, ...FEATURES.slice(1, k + 1).flatMap(([, f]) => f(c).map(Number))]);
    const inSample = residuals(X, y, fitL1(X, y)) as number[];
    const leaveOneOut = group.map((_, i) => {
      const keep = group.map((__, j) => j).filter((j) => j !== i);
      const w = fitL1(
        keep.map((j) => X[j]),
        keep.map((j) => y[j]),
      );
      return (y[i] as number) - dot(X[i], w);
    });
    return { label, parameters: X[0]?.length ?? 0, inSample: scores(inSample), leaveOneOut: scores(leaveOneOut), uncorrected };
  });
}

/**
 * The in-sample fit aimed at the 90th percentile itself rather than the median: a coordinate search
 * from the least-absolute-deviations fit over all the inputs (not the framework), halving its steps.
 * The objective has corners, so this finds a good fit, not surely the best; it is printed to show
 * that the 90th percentile is not merely an artefact of fitting the median.
 */
function p90Search(group: ThroughputCase[], k: number): Scores {
  const y = group.map((c) => Math.log(c.measured.tokensPerSecondPerGpu / (c.model.tokensPerSecondPerGpu as number)));
  const X = group.map((c) => [1, ...FEATURES.slice(1, k + 1).flatMap(([, f]) => f(c).map(Number))]);
  let w = fitL1(X, y) as number[];
  const p90 = (v: number[]) => scores(residuals(X, y, v) as number[]).p90;
  let best = p90(w);
  for (let step = 0.2; step > 1e-3; step /= 2) {
    for (let improved = true, sweeps = 0; improved && sweeps < 50; sweeps++) {
      improved = false;
      for (let i = 0; i < w.length; i++) {
        for (const d of [step, -step]) {
          const t = w.map((v, j) => (j === i ? v + d : v));
          const f = p90(t);
          if (f < best) [w, best, improved] = [t, f, true];
        }
      }
    }
  }
  return scores(residuals(X, y, w) as number[]);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const markdown = process.argv.includes('--markdown');
for (const precision of ['bf16', 'fp8'] as const) {
  const group = cases.filter((c) => c.split === 'holdout' && c.row.precision === precision);
  const rows = floorRows(group);
  const u = rows[0]?.uncorrected as Scores;
  const title = `${precision.toUpperCase()} held-out rows (${group.length}); the step-time model as it is: median ${pct(u.median)}, 90th percentile ${pct(u.p90)}`;
  const header = ['correction of the model from', 'fitted parameters', 'in-sample median', '90th percentile', 'leave-one-out median', '90th percentile'];
  const body = rows.map((r) => [r.label, String(r.parameters), pct(r.inSample.median), pct(r.inSample.p90), pct(r.leaveOneOut.median), pct(r.leaveOneOut.p90)]);
  const allInputs = FEATURES.length - 2;
  const aimed = p90Search(group, allInputs);
  body.push([
    `${FEATURES[allInputs]?.[0]}, fitted to the 90th percentile`,
    rows[allInputs]?.parameters.toString() ?? '',
    pct(aimed.median),
    pct(aimed.p90),
    '',
    '',
  ]);
  if (markdown) {
    console.log(`${title}\n\n| ${header.join(' | ')} |\n|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const b of body) console.log(`| ${b.join(' | ')} |`);
    console.log('');
  } else {
    console.log(title);
    for (const b of [header, ...body])
      console.log(
        `  ${(b[0] as string).padEnd(48)}${b
          .slice(1)
          .map((x) => x.padStart(22))
          .join('')}`,
      );
  }
}
