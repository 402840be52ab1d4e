/** `gpucost reproduce`: each claim of a scenario next to what gpucost computes from its inputs. */
import { FLOPS_CONVENTION_INFO, trainingFlops } from '../core/flops.js';
import { MIXED_PRECISION_ADAM_BYTES_PER_PARAM, modelStateBytes } from '../core/memory.js';
import { costUsd } from '../core/cost.js';
import { impliedFlopsPerSecond } from '../core/throughput.js';
import {
  BYTES_PER_GB,
  DAYS_PER_YEAR,
  HOURS_PER_YEAR,
  MONTHS_PER_YEAR,
  SECONDS_PER_YEAR,
  flopsPerSecondToTflops,
  secondsToDays,
  secondsToYears,
  tflopsToFlopsPerSecond,
} from '../core/units.js';
import type { ComputedEstimate } from '../resolve/compute.js';
import { CLAIM_QUANTITIES, type ClaimQuantity } from '../presets/claims.js';
import type { Claim, Fact, ScenarioPreset } from '../presets/schema.js';
import { claimQuantityValue } from './claims.js';
import { estimateRecord, type EstimateRecord } from './estimate.js';
import { formatNumber, formatPercent, formatScientific, formatUsd } from './format.js';
import { type Cell, type Column, type Report, SCHEMA_VERSION } from './model.js';

export interface ClaimResult {
  claim: Claim;
  /** null when the claim has no inputs (not derivable). */
  computed: ComputedEstimate | null;
}

export interface ClaimRecord {
  id: string;
  text: string;
  claimed: number;
  computed: number | null;
  deviation: number | null;
  unit: string;
  quantity: ClaimQuantity;
  derivable: boolean;
  source: { title: string; url: string };
  assumptions: string[];
  estimate: EstimateRecord | null;
}

export function claimRecord({ claim, computed }: ClaimResult): ClaimRecord {
  const value = computed ? claimQuantityValue(claim.quantity, computed) : null;
  return {
    id: claim.id,
    text: claim.text,
    claimed: claim.claimed,
    computed: value,
    deviation: value === null ? null : value / claim.claimed - 1,
    unit: CLAIM_QUANTITIES[claim.quantity],
    quantity: claim.quantity,
    derivable: computed !== null,
    source: { title: claim.source.title, url: claim.source.url },
    assumptions: claim.assumptions,
    estimate: computed ? estimateRecord(computed) : null,
  };
}

const CLAIM_COLUMNS: Column[] = [
  { key: 'id', label: 'claim', kind: 'text' },
  { key: 'text', label: 'as stated', kind: 'text', dropOrder: 2 },
  { key: 'claimed', label: 'claimed', kind: 'number', dropOrder: 3 },
  { key: 'computed', label: 'computed', kind: 'number' },
  { key: 'unit', label: 'unit', kind: 'text' },
  { key: 'deviation', label: 'deviation', unit: 'fraction', kind: 'deviation' },
  { key: 'how', label: 'computed from', kind: 'text', dropOrder: 1 },
];

export function reproduceReport(scenario: ScenarioPreset, results: ClaimResult[]): Report {
  const records = results.map(claimRecord);
  const rows = records.map((rec, i) => {
    const e = results[i]?.computed;
    const kind = rec.quantity === 'costUsd' ? 'usd' : 'number';
    const show = (v: number | null): Cell => (v === null ? 'not derivable' : { value: v, kind });
    return {
      id: rec.id,
      text: rec.text,
      claimed: show(rec.claimed),
      computed: show(rec.computed),
      unit: rec.unit,
      deviation: rec.deviation,
      how: e ? describeInputs(e) : 'no traceable source or inputs',
    };
  });
  const machineRows = records.map((rec, i) => ({
    id: rec.id,
    text: rec.text,
    claimed: rec.claimed,
    computed: rec.computed,
    unit: rec.unit,
    deviation: rec.deviation,
    how: results[i]?.computed ? describeInputs(results[i].computed) : '',
  }));
  const warnings = records.flatMap((r) => (r.estimate?.warnings ?? []).map((w) => ({ ...w, message: `${r.id}: ${w.message}`, rows: [{ claim: r.id }] })));
  return {
    title: scenario.title,
    tables: [
      { columns: CLAIM_COLUMNS, rows },
      {
        title: 'Sources',
        columns: [
          { key: 'id', label: 'claim', kind: 'text' },
          { key: 'title', label: 'source', kind: 'text' },
          { key: 'url', label: 'url', kind: 'text' },
        ],
        rows: records.map((r) => ({ id: r.id, title: r.source.title, url: r.source.url })),
      },
    ],
    primary: { columns: CLAIM_COLUMNS, rows: machineRows },
    assumptions: records.flatMap((r) => r.assumptions.map((a) => ({ name: r.id, value: a, origin: '' }))),
    warnings,
    notes: explain(scenario, results),
    json: { schemaVersion: SCHEMA_VERSION, scenario: scenario.id, claims: records },
  };
}

