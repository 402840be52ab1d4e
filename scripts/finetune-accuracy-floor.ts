/**
 * How close could ANY correction of the fine-tuning model, made from what a user tells gpucost, bring
 * it to the held-out fine-tuning rows? Issue 20 asks for memory within 10% and time within 20% of the
 * held-out measurements. Each correction below multiplies the model's peak memory (or its tokens per
 * second) by a log-linear function of the row's inputs (method, GPU generation, parameters, tokens a
 * micro-batch carries, GPU count, recomputation, sharded weights), fitted by least absolute
 * deviations on the very rows it is scored on (in-sample: an optimistic floor), and also scored
 * leave-one-out (what a row the fit has not seen would get). If even the in-sample correction leaves
 * rows outside the bars, no recalibration of these inputs puts every row inside them.
 *
 * The last line adds what no input describes: which source (and so which framework and measuring
 * convention) a row comes from. It is not a correction gpucost could make: its factors would be
 * fitted on the held-out rows themselves.
 *
 * Usage: npm run build && node scripts/run-ts.mjs scripts/finetune-accuracy-floor.ts [--markdown]
 */
import { paramCounts } from '../src/core/params.js';
import { builtinRegistry } from '../src/presets/builtin.js';
import { archFromInput, modelArch } from '../src/presets/to-core.js';
import { builtinFinetuneSets } from '../src/presets/builtin-finetune.js';
import { type FinetuneCase, MEMORY_BAR, SPEED_BAR, finetuneCases } from '../src/resolve/finetune-backtest.js';
// @ts-expect-error plain JavaScript module without types
import { absErrorsOf, coordinateSearch, designRow, fitL1, leaveOneOutResiduals, printTable, residuals } from './lad-fit.mjs';

type Feature = [label: string, values: (c: FinetuneCase) => boolean[] | number[]];
type Measure = 'memory' | 'speed';

const registry = builtinRegistry();
const cases = finetuneCases(builtinFinetuneSets(), registry).filter((c) => c.split === 'holdout');
const sources = [...new Set(cases.map((c) => c.set.id))];

/** The GPU's generation, from its preset. */
const generation = (c: FinetuneCase): string => registry.get('gpus', c.row.gpu).architecture;
/** The row's model: its preset, or the architecture it spells out. */
const params = (c: FinetuneCase): number =>
  paramCounts(
    c.row.model !== undefined
      ? modelArch(registry.get('models', c.row.model))
      : archFromInput(c.row.architecture as NonNullable<FinetuneCase['row']['architecture']>),
  ).total;

const FEATURES: Feature[] = [
  ['one factor', () => []],
  ['+ method (LoRA, QLoRA)', (c) => [c.row.method === 'lora', c.row.method === 'qlora']],
  ['+ GPU generation', (c) => ['ada', 'hopper', 'blackwell'].map((g) => generation(c) === g)],
  ['+ log parameters', (c) => [Math.log(params(c))]],
  ['+ log tokens a micro-batch carries', (c) => [Math.log(c.row.microBatch * c.row.seqLen)]],
  ['+ log GPU count', (c) => [Math.log(c.row.gpus)]],
  ['+ recomputation, sharded weights', (c) => [c.row.recompute === 'full', c.row.zero === 3]],
  ['+ the source (not an input)', (c) => sources.slice(1).map((s) => c.set.id === s)],
];

interface Scores {
  median: number;
  p90: number;
  within: number;
}

/** |predicted ÷ measured − 1| of corrected predictions, from log(measured ÷ corrected) residuals, against the bar. */
function scores(logResiduals: number[], bar: number): Scores {
  const { errors, at } = absErrorsOf(logResiduals);
  return { median: at(0.5), p90: at(0.9), within: errors.filter((e: number) => e <= bar).length };
}

const measuredOf = (c: FinetuneCase, m: Measure) => (m === 'memory' ? c.row.measured.memoryGiB : c.row.measured.tokensPerSecondPerGpu);
const predictedOf = (c: FinetuneCase, m: Measure) => (m === 'memory' ? c.predicted.memoryGiB : c.predicted.tokensPerSecondPerGpu);

/** log(measured ÷ predicted) of a row: what a correction of the model fits. */
const logRatio = (c: FinetuneCase, m: Measure) => Math.log((measuredOf(c, m) as number) / predictedOf(c, m));

function floorRows(group: FinetuneCase[], m: Measure, bar: number) {
  const y = group.map((c) => logRatio(c, m));
  return FEATURES.map(([label], k) => {
    const X = group.map((c) => designRow(FEATURES, k, c));
    const inSample = residuals(X, y, fitL1(X, y)) as number[];
    return {
      label,
      parameters: X[0]?.length ?? 0,
      inSample: scores(inSample, bar),
      leaveOneOut: scores(leaveOneOutResiduals(X, y), bar),
      uncorrected: scores(y, bar),
    };
  });
}

/**
 * The in-sample fit over every input (not the source) aimed at the bar itself: a coordinate search
 * from the least-absolute-deviations fit that maximises the rows within the bar (ties broken by the
 * 90th percentile). It shows the count is not merely an artefact of fitting the median.
 */
function barSearch(group: FinetuneCase[], m: Measure, bar: number, k: number): Scores {
  const y = group.map((c) => logRatio(c, m));
  const X = group.map((c) => designRow(FEATURES, k, c));
  const w = coordinateSearch(fitL1(X, y), (v: number[]) => {
    const s = scores(residuals(X, y, v) as number[], bar);
    return s.p90 / 10 - s.within;
  });
  return scores(residuals(X, y, w) as number[], bar);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const markdown = process.argv.includes('--markdown');
for (const [m, bar, what] of [
  ['memory', MEMORY_BAR, 'peak memory'],
  ['speed', SPEED_BAR, 'tokens per second per GPU'],
] as const) {
  const group = cases.filter((c) => measuredOf(c, m) !== undefined);
  const rows = floorRows(group, m, bar);
  const u = rows[0]?.uncorrected as Scores;
  const within = (s: Scores) => `${s.within} of ${group.length}`;
  const title = `${what}: ${group.length} held-out rows; the model as it is: median ${pct(u.median)}, 90th percentile ${pct(u.p90)}, ${within(u)} within ${pct(bar)}`;
  const header = [
    'correction of the model from',
    'fitted parameters',
    'in-sample median',
    '90th percentile',
    `within ${pct(bar)}`,
    'leave-one-out median',
    `within ${pct(bar)}`,
  ];
  const body = rows.map((r) => [
    r.label,
    String(r.parameters),
    pct(r.inSample.median),
    pct(r.inSample.p90),
    within(r.inSample),
    pct(r.leaveOneOut.median),
    within(r.leaveOneOut),
  ]);
  const allInputs = FEATURES.length - 2;
  const aimed = barSearch(group, m, bar, allInputs);
  body.push(['every input above, aimed at the bar', rows[allInputs]?.parameters.toString() ?? '', pct(aimed.median), pct(aimed.p90), within(aimed), '', '']);
  printTable(title, header, body, markdown, [40, 20]);
}
