/** `gpucost reproduce`: each claim of a scenario next to what gpucost computes from its inputs. */
import { trainingFlops } from '../core/flops.js';
import { modelStateBytes } from '../core/memory.js';
import { costUsd } from '../core/cost.js';
import { impliedFlopsPerSecond } from '../core/throughput.js';
import {
  BYTES_PER_GB,
  HOURS_PER_YEAR,
  SECONDS_PER_YEAR,
  flopsPerSecondToTflops,
  secondsToDays,
  secondsToYears,
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
  { key: 'text', label: 'as stated', kind: 'text' },
  { key: 'claimed', label: 'claimed', kind: 'number' },
  { key: 'computed', label: 'computed', kind: 'number' },
  { key: 'unit', label: 'unit', kind: 'text' },
  { key: 'deviation', label: 'deviation', unit: 'fraction', kind: 'deviation' },
  { key: 'how', label: 'computed from', kind: 'text' },
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
function explain(scenario: ScenarioPreset, results: ClaimResult[]): { title: string; text: string }[] {
  const byId = new Map(results.map((r) => [r.claim.id, r.computed]));
  const fact = (id: string): Fact | undefined => scenario.facts.find((f) => f.id === id);
  const notes: { title: string; text: string }[] = [];

  const lambda = byId.get('A2');
  const megatronYears = fact('megatronSingleV100Years');
  const megatron = byId.get('A4');
  const openai = fact('openaiV100Tflops');
  const nonTensor = fact('v100PcieNonTensorFp16Tflops');
  if (lambda && megatronYears && megatron) {
    const lambdaYears = lambda.result.gpuYears;
    const singleGpuSeconds = megatronYears.value * SECONDS_PER_YEAR;
    const flops8 = megatron.result.trainingFlops;
    const flops6 = trainingFlops({ ...megatron.input, convention: '6nd' });
    const x8 = flopsPerSecondToTflops(impliedFlopsPerSecond(flops8, singleGpuSeconds));
    const x6 = flopsPerSecondToTflops(impliedFlopsPerSecond(flops6, singleGpuSeconds));
    const v100 = megatron.resolved;
    const lines = [
      `Lambda: ${formatScientific(lambda.result.trainingFlops)} FLOP (6·N·D) ÷ ${formatNumber(lambda.resolved.tflopsPerGpu.value)} TFLOP/s = ${formatNumber(lambdaYears)} V100-years.`,
      `Megatron-LM: ${megatronYears.value} V100-years on one GPU, so ${megatronYears.value} ÷ 8 = ${formatNumber(megatronYears.value / 8)} years on 8 and ${formatNumber((megatronYears.value / 512) * 12)} months on 512.` +
        ` The paper does not say what throughput it assumed: ${megatronYears.value} years means ${formatNumber(x8, 3)} TFLOP/s on 8·T·P = ${formatScientific(flops8)} FLOP,` +
        ` or ${formatNumber(x6, 3)} TFLOP/s on 6·N·D = ${formatScientific(flops6)} FLOP (${formatPercent(x8 / v100.peakTflops, 0)} or ${formatPercent(x6 / v100.peakTflops, 0)} of the V100's ${v100.peakTflops} TFLOP/s tensor peak).`,
      `So the two differ by ${formatPercent(lambdaYears / megatronYears.value - 1, 0)} because they assume different sustained V100 throughput, not because of different arithmetic.`,
    ];
    if (nonTensor) {
      lines.push(
        `Lambda's "theoretical 28 TFLOPS" is not a tensor-core peak: it is the V100 PCIe's non-tensor FP16 rate (${nonTensor.value} TFLOP/s).` +
          ` Used as a sustained rate it is ${formatPercent(lambda.resolved.tflopsPerGpu.value / lambda.resolved.peakTflops, 0)} of the PCIe card's ${lambda.resolved.peakTflops} TFLOP/s tensor peak, close to what GPT-3-era V100 runs achieved.`,
      );
    }
    if (openai) {
      const years = secondsToYears(lambda.result.trainingFlops / (openai.value * 1e12));
      lines.push(`OpenAI's own reported ${openai.value} TFLOP/s per V100 would give ${formatNumber(years, 3)} V100-years.`);
    }
    notes.push({ title: `Why ${formatNumber(lambdaYears, 4)} and ${megatronYears.value} V100-years disagree`, text: lines.join('\n') });
  }

  const a6 = byId.get('A6');
  const a6Claim = results.find((r) => r.claim.id === 'A6')?.claim;
  if (a6) {
    const x = a6.resolved.tflopsPerGpu.value;
    const flops6 = trainingFlops({ ...a6.input, convention: '6nd' });
    const flopsEq3 = a6.input.arch ? trainingFlops({ ...a6.input, convention: 'megatron' }) : null;
    const cluster = a6.input.gpus * x * 1e12;
    const days6 = secondsToDays(flops6 / cluster);
    const modelRate = x * (flops6 / a6.result.trainingFlops);
    const lines = [
      `Megatron's ${a6Claim?.claimed ?? ''} days uses 8·T·P = ${formatScientific(a6.result.trainingFlops)} FLOP: the 8 counts forward (2), backward (4) and the forward pass repeated for activation recomputation (2) per parameter per token.`,
      `The GPT-3 paper's 6·N·D = ${formatScientific(flops6)} FLOP leaves recomputation out. At the same ${x} TFLOP/s that is ${formatNumber(days6, 3)} days, not ${formatNumber(secondsToDays(a6.result.wallClockSeconds), 3)}.` +
        ` Counted in model FLOPs the run sustains ${formatNumber(modelRate, 3)} TFLOP/s per GPU, ${formatPercent(modelRate / a6.resolved.peakTflops, 0)} of the ${a6.resolved.peakTflops} TFLOP/s peak (MFU).`,
    ];
    if (flopsEq3 !== null) {
      lines.push(
        `The paper's exact eq. (3), which adds attention and the logit layer, gives ${formatScientific(flopsEq3)} FLOP and ${formatNumber(secondsToDays(flopsEq3 / cluster), 3)} days; eq. (4)'s 8·T·P is its approximation.`,
      );
    }
    notes.push({ title: '6·N·D versus 8·T·P', text: lines.join('\n') });
  }

  const batch = fact('gpt3GlobalBatchSequences');
  const eight = byId.get('A4');
  if (eight) {
    const state = modelStateBytes(eight.resolved.totalParams);
    const memory = eight.resolved.gpu.memoryGB * eight.resolved.gpus.value;
    const lines = [
      `Every figure above assumes perfect linear scaling. It cannot hold at the ends: 8 V100s hold ${formatNumber(memory)} GB, while GPT-3's mixed-precision Adam state alone is ${formatNumber(state / BYTES_PER_GB / 1000, 3)} TB (16 bytes per parameter), so the "36 years" run could not start.`,
    ];
    if (batch) {
      lines.push(
        `At the other end, a global batch of ${batch.value} sequences allows at most ${batch.value} data-parallel replicas; beyond that, more GPUs help only with tensor and pipeline parallelism.`,
      );
    }
    notes.push({ title: 'What linear scaling hides', text: lines.join('\n') });
  }

  const a1 = byId.get('A1');
  if (a1?.resolved.price.value !== null && a1) {
    const perYear = costUsd(HOURS_PER_YEAR, a1.resolved.price.value ?? 0);
    notes.push({
      title: 'Where $4.6M comes from',
      text: `${formatNumber(a1.result.gpuYears, 4)} V100-years × ${HOURS_PER_YEAR} hours × $${a1.resolved.price.value} per GPU-hour (${formatUsd(perYear)} per GPU-year) = ${formatUsd(a1.result.costUsd ?? 0)}. The hourly price is back-derived; Lambda only says it was the lowest 3-year reserved price it found. The $12M figure has no traceable source and no inputs, so gpucost does not pretend to reproduce it.`,
    });
  }
  return notes;
}