function describeInputs(e: ComputedEstimate): string {
  const r = e.resolved;
  const price = r.price.value === null ? '' : ` × $${r.price.value}/GPU-h`;
  return `${formatScientific(e.result.trainingFlops)} FLOP (${r.convention.value}) ÷ (${r.gpus.value} × ${r.gpu.id} at ${formatNumber(r.tflopsPerGpu.value)} TFLOP/s)${price}`;
}

/**
 * Why the article's figures disagree, with every number computed from the scenario's inputs and facts.
 * Paragraphs are only written when the claims and facts they need are present.
 */
function explain(scenario: ScenarioPreset, results: ClaimResult[]): Note[] {
  const article = readArticle(scenario, results);
  return [whyYearsDisagree(article), conventionsCompared(article), whatLinearScalingHides(article), whereTheCostComesFrom(article)].filter(
    (note): note is Note => note !== null,
  );
}

type Note = { title: string; text: string };

/**
 * The claims of the GPT-3 article (presets/scenarios/gpt3-article.yaml) the explanations argue from,
 * by their ids there. Every value, unit and count in the paragraphs comes from these claims, their
 * inputs and the scenario's facts; what stays in this file is the argument itself and who made each
 * claim (Lambda, Megatron-LM, OpenAI), which is wording, not a figure a preset could change.
 */
const ARTICLE_CLAIMS = {
  /** Lambda's cost of one run, and its GPU-years on one V100. */
  lambdaCost: 'A1',
  lambdaGpuYears: 'A2',
  /** The reported total cost that has no traceable source. */
  untracedCost: 'A3',
  /** Megatron-LM's single-V100 years spread over a small and a large V100 cluster, and its measured days on A100s. */
  megatronSmallCluster: 'A4',
  megatronLargeCluster: 'A5',
  megatronDays: 'A6',
} as const;

interface Article {
  claims: Partial<Record<keyof typeof ARTICLE_CLAIMS, ClaimResult>>;
  fact: (id: string) => Fact | undefined;
}

function readArticle(scenario: ScenarioPreset, results: ClaimResult[]): Article {
  const claims: Article['claims'] = {};
  for (const [role, id] of Object.entries(ARTICLE_CLAIMS) as [keyof typeof ARTICLE_CLAIMS, string][]) {
    const result = results.find((r) => r.claim.id === id);
    if (result) claims[role] = result;
  }
  return { claims, fact: (id) => scenario.facts.find((f) => f.id === id) };
}

/** The unit a claim states its value in ("years", "USD", …). */
function unitOf(claim: Claim): string {
  return CLAIM_QUANTITIES[claim.quantity];
}

/** A duration in years in a wall-clock claim's unit; null for a claim of another quantity. */
function yearsInUnitOf(claim: Claim, years: number): number | null {
  if (claim.quantity === 'wallClockYears') return years;
  if (claim.quantity === 'wallClockMonths') return years * MONTHS_PER_YEAR;
  if (claim.quantity === 'wallClockDays') return years * DAYS_PER_YEAR;
  return null;
}

/** E.g. "36 years on 8": single-GPU years spread over a claim's GPU count, in the claim's unit. */
function spreadOver(claim: Claim | undefined, singleGpuYears: number): { gpus: number; text: string } | null {
  const gpus = claim?.inputs?.gpus;
  if (claim === undefined || gpus === undefined) return null;
  const value = yearsInUnitOf(claim, singleGpuYears / gpus);
  return value === null ? null : { gpus, text: `${formatNumber(value)} ${unitOf(claim)} on ${gpus}` };
}

/** Lambda's GPU-years against Megatron-LM's: the same arithmetic at different assumed throughput. */
function whyYearsDisagree({ claims, fact }: Article): Note | null {
  const lambda = claims.lambdaGpuYears?.computed;
  const megatronYears = fact('megatronSingleV100Years');
  const megatron = claims.megatronSmallCluster?.computed;
  if (!lambda || !megatronYears || !megatron) return null;
  const years = megatronYears.value;
  const unit = megatronYears.unit;
  const lambdaYears = lambda.result.gpuYears;
  const lines = [
    `Lambda: ${formatScientific(lambda.result.trainingFlops)} FLOP (${FLOPS_CONVENTION_INFO[lambda.resolved.convention.value].label}) ÷ ${formatNumber(lambda.resolved.tflopsPerGpu.value)} TFLOP/s = ${formatNumber(lambdaYears)} ${unit}.`,
    `Megatron-LM: ${years} ${unit} on one GPU${spreadText(claims, years)}.` + impliedThroughput(megatron, years),
    `So the two differ by ${formatPercent(lambdaYears / years - 1, 0)} because they assume different sustained V100 throughput, not because of different arithmetic.`,
  ];
  const nonTensor = fact('v100PcieNonTensorFp16Tflops');
  if (nonTensor) {
    lines.push(
      `Lambda's "theoretical ${formatNumber(lambda.resolved.tflopsPerGpu.value)} TFLOPS" is not a tensor-core peak: it is the V100 PCIe's non-tensor FP16 rate (${nonTensor.value} ${nonTensor.unit}).` +
        ` Used as a sustained rate it is ${formatPercent(lambda.resolved.tflopsPerGpu.value / lambda.resolved.peakTflops, 0)} of the PCIe card's ${lambda.resolved.peakTflops} TFLOP/s tensor peak, close to what GPT-3-era V100 runs achieved.`,
    );
  }
  const openai = fact('openaiV100Tflops');
  if (openai) {
    const openaiYears = secondsToYears(lambda.result.trainingFlops / tflopsToFlopsPerSecond(openai.value));
    lines.push(`OpenAI's own reported ${openai.value} ${openai.unit} per V100 would give ${formatNumber(openaiYears, 3)} ${unit}.`);
  }
  return { title: `Why ${formatNumber(lambdaYears, 4)} and ${years} ${unit} disagree`, text: lines.join('\n') };
}

/** E.g. ", so 288 ÷ 8 = 36 years on 8 and 6.75 months on 512": Megatron-LM's single-GPU years at the claims' GPU counts. */
function spreadText(claims: Article['claims'], years: number): string {
  const spread = [claims.megatronSmallCluster, claims.megatronLargeCluster].map((c) => spreadOver(c?.claim, years)).filter((x) => x !== null);
  const first = spread[0];
  return first ? `, so ${years} ÷ ${first.gpus} = ${spread.map((x) => x.text).join(' and ')}` : '';
}

/** The throughput Megatron-LM's single-GPU years imply, in its 8·T·P FLOPs and in 6·N·D. */
function impliedThroughput(megatron: ComputedEstimate, years: number): string {
  const singleGpuSeconds = years * SECONDS_PER_YEAR;
  const flops8 = megatron.result.trainingFlops;
  const flops6 = trainingFlops({ ...megatron.input, convention: '6nd' });
  const x8 = flopsPerSecondToTflops(impliedFlopsPerSecond(flops8, singleGpuSeconds));
  const x6 = flopsPerSecondToTflops(impliedFlopsPerSecond(flops6, singleGpuSeconds));
  const peak = megatron.resolved.peakTflops;
  return (
    ` The paper does not say what throughput it assumed: ${years} years means ${formatNumber(x8, 3)} TFLOP/s on 8·T·P = ${formatScientific(flops8)} FLOP,` +
    ` or ${formatNumber(x6, 3)} TFLOP/s on 6·N·D = ${formatScientific(flops6)} FLOP (${formatPercent(x8 / peak, 0)} or ${formatPercent(x6 / peak, 0)} of the V100's ${peak} TFLOP/s tensor peak).`
  );
}

/** Megatron-LM's measured days in its 8·T·P FLOPs against the GPT-3 paper's 6·N·D and its own exact count. */
function conventionsCompared({ claims }: Article): Note | null {
  const measured = claims.megatronDays;
  const run = measured?.computed;
  if (!measured || !run) return null;
  const x = run.resolved.tflopsPerGpu.value;
  const flops6 = trainingFlops({ ...run.input, convention: '6nd' });
  const flopsEq3 = run.input.arch ? trainingFlops({ ...run.input, convention: 'megatron' }) : null;
  const cluster = run.input.gpus * x * 1e12;
  const days6 = secondsToDays(flops6 / cluster);
  const modelRate = x * (flops6 / run.result.trainingFlops);
  const lines = [
    `Megatron's ${measured.claim.claimed} ${unitOf(measured.claim)} uses 8·T·P = ${formatScientific(run.result.trainingFlops)} FLOP: the 8 counts forward (2), backward (4) and the forward pass repeated for activation recomputation (2) per parameter per token.`,
    `The GPT-3 paper's 6·N·D = ${formatScientific(flops6)} FLOP leaves recomputation out. At the same ${x} TFLOP/s that is ${formatNumber(days6, 3)} days, not ${formatNumber(secondsToDays(run.result.wallClockSeconds), 3)}.` +
      ` Counted in model FLOPs the run sustains ${formatNumber(modelRate, 3)} TFLOP/s per GPU, ${formatPercent(modelRate / run.resolved.peakTflops, 0)} of the ${run.resolved.peakTflops} TFLOP/s peak (MFU).`,
  ];
  if (flopsEq3 !== null) {
    lines.push(
      `The paper's exact eq. (3), which adds attention and the logit layer, gives ${formatScientific(flopsEq3)} FLOP and ${formatNumber(secondsToDays(flopsEq3 / cluster), 3)} days; eq. (4)'s 8·T·P is its approximation.`,
    );
  }
  return { title: '6·N·D versus 8·T·P', text: lines.join('\n') };
}

/** The smallest cluster cannot hold the model, and the batch caps data parallelism at the largest. */
function whatLinearScalingHides({ claims, fact }: Article): Note | null {
  const smallest = claims.megatronSmallCluster;
  const run = smallest?.computed;
  if (!smallest || !run) return null;
  const state = modelStateBytes(run.resolved.totalParams);
  const memory = run.resolved.gpu.memoryGB * run.resolved.gpus.value;
  const lines = [
    `Every figure above assumes perfect linear scaling. It cannot hold at the ends: ${run.resolved.gpus.value} V100s hold ${formatNumber(memory)} GB, while GPT-3's mixed-precision Adam state alone is ${formatNumber(state / BYTES_PER_GB / 1000, 3)} TB (${MIXED_PRECISION_ADAM_BYTES_PER_PARAM} bytes per parameter), so the "${formatNumber(smallest.claim.claimed)} ${unitOf(smallest.claim)}" run could not start.`,
  ];
  const batch = fact('gpt3GlobalBatchSequences');
  if (batch) {
    lines.push(
      `At the other end, a global batch of ${batch.value} ${batch.unit} allows at most ${batch.value} data-parallel replicas; beyond that, more GPUs help only with tensor and pipeline parallelism.`,
    );
  }
  return { title: 'What linear scaling hides', text: lines.join('\n') };
}

/** Lambda's dollar figure from its GPU-years and the back-derived hourly price; the untraced figure is named, not fitted. */
function whereTheCostComesFrom({ claims }: Article): Note | null {
  const cost = claims.lambdaCost;
  const run = cost?.computed;
  const price = run?.resolved.price.value;
  if (!cost || !run || price === null || price === undefined) return null;
  const perYear = costUsd(HOURS_PER_YEAR, price);
  const untraced = claims.untracedCost;
  const untracedText =
    untraced && !untraced.claim.inputs
      ? ` The ${formatUsd(untraced.claim.claimed)} figure has no traceable source and no inputs, so gpucost does not pretend to reproduce it.`
      : '';
  return {
    title: `Where ${formatUsd(cost.claim.claimed)} comes from`,
    text: `${formatNumber(run.result.gpuYears, 4)} V100-years × ${HOURS_PER_YEAR} hours × $${price} per GPU-hour (${formatUsd(perYear)} per GPU-year) = ${formatUsd(run.result.costUsd ?? 0)}. The hourly price is back-derived; Lambda only says it was the lowest 3-year reserved price it found.${untracedText}`,
  };
}
