// The throughput validation set (presets/throughput/) and where the two predictors stand on it.
// Errors are |predicted ÷ measured − 1| on tokens per second per GPU; docs/throughput-validation.md
// has every row (npm run validate:throughput). Issue 15's bar for the step-time model: median ≤ 10%
// and 90th percentile ≤ 20% on the holdout rows, BF16 and FP8 separately.
import { describe, expect, it } from 'vitest';
import { expectBetween } from '../helpers/bands.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { builtinThroughputSets } from '../../src/presets/builtin-throughput.js';
import { checkCatalog } from '../../src/presets/check-catalog.js';
import { emptyCatalog } from '../../src/presets/catalog.js';
import type { ThroughputSet } from '../../src/presets/schema.js';
import {
  CONTEXT_PARALLEL_HIGHEST_RATIO,
  CONTEXT_PARALLEL_LOWEST_RATIO,
  SMALL_STEP_LAYER_SECONDS,
  SMALL_STEP_MEASURED_RANGE,
  STEP_TIME_MODEL_RANGE,
  narrowestCovering,
} from '../../src/core/range.js';
import { DEFAULT_PERF_CONSTANTS, layerSecondsPerMicroBatch, stepTime } from '../../src/core/perf.js';
import { constantMfuRate, fittedConstantMfu, throughputCases, throughputSummaries } from '../../src/resolve/throughput.js';
import { cli, cliJson } from '../helpers/cli.js';

const registry = builtinRegistry();
const sets = builtinThroughputSets();
const cases = throughputCases(sets, registry);
const constant = fittedConstantMfu(cases);
const summaries = throughputSummaries(cases, constant);

/**
 * Today's median |error| on the holdout rows, each held to a band two points wide either side, so
 * that an improvement and a regression both fail a test (and the band moves with the model, never
 * to make it pass). Measured 2026-12-06 on 504 rows, all of which the model runs (layouts the sources
 * leave unsaid are searched): constant MFU 19.5% (BF16; 19.9% before IBM's four 512-H100 rows, 19.6%
 * before torchao's twelve one-node rows, 18.3% before gollem's nine one-H100 GPT-2 rows) and 72.3%
 * (FP8; 74.0% before MLPerf v5.1's B300 and GB300 rows, 77.9% before MLPerf v4.1's three GPT-3 rows, 104.0% before MLPerf v5.1's sixteen FP8 rows, 147.7% before MLPerf v5.0's fourteen Llama 3.1 405B systems, 162.8% before IBM's, 133.6%
 * before torchao's: one MFU applied to the FP8 peak doubles the rate); step-time model 10.5% (BF16, 158 rows, since
 * fused attention ran at the rate of the kernel each framework calls, FLASH_KERNELS; 12.1% before, since
 * collectives across nodes ran at every network interface a group has in a node and paid NCCL's ring latency; 12.3% before that, as on the 156 before IBM's; 12.1% on the
 * 153 before torchao's, 11.7% on the 144 before gollem's rows, 10.6% on the 119 before the
 * Ultra-Scale Playbook's 25, and 12.0% on those before the layout search tried every interleaving
 * count up to 8 that divides a stage, not only 1, 2, 4 and 8) and 10.8% (FP8, 79 rows, since the kernel classes; 11.0% before, since the collectives change; 17.0% before that, 17.2% on the 75
 * before MLPerf v5.1's B300 and GB300 rows, 17.1% on the 72
 * before MLPerf v4.1's GPT-3 rows, 14.4% on the 56
 * before MLPerf v5.1's Llama 3.1 8B and 405B rows, 16.8% on the 42 before MLPerf v5.0's 405B rows, as on the 40 before IBM's; 11.7% on the 33 before torchao's seven, 18.4% before eight TorchTitan 405B rows took the micro-batch count and schedule their
 * sources' torchtitan code sets). NVFP4: 6.0% over the 17 rows of MLPerf v5.1 (5.0% before the kernel classes; the constant 84.1%; 4.9% on the 13 before the B300 and GB300 rows), the first
 * measured at that precision. The 41 mixture-of-experts rows (expert parallelism, issue 16) are among them.
 * Since the two fresh held-out sources (Zero Bubble's and FP8-LM's Megatron-LM baselines, declared
 * after the model's last change and compared once, 562 rows): BF16 10.3% (161 rows; 10.5% on the 158
 * before FP8-LM's three), FP8 10.6% (82; 10.8% on the 79 before), the FP8 constant 65.0% (72.3%
 * before), and FP16 (Zero Bubble's 52 A100 rows) 4.4% against the constant's 8.7%. With the second and
 * third fresh batches (594 rows): BF16 10.5% (187), FP8 10.6% (86; the constant 58.3%), FP16 4.5% (54);
 * with the fourth (596 rows) BF16 10.6% (189); with the fifth (600) BF16 10.7% (190), FP8 10.0% (89; the
 * constant 57.3%); with per-op recomputation for TorchTitan's and torchao's rows (post hoc) BF16 10.5%,
 * FP8 10.1%; with the sixth batch (652 rows) BF16 9.8% (242; the constant 17.8%); with the seventh,
 * COAT's ten H100 rows (662), BF16 10.1% (247; the constant 17.9%), FP8 10.8% (94; the constant 65.5%);
 * with the eighth, FlagPerf's seven (669), BF16 10.1% (252), FP8 10.3% (96; the constant 58.3%); with
 * the ninth, MLPerf v3.0's and v3.1's twelve GPT-3 rows (681), FP8 9.2% (108; the constant 55.2%).
 * Since the constants were refitted on Megatron-LM Table 1's published layouts (2026-12-06, a fit-split
 * correction): BF16 9.2% (was 10.1%), FP8 9.7% (9.2%), FP16 7.2% (4.5%), NVFP4 4.7% (6.0%).
 * With the tenth fresh batch (751 rows: Aleph Alpha's layout sweeps, OLMo-core, the FlashAttention
 * repository's GPT-3 rates): BF16 11.0% (318 rows), FP8 9.7% (112).
 */

// Re-centred on 2026-12-06 after the sixth to eighth fresh batches (InternLM, Megatron-LLaMA, COAT's
// H100 rows, FlagPerf): BF16 constant 18.9% → 17.9%, model 10.5% → 10.1%; FP8 constant 57.3% → 65.5%
// (COAT) → 58.3% (FlagPerf), model 10.1% → 10.8% → 10.3%; FP8 constant 58.3% → 55.2% with the ninth
// batch (MLPerf v3.0 and v3.1 GPT-3), the model 10.3% → 9.2% (still inside its band). The refit on
// Table 1's published layouts moved the FP16 model 4.5% → 7.2% (band re-centred from 0.044) and
// NVFP4's 6.0% → 4.7%, BF16's 10.1% → 9.2%, FP8's 9.2% → 9.7% (inside their bands).
const BANDS = {
  holdoutBf16Constant: [0.159, 0.199],
  holdoutBf16Model: [0.081, 0.121],
  holdoutFp8Constant: [0.532, 0.572],
  holdoutFp8Model: [0.088, 0.128],
  holdoutFp4Constant: [0.819, 0.859],
  holdoutFp4Model: [0.04, 0.08],
  holdoutFp16Constant: [0.067, 0.107],
  holdoutFp16Model: [0.052, 0.092],
} as const;

/** A row's measured rate and the step-time model's, by id. */
function ratesOf(id: string): { measured: number; model: number } {
  const c = cases.find((x) => x.row.id === id);
  if (!c) throw new Error(`no row ${id}`);
  return { measured: c.measured.tokensPerSecondPerGpu, model: c.model.tokensPerSecondPerGpu as number };
}

/** A row's predicted ÷ measured − 1 under the step-time model. */
function errorOf(id: string): number {
  const r = ratesOf(id);
  return r.model / r.measured - 1;
}

/** A low-precision row's speed-up over its BF16 twin, as measured and as the model gives it. */
function gainOf(bf16Id: string, lowId: string): { measured: number; model: number } {
  const [bf16, low] = [ratesOf(bf16Id), ratesOf(lowId)];
  return { measured: low.measured / bf16.measured, model: low.model / bf16.model };
}

describe('the throughput validation set', () => {
  it('has at least 60 rows, every source declared fit or holdout, with rows on both sides', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const s of sets) {
      expect(s.sources.length, s.id).toBeGreaterThan(0);
      for (const source of s.sources) expect(source.url, s.id).toMatch(/^https:\/\//);
    }
    expect(cases.some((c) => c.split === 'fit')).toBe(true);
    expect(cases.some((c) => c.split === 'holdout')).toBe(true);
  });

  it('gpucost backtest --throughput prints the same summary as JSON', async () => {
    const { code, json } = await cliJson<{ summary: unknown; rows: unknown[] }>(['backtest', '--throughput']);
    expect(code).toBe(0);
    expect(json.summary).toEqual(summaries);
    expect(json.rows).toHaveLength(cases.length);
  });

  it('draws predicted against measured as a scatter per split, with only the agreement line drawn through', async () => {
    const { code, out } = await cli(['backtest', '--throughput', '--format', 'svg']);
    expect(code).toBe(0);
    expect(out.match(/<svg /g)?.length).toBe(3); // the document and its two charts
    expect(out.match(/<polyline /g)?.length).toBe(2);
    expect(out).toContain('holdout rows (');
  });

  it("points readers at each set's file for its sources, not at a command that cannot show it", async () => {
    const { out } = await cli(['backtest', '--throughput', '--format', 'markdown']);
    expect(out).toMatch(/torchtitan-llama3 \| holdout \| 48 \| TorchTitan: .* \(and 5 more in presets\/throughput\/torchtitan-llama3\.yaml\)/);
    expect(out).not.toContain('presets show');
  });

  it('every row gives a rate the validation can read, and a plausible MFU', () => {
    for (const c of cases) {
      expect(c.measured.tokensPerSecondPerGpu, c.row.id).toBeGreaterThan(0);
      expect(c.mfu, c.row.id).toBeGreaterThan(0.05);
      expect(c.mfu, c.row.id).toBeLessThan(0.8);
    }
  });

  it('the build refuses a row with nothing measured, a layout that does not multiply out, or an unknown GPU', () => {
    const bad: ThroughputSet = {
      id: 'bad',
      name: 'bad',
      split: 'holdout',
      sources: [{ title: 't', url: 'https://example.org', retrieved: '2026-12-05' }],
      notes: [],
      rows: [
        { id: 'r', where: 'w', model: 'llama3-8b', gpu: 'nope', gpus: 8, precision: 'bf16', parallelism: { tp: 2, pp: 1, dp: 2 }, measured: {}, notes: [] },
      ],
    };
    const catalog = { ...emptyCatalog(), throughput: [bad] };
    const messages = checkCatalog(catalog, { ...registry.catalog, throughput: [bad] }).map((p) => `${p.field}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'rows.0.gpu: unknown gpu "nope"',
        'rows.0.measured: give at least one of tokensPerSecondPerGpu, stepSeconds, tflopsPerGpu or mfu',
        'rows.0.parallelism: TP × PP × DP × CP = 4, not the 8 GPUs',
      ]),
    );
  });
});

describe('the bar the step-time model must clear: one constant MFU on the same rows', () => {
  it.each(['fit', 'holdout'] as const)('BF16 %s rows: the model misses by less than the constant', (split) => {
    const summary = summaries.find((s) => s.split === split && s.precision === 'bf16');
    expect(summary?.modelMedianAbsError).toBeLessThan(summary?.constantOnModelledMedianAbsError ?? 0);
  });
});

describe('where the predictors stand (known gaps: each test holds today’s median error to a band)', () => {
  it.each([
    ['holdout', 'bf16', 'constant', BANDS.holdoutBf16Constant],
    ['holdout', 'bf16', 'model', BANDS.holdoutBf16Model],
    ['holdout', 'fp8', 'constant', BANDS.holdoutFp8Constant],
    ['holdout', 'fp8', 'model', BANDS.holdoutFp8Model],
    ['holdout', 'fp4', 'constant', BANDS.holdoutFp4Constant],
    ['holdout', 'fp4', 'model', BANDS.holdoutFp4Model],
    ['holdout', 'fp16', 'constant', BANDS.holdoutFp16Constant],
    ['holdout', 'fp16', 'model', BANDS.holdoutFp16Model],
  ] as const)('known gap: %s %s rows, %s: median |error| within its band', (split, precision, predictor, [low, high]) => {
    const summary = summaries.find((s) => s.split === split && s.precision === precision);
    const e = predictor === 'constant' ? summary?.constantMedianAbsError : summary?.modelMedianAbsError;
    expect(e).toBeGreaterThanOrEqual(low);
    expect(e).toBeLessThanOrEqual(high);
  });
});

// Nineteen sources declared held out on 2026-12-06, after the model's last change, in ten batches, each
// compared once (docs/perf-model.md, "Fresh held-out sources"): nothing in the model was chosen with
// them in view.
describe('fresh held-out sources: Zero Bubble (52 rows, pure pipelines on A100), FP8-LM (6 rows, H100), four large runs’ own rates (6 rows), JAX-Toolbox (22), Fast-LLM (4) and two GPT-2 1.5B rows, AMD Primus on MI325X (4), InternLM (46), Megatron-LLaMA (6), COAT (10), FlagPerf (7), MLPerf v3’s GPT-3 (12), Aleph Alpha’s layout sweeps (59), OLMo-core (8) and the FlashAttention repository’s GPT-3 (3)', () => {
  const of = (set: string) => cases.filter((c) => c.set.id === set);
  const error = (c: (typeof cases)[number]) => (c.model.tokensPerSecondPerGpu as number) / c.measured.tokensPerSecondPerGpu - 1;
  const constantError = (c: (typeof cases)[number]) => constantMfuRate(c, constant) / c.measured.tokensPerSecondPerGpu - 1;
  /** A source's rows, held to their count, with the model's signed errors. */
  const sized = (set: string, count: number) => {
    const rows = of(set);
    expect(rows).toHaveLength(count);
    return { rows, errors: rows.map(error) };
  };
  const middle = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const n = sorted.length;
    return n % 2 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
  };

  it('Zero Bubble: 1F1B and interleaved 1F1B, 2 to 256 micro-batches, within −14% to +3% (median |error| 7.0%, signed −7.0%; the constant 8.7%; within −10% to +5%, median 4.4%, before the 2026-12-06 refit on Table 1’s published layouts)', () => {
    const { errors } = sized('zero-bubble-pp-a100', 52);
    expectBetween(middle(errors.map(Math.abs)), 0.06, 0.08);
    expectBetween(middle(errors), -0.08, -0.06);
    expectBetween(Math.min(...errors), -0.147, -0.127);
    expectBetween(Math.max(...errors), 0.012, 0.032);
  });

  it('Zero Bubble: interleaving gains in every one of the 12 paired layouts, as measured (1.01–1.15×), the model within 6 points of each gain', () => {
    const rows = of('zero-bubble-pp-a100');
    const byId = new Map(rows.map((c) => [c.row.id, c]));
    const pairs = rows.flatMap((plain) => {
      const interleaved = byId.get(`${plain.row.id}-interleaved`);
      return plain.row.id.endsWith('-1f1b') && interleaved ? [[plain, interleaved] as const] : [];
    });
    expect(pairs).toHaveLength(12);
    for (const [plain, interleaved] of pairs) {
      const measured = interleaved.measured.tokensPerSecondPerGpu / plain.measured.tokensPerSecondPerGpu;
      const modelled = (interleaved.model.tokensPerSecondPerGpu as number) / (plain.model.tokensPerSecondPerGpu as number);
      expect(measured, plain.row.id).toBeGreaterThan(1);
      expect(modelled, plain.row.id).toBeGreaterThan(1);
      expect(Math.abs(modelled - measured), plain.row.id).toBeLessThan(0.06);
    }
  });

  it('second batch: Nemotron-4 340B on 1,536–6,144 H100 within 2.5% (2% before the 2026-12-06 refit on Table 1’s published layouts); known gaps: the 2022–23 A100 runs run slower than the model (BLOOM +21%, GLM-130B +17%, BloombergGPT under ZeRO-3 +45%; +22%, +20% and +48% before)', () => {
    for (const c of of('nemotron-4-340b-2024')) expectBetween(error(c), -0.025, 0.025);
    expect(of('nemotron-4-340b-2024')).toHaveLength(3);
    expectBetween(errorOf('bloom176b-tr11-a100x384-tp4-pp12-dp8-mbs2-gbs2048'), 0.187, 0.227);
    expectBetween(errorOf('glm130b-a100-40gb-x768-tp4-pp8-dp24-mbs1-gbs4224'), 0.15, 0.19);
    expectBetween(errorOf('bloomberggpt50b-a100-40gb-x512-zero3-mics128-gbs2048'), 0.428, 0.468);
  });

  it('third batch, known gaps: JAX-Toolbox’s Paxml tables a median 9.2% fast (12.2% before the 2026-12-06 refit on Table 1’s published layouts; the 23.10 container’s non-TE rows up to +39%, +49% before); Fast-LLM’s SmolLM2-135M −30% (H100), +74% (V100; +82% before), its Llama 3.1 8B −7%', () => {
    const jax = of('jax-toolbox-pax-maxtext').map(error);
    expect(jax).toHaveLength(22);
    expectBetween(middle(jax.map(Math.abs)), 0.082, 0.102);
    expectBetween(errorOf('pax-2310-a100x64-gpt126m-dp64-mb4-bf16'), 0.375, 0.395);
    expectBetween(errorOf('pax-2404-h100x256-gpt175b-fsdp256-mb6-te-fp8'), -0.011, 0.009);
    expectBetween(errorOf('fastllm-h100x8-smollm2-135m-dp8-mb60-bf16'), -0.306, -0.286);
    expectBetween(errorOf('fastllm-v100x8-smollm2-135m-dp8-mb12-fp16'), 0.732, 0.752);
    expectBetween(errorOf('fastllm-h100x32-llama31-8b-zero2-dp32-mb2-bf16'), -0.08, -0.06);
  });

  it('fourth batch, known gap for issue 15’s one-GPU GPT-2 case (within 15% asked): GPT-2 1.5B at micro-batch 16 runs faster than the model, −17.8% on one H200 (nanoGPT, torch.compile) and −13.2% on 8 H100 (gollem; −18.9% and −14.7% before the 2026-12-06 refit on Table 1’s published layouts)', () => {
    expectBetween(errorOf('nanogpt-gpt2xl-nobias-h200x1-compile-mb16-acc64'), -0.188, -0.168);
    expectBetween(errorOf('gollem-gpt2-1.5b-h100x8-ddp-zero1-compile-mb16-acc8'), -0.142, -0.122);
  });

  it('fifth batch: AMD Primus on MI325X, Llama 2 7B −0.8% and Llama 3.1 70B at 8K −0.8% (−1.9% and −1.2% before the 2026-12-06 refit on Table 1’s published layouts); known gaps: Llama 2 70B under FSDP2 +10.8%, Mixtral 8x7B with EP 8 +22.7%', () => {
    expectBetween(errorOf('primus-llama2-7b-mi325x64-zero1-mb4-fp8'), -0.018, 0.002);
    expectBetween(errorOf('megatron-llama31-70b-mi325x64-fsdp2-mb4-fp8'), -0.018, 0.002);
    expectBetween(errorOf('primus-llama2-70b-mi325x16-fsdp2-mb10-fp8'), 0.098, 0.118);
    expectBetween(errorOf('primus-mixtral-8x7b-mi325x64-ep8-mb2-bf16'), 0.217, 0.237);
  });

  it('sixth batch: InternLM 7B on 8–1,024 A100 over 4 × 100 Gb/s RoCE, a median 3.5% (the constant 16.4%), within 11% on 34 of 46 rows; known gaps: at 128–1,024 GPUs with the optimizer state sharded over every rank +12% to +75% (+77% before the 2026-12-06 refit), two or one micro-batches a step on 512 and 1,024 GPUs +21% to +49% (+52% before)', () => {
    const { rows, errors } = sized('internlm-7b-a100-train-performance', 46);
    expectBetween(middle(errors.map(Math.abs)), 0.025, 0.045);
    expectBetween(middle(rows.map((c) => Math.abs(constantError(c)))), 0.154, 0.174);
    expect(errors.filter((e) => Math.abs(e) <= 0.11)).toHaveLength(34);
    const byId = (id: string) => errorOf(`internlm-7b-${id}`);
    expectBetween(byId('a100x8-tp1-zero1all-mb2x4-varlen'), 0.002, 0.022);
    expectBetween(byId('a100x512-tp1-zero1all-mb2x4-varlen'), 0.379, 0.399);
    expectBetween(byId('a100x1024-tp1-zero1all-mb2x4-varlen'), 0.739, 0.759);
    expectBetween(byId('a100x1024-tp2-zero1g4-mb4x4-varlen'), 0.069, 0.089);
    expectBetween(byId('a100x1024-tp1-zero1g8-mb8x1-ckpt'), 0.003, 0.023);
    expectBetween(byId('a100x1024-tp1-zero1g8-mb2x1-nockpt'), 0.478, 0.498);
  });

  it('sixth batch, known gap: Megatron-LLaMA’s 13B, whose layout the source does not give, a median 28% fast (29% before the 2026-12-06 refit; the constant 8.8%): +7% on 32 A100, up to +47% on 256 and 512 (+49% before the refit, +54% before its DistributedOptimizer rows stated FP32 gradients, post hoc), the HF + DeepSpeed ZeRO-2 row +35%', () => {
    const rows = of('megatron-llama-13b-a100');
    expect(rows).toHaveLength(6);
    expectBetween(middle(rows.map(error)), 0.271, 0.291);
    const byId = (id: string) => errorOf(`mllama-13b-${id}`);
    expectBetween(byId('a100x32-distopt-gbs2048'), 0.065, 0.085);
    expectBetween(byId('a100x32-hf-deepspeed-zero2-gbs2048'), 0.336, 0.356);
    expectBetween(byId('a100x512-distopt'), 0.464, 0.484);
  });

  it('seventh batch, known gap: COAT’s Llama 2 7B and 13B on 2–8 H100 (layout read from its memory columns) run at 0.38–0.74 of the model, +36% to +161% (+34% to +163% before the 2026-12-06 refit; median 54%; the constant 84%); its FP8 gains 1.12–1.43× measured, 1.36–1.42× modelled (1.35–1.40× before)', () => {
    const { errors } = sized('coat-fp8-llama2-h100', 10);
    expectBetween(middle(errors.map(Math.abs)), 0.534, 0.554);
    expectBetween(Math.min(...errors), 0.349, 0.369);
    expectBetween(Math.max(...errors), 1.602, 1.622);
    for (const id of ['7b-h100x2-mb1', '7b-h100x4-mb2', '7b-h100x8-mb4', '13b-h100x4-mb1', '13b-h100x8-mb2']) {
      const g = gainOf(`coat-llama2-${id}-bf16`, `coat-llama2-${id}-te-fp8`);
      expectBetween(g.measured, 1.11, 1.44);
      expectBetween(g.model, 1.35, 1.43);
    }
  });

  it('eighth batch: FlagPerf’s Megatron-LM Llama-3-shaped 8B on 8 and 16 H100 within 5% in BF16 and FP8 (its FP8 gain 1.27× against the measured 1.29–1.30×) and 70B on 64 −2.2%; known gaps: the 440-GPU reference row +16.8%, ChatGLM3-6B under DeepSpeed ZeRO-3 −41.0%', () => {
    expect(of('flagperf-h100')).toHaveLength(7);
    const byId = (id: string) => errorOf(`flagperf-${id}`);
    for (const id of ['llama3-8b-h100x8-tp2-dp4-bf16', 'llama3-8b-h100x8-tp2-dp4-fp8', 'llama3-8b-h100x16-tp2-dp8-bf16', 'llama3-8b-h100x16-tp2-dp8-fp8']) {
      expectBetween(byId(id), -0.01, 0.057);
    }
    expectBetween(byId('llama3-70b-h100x64-tp8-pp4-dp2-bf16'), -0.032, -0.012);
    expectBetween(byId('llama3-8b-h100x440-tp2-dp220-bf16-gbs1760'), 0.158, 0.178);
    expectBetween(byId('chatglm3-6b-h100x8-zero3-bf16'), -0.42, -0.4);
    for (const n of [8, 16]) {
      const g = gainOf(`flagperf-llama3-8b-h100x${n}-tp2-dp${n / 2}-bf16`, `flagperf-llama3-8b-h100x${n}-tp2-dp${n / 2}-fp8`);
      expectBetween(g.model - g.measured, -0.07, 0.01);
    }
  });

  it('ninth batch: MLPerf v3.0’s and v3.1’s GPT-3 175B in FP8 on 512 to 10,752 H100 (NeMo, TP 4 × PP 8 × 12 chunks) within −17% to −1% (median −8.4%; −16% to +0.3% and −7.4% before the 2026-12-06 refit; the constant +31%), where the same benchmark’s v4 rows, a year’s software later, sit at −22% to −24%', () => {
    const rows = of('mlperf-gpt3-175b').filter((c) => /^mlperf-v3[01]-/.test(c.row.id));
    expect(rows).toHaveLength(12);
    const errors = rows.map(error);
    expectBetween(middle(errors), -0.094, -0.074);
    expectBetween(Math.min(...errors), -0.18, -0.16);
    expectBetween(Math.max(...errors), -0.021, -0.001);
    expectBetween(middle(rows.map(constantError)), 0.302, 0.322);
  });

  // Tenth batch (declared in 09f2238, compared once, 2026-12-06, with the constants of 1a12514).
  it('tenth batch, known gap: Aleph Alpha’s Llama 13B/30B/65B layout sweeps on 64–256 A100 (59 trials) a median 29% fast (the constant 22%), more the more tensor parallelism: median +12% at TP 1, +18% at TP 2, +37% at TP 4, +70% at TP 8 (−7% to +107%)', () => {
    const { rows, errors } = sized('efficient-layouts-aleph-alpha-a100', 59);
    expectBetween(middle(errors.map(Math.abs)), 0.282, 0.302);
    expectBetween(middle(rows.map((c) => Math.abs(constantError(c)))), 0.213, 0.233);
    expectBetween(Math.min(...errors), -0.081, -0.061);
    expectBetween(Math.max(...errors), 1.057, 1.077);
    for (const [tp, centre] of [
      [1, 0.117],
      [2, 0.181],
      [4, 0.369],
      [8, 0.697],
    ] as const) {
      expectBetween(middle(rows.filter((c) => c.row.parallelism.tp === tp).map(error)), centre - 0.01, centre + 0.01, `TP ${tp}`);
    }
  });

  it('tenth batch: OLMo-core on 8 H100, the 7B and the Llama-3-8B shape within 3% in BF16 and FP8 (FP8 gains 1.302× and 1.314× against the measured 1.300× and 1.316×); known gaps: the 1B −16% and −15%, the 13B at one sequence a micro-batch +12% (BF16) and +26% (FP8, its gain 1.35× against 1.20×)', () => {
    expect(of('olmo-core-h100-2024')).toHaveLength(8);
    for (const id of ['olmo2-7b', 'llama3-8b-shape']) for (const p of ['bf16', 'fp8']) expectBetween(errorOf(`olmocore-${id}-h100x8-${p}`), -0.035, 0.0);
    expectBetween(errorOf('olmocore-olmo2-1b-h100x8-bf16'), -0.168, -0.148);
    expectBetween(errorOf('olmocore-olmo2-1b-h100x8-fp8'), -0.156, -0.136);
    expectBetween(errorOf('olmocore-olmo2-13b-h100x8-bf16'), 0.109, 0.129);
    expectBetween(errorOf('olmocore-olmo2-13b-h100x8-fp8'), 0.248, 0.268);
    for (const id of ['olmo2-7b', 'llama3-8b-shape']) {
      const g = gainOf(`olmocore-${id}-h100x8-bf16`, `olmocore-${id}-h100x8-fp8`);
      expectBetween(g.model - g.measured, -0.01, 0.01, id);
    }
  });

  it('tenth batch, known gap: the FlashAttention repository’s GPT-3 125M, 355M and 760M on 8 A100 (FlashAttention 1 with fused MLP and LayerNorm kernels) run 14–28% faster than the model (the constant 12–18%)', () => {
    expect(of('flash-attention-gpt3-small-a100')).toHaveLength(3);
    expectBetween(errorOf('fa1repo-gpt3-125m-a100x8-bf16'), -0.279, -0.259);
    expectBetween(errorOf('fa1repo-gpt3-355m-a100x8-bf16'), -0.292, -0.272);
    expectBetween(errorOf('fa1repo-gpt3-760m-a100x8-bf16'), -0.152, -0.132);
  });

  it('FP8-LM: Megatron-LM BF16 and Transformer Engine FP8 for GPT 7B, 13B and 175B within +2% to +12% (median 7.3%; +4% to +13% and 7.0% before the 2026-12-06 refit; the constant 30.6%)', () => {
    const { errors } = sized('fp8-lm-h100', 6);
    expectBetween(middle(errors), 0.063, 0.083);
    for (const e of errors) expectBetween(e, 0.007, 0.132);
  });
});

describe('the Ultra-Scale Playbook sweep (25 held-out rows, nanotron on 8 to 512 H100)', () => {
  const rows = cases.filter((c) => c.set.id === 'ultrascale-playbook');
  const signed = rows.map((c) => (c.model.tokensPerSecondPerGpu as number) / c.measured.tokensPerSecondPerGpu - 1);
  const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

  // Measured 2026-12-06, the first comparison after the rows were declared: median |error| 18.6%,
  // signed +17.7% (the model too fast), 13 of 25 within 20%; worst the 3B and 8B on 64 nodes (+202%,
  // +92%), which the fixed 1M-token batch leaves two sequences a replica. Two more cells (the 1B and
  // the 469B on 64 nodes, under 5% MFU on jobs whose start-up NCCL test measured 6 GB/s between
  // nodes) fail the set's plausibility rule above and are left out (+267% and +121% then).
  it('known gap: median |error| 12%, the model too fast (median signed +9%), each held to ±2 points (19% and +18% before nanotron’s FlashAttention-2 was timed as such)', () => {
    expect(rows).toHaveLength(25);
    expectBetween(middle(signed.map(Math.abs)) as number, 0.097, 0.137);
    expectBetween(middle(signed) as number, 0.07, 0.11);
    // 13 until collectives across nodes ran at every interface a group has in a node and paid NCCL's
    // ring latency per bucket (nanotron's 25 MiB, FP32): the 3B and 8B on 64 nodes went from +202% and +92% to +121% and −19%;
    // 15 until nanotron's FlashAttention-2 ran at its own kernel rate (FLASH_KERNELS).
    expect(signed.filter((e) => Math.abs(e) <= 0.2)).toHaveLength(19);
  });
});

describe("GPT-2 124M on one H100 (gollem, 9 held-out rows): issue 15's single-GPU case", () => {
  const error = errorOf;

  // Measured 2026-12-06, the first comparison after the rows were declared (597d813).
  it('within 15% at micro-batch 16 and 32, sequence 1,024 (issue 15): −3.5% and −4.6% (+0.1% and −1.2% before the 2026-12-06 refit)', () => {
    for (const mb of [16, 32]) expect(Math.abs(error(`gollem-gpt2-124m-h100x1-compile-mb${mb}`))).toBeLessThan(0.15);
  });

  it('known gap: 1 to 4 sequences a micro-batch run +150%, +66% and +29% too fast (+154% at one before the 2026-12-06 refit; +162%, +73% and +34% before the FlashAttention-2 rate; per-kernel overhead is not modelled), each held to ±3 points', () => {
    const bands: [number, number, number][] = [
      [1, 1.473, 1.533],
      [2, 0.634, 0.694],
      [4, 0.258, 0.318],
    ];
    for (const [mb, low, high] of bands) expectBetween(error(`gollem-gpt2-124m-h100x1-compile-mb${mb}`), low, high);
  });

  it("known gap: the notebook's one-GPU rows at 64 sequences, 18–20% above the sweep's, run 24–25% slow (21% before the FlashAttention-2 rate; held to ±2 points)", () => {
    for (const id of ['gollem-gpt2-124m-h100x1-compile-mb64-notebook', 'gollem-gpt2-124m-h100x1-compile-mb64-acc8-notebook'])
      expectBetween(error(id), -0.268, -0.22);
  });
});

describe("torchao's float8 and MXFP8 benchmarks (12 held-out rows: Llama 3 8B on one node of 8 H100, MI300X or B200)", () => {
  const rate = (id: string) => ratesOf(`torchao-llama3-8b-${id}`);
  const error = (id: string): number => errorOf(`torchao-llama3-8b-${id}`);
  const gain = (gpu: string, recipe: string, of: 'measured' | 'model'): number => rate(`${gpu}-${recipe}`)[of] / rate(`${gpu}-bf16`)[of];

  // Measured 2026-12-06, the first comparison after the rows were declared (b29c232).
  it("FP8's gain over BF16 on H100 and B200: the model's within 6% of the measured (H100 1.263 against 1.250, B200 1.317 against 1.254)", () => {
    for (const gpu of ['h100x8', 'b200x8']) {
      const ratio = gain(gpu, 'fp8-tensorwise', 'model') / gain(gpu, 'fp8-tensorwise', 'measured');
      expect(ratio).toBeGreaterThan(0.94);
      expect(ratio).toBeLessThan(1.06);
    }
  });

  it('known gap: every row runs slower than the model: H100 BF16 +14% and tensorwise FP8 +11%, rowwise +27% (no field for the recipe; +33%, +35% and +53% before SDPA’s FlashAttention-2 was timed as such), each held to ±3 points', () => {
    for (const [id, centre] of [
      ['h100x8-bf16', 0.144],
      ['h100x8-fp8-tensorwise', 0.114],
      ['h100x8-fp8-rowwise', 0.265],
    ] as const)
      expectBetween(error(id), centre - 0.03, centre + 0.03, id);
  });

  // MI300X's FP8 was +130% at the first comparison, until an FP8 GEMM ceiling without its own
  // measurement took the GPU's measured BF16 fraction instead of the generic 0.708.
  it('known gap: power-limited B200 and MI300X run well below the model (B200 BF16 +91%, MXFP8 +100%; MI300X BF16 +44%, FP8 +70%; +122%, +144%, +63% and +103% before SDPA’s FlashAttention-2 was timed as such), each held to ±5 points', () => {
    for (const [id, centre] of [
      ['b200x8-bf16', 0.909],
      ['b200x8-mxfp8-cublas', 1.003],
      ['mi300xx8-bf16', 0.436],
      ['mi300xx8-fp8-tensorwise', 0.702],
    ] as const)
      expectBetween(error(id), centre - 0.05, centre + 0.05, id);
  });
});

describe("IBM and Meta's float8 with FSDP2 on 512 H100 (4 held-out rows)", () => {
  const rate = (id: string) => ratesOf(`ibm-float8-llama3-${id}`);
  const error = (id: string): number => errorOf(`ibm-float8-llama3-${id}`);

  // Measured 2026-12-06, the first comparison after the rows were declared (794d41d).
  it('Llama 3 405B with TP 4 within 10% in BF16 and FP8 (+6.3%, +4.0%); its FP8 gain 1.40× against the measured 1.43×', () => {
    expect(Math.abs(error('405b-h100x512-tp4-fsdp-bf16'))).toBeLessThan(0.1);
    expect(Math.abs(error('405b-h100x512-tp4-fsdp-fp8'))).toBeLessThan(0.1);
    const gain = (of: 'measured' | 'model') => rate('405b-h100x512-tp4-fsdp-fp8')[of] / rate('405b-h100x512-tp4-fsdp-bf16')[of];
    expect(gain('model') / gain('measured')).toBeGreaterThan(0.95);
  });

  // −25.4% and −47.8% until FSDP's gathers across nodes ran at every interface of a node, not one.
  it("known gap: Llama 3 70B with FSDP over 512 runs −16% (BF16) and −25% (FP8) slow at gpucost's default batch, one sequence a GPU (the source tuned its batch and does not give it; −8% and −15% before SDPA's FlashAttention-2 was timed as such), each held to ±3 points", () => {
    for (const [id, centre] of [
      ['70b-h100x512-fsdp-bf16', -0.157],
      ['70b-h100x512-fsdp-fp8', -0.248],
    ] as const)
      expectBetween(error(id), centre - 0.03, centre + 0.03, id);
  });
});

describe("MLPerf Training v5.0's Llama 3.1 405B pre-training (14 held-out systems, FP8, TP × PP 8 × 8 chunks × CP 2)", () => {
  const errors = (gpu: string) => cases.filter((c) => c.set.id === 'mlperf-llama31-405b' && c.row.gpu === gpu).map((c) => errorOf(c.row.id));

  // Measured 2026-12-06, the first comparison after the rows were declared (6c93bd7).
  // Within 2% (−1.1% to +0.6%) until collectives across racks ran at every interface a data-parallel
  // group has in a rack: the model now runs faster the more racks (a regression, held here).
  it('known gap: GB200 on 256–2,496 GPUs (TP 4 inside NVL72) +0.1% to +3.9%, the model faster the more racks (each end held to ±1 point)', () => {
    const gb200 = errors('gb200');
    expect(gb200).toHaveLength(7);
    expectBetween(Math.min(...gb200), -0.009, 0.011);
    expectBetween(Math.max(...gb200), 0.029, 0.049);
  });

  it('known gap: H200 (TP 4) runs −11.4% and −11.6% slow, H100 (TP 8) −19.5% to −24.7%: the configs overlap TP communication with the GEMMs and gather FP8 weights, which the model does not (each end held to ±2 points)', () => {
    const h200 = errors('h200');
    expect(h200).toHaveLength(2);
    expectBetween(Math.min(...h200), -0.136, -0.096);
    expectBetween(Math.max(...h200), -0.134, -0.094);
    const h100 = errors('h100-sxm');
    expect(h100).toHaveLength(5);
    expectBetween(Math.min(...h100), -0.267, -0.227);
    expectBetween(Math.max(...h100), -0.215, -0.175);
  });
});

describe("MLPerf Training v5.1's Llama 3.1 8B and 405B (29 held-out systems, FP8 and NVFP4)", () => {
  const rows = cases.filter((c) => c.set.id === 'mlperf-v51-llama31');
  const errorsWhere = (pick: (c: (typeof cases)[number]) => boolean) => rows.filter(pick).map((c) => errorOf(c.row.id));
  const is405 = (c: (typeof cases)[number]) => c.row.id.startsWith('mlperf-v51-405b');

  // Measured 2026-12-06, the first comparison after the rows were declared (df14c5c).
  // All within 3% (−2.8% to +2.2%) until collectives across racks ran at every interface a group has
  // in a rack; GB200 on 2,560 and 5,120 now runs +5.8% and +8.1% (a regression, held here).
  it('405B: B200 FP8 (256 and 448 GPUs) and GB200 NVFP4 on 512 within 3% (−0.1% to +2.6%); known gap: GB200 on 2,560 and 5,120 +5.8% and +8.1% (held to ±1 point)', () => {
    expect(errorsWhere(is405)).toHaveLength(5);
    for (const id of ['university-of-florida-hpg-dgxb200x8-n32', 'university-of-florida-hpg-dgxb200x8-n56', 'nvidia-tyche-ngpu512'])
      expect(Math.abs(errorOf(`mlperf-v51-405b-${id}`))).toBeLessThan(0.03);
    expectBetween(errorOf('mlperf-v51-405b-nvidia-hsg-ngpu2560'), 0.048, 0.068);
    expectBetween(errorOf('mlperf-v51-405b-nvidia-hsg-ngpu5120'), 0.071, 0.091);
  });

  it('8B on one node of 8: B200 and GB200, NVFP4 and FP8, within 11% (−3.9% to −10.0%), the model slow', () => {
    const e = errorsWhere((c) => !is405(c) && c.row.gpus === 8);
    expect(e).toHaveLength(9);
    for (const x of e) expectBetween(x, -0.11, 0);
  });

  // They ran 1.4× (2 nodes) to 3.9× (4–32 nodes) the model (−26% to −74%) while it charged the
  // gradient reduction across nodes at one network interface a GPU; NCCL drives every interface of
  // the node, and with that and NCCL's ring latency per Megatron-Core bucket they sit within 6%, but
  // for 32 nodes.
  it('8B on 2–16 B200 nodes within 6% (−5.6% to +1.0%; −5.1% to +2.9% before the 2026-12-06 refit); known gap: on 32 nodes +12.4% (+14.8% before; held to ±2 points)', () => {
    const b200 = (c: (typeof cases)[number]) => !is405(c) && c.row.gpu === 'b200' && c.row.gpus > 8;
    const upTo16 = errorsWhere((c) => b200(c) && c.row.gpus <= 128);
    expect(upTo16).toHaveLength(10);
    for (const x of upTo16) expectBetween(x, -0.06, 0.06);
    expectBetween(errorOf('mlperf-v51-8b-university-of-florida-hpg-dgxb200x8-n32'), 0.104, 0.144);
  });

  it('known gap: 8B on 512 GB200 +30.0% (+27.9% before the 2026-12-06 refit; one sequence a replica, whole steps in CUDA graphs; −75.7% while the reduction across racks was charged at one interface a GPU), held to ±2 points', () => {
    expectBetween(errorOf('mlperf-v51-8b-nvidia-tyche-ngpu512'), 0.28, 0.32);
  });
});

describe("Megatron-LM 2021 Table 1 as throughput rows (10 fit rows, with the layouts of the authors' scripts, examples/sc21)", () => {
  // Issue 15 asks for Table 1 within 5%. Until the scripts were read (2026-12-06) the search chose the
  // micro-batch and interleaving, and the rows sat within −4.5% to +9.1%.
  it('9 of 10 within 5% (−2.8% to +3.2%); known gap: the 76.1B on 1,024 GPUs (3 chunks a stage) +6.5%, held to ±1 point', () => {
    const rows = cases.filter((c) => c.row.id.startsWith('narayanan21-t1-'));
    expect(rows).toHaveLength(10);
    for (const c of rows.filter((c) => c.row.id !== 'narayanan21-t1-gpt-76.1b-a100x1024')) expectBetween(errorOf(c.row.id), -0.05, 0.05);
    expectBetween(errorOf('narayanan21-t1-gpt-76.1b-a100x1024'), 0.055, 0.075);
  });

  // Issue 15 asks the search to pick micro-batches as practitioners do. With the scripts' micro-batch
  // and interleaving taken out of the rows (TP, PP, DP, batch and recomputation kept), the search
  // picks the authors' micro-batch for 5 of the 10 and twice it for the other 5, never less; its
  // layouts then run 2.6–8.8% faster in the model than the authors' (the search keeps the fastest).
  it('known gap: the search, given Table 1’s TP × PP × DP, picks the authors’ micro-batch for 5 of 10 rows and twice it for the rest', () => {
    const stripped: ThroughputSet[] = sets
      .filter((s) => s.id === 'megatron-lm-2021')
      .map((s) => ({
        ...s,
        rows: s.rows
          .filter((r) => r.id.startsWith('narayanan21-t1-'))
          .map((r) => {
            const { microBatch: _m, virtualStages: _v, ...rest } = r.parallelism;
            return { ...r, parallelism: rest };
          }),
      }));
    const searched = throughputCases(stripped, registry).map((c) => c.layout?.plan.microBatch);
    const authors = cases.filter((c) => c.row.id.startsWith('narayanan21-t1-')).map((c) => c.row.parallelism.microBatch);
    expect(authors).toEqual([16, 16, 16, 8, 4, 2, 2, 1, 1, 1]);
    expect(searched).toEqual([16, 16, 16, 16, 8, 4, 2, 2, 2, 1]);
  });
});

describe("MLPerf Training v4.1's GPT-3 175B (3 held-out systems, FP8, TP 4 × PP 8 × 6 chunks)", () => {
  // Measured 2026-12-06, the first comparison after the rows were declared.
  it('known gap: H100 on 256 and 512 GPUs run −23.9% and −22.4% slow (TP communication overlapped with the GEMMs, as in every MLPerf H100 config); B200 on 64 −15.3% (each held to ±2 points)', () => {
    expectBetween(errorOf('mlperf-v41-gpt3-eos-n32'), -0.259, -0.219);
    expectBetween(errorOf('mlperf-v41-gpt3-eos-n64'), -0.244, -0.204);
    expectBetween(errorOf('mlperf-v41-gpt3-b200-n8-preview-nemo'), -0.173, -0.133);
  });
});

describe('MLPerf Training v5.1 on B300 and GB300 (8 held-out systems, FP8 and NVFP4; presets from secondary tables)', () => {
  const errors = (pick: (id: string) => boolean) =>
    cases.filter((c) => c.set.id === 'mlperf-v51-llama31-blackwell-ultra' && pick(c.row.id)).map((c) => errorOf(c.row.id));

  // Measured 2026-12-06, the first comparison after the rows were declared; the B300's measured matmul
  // rates (added after it) took its four one-node rows from −9…−12% to −8…−11%.
  // The 405B ran +2.4%, within 3%, until collectives across racks ran at every interface of a rack.
  it('known gap: 405B on 512 GB300 +3.9% (+3.5% before the 2026-12-06 refit, +4.3% before the kernel classes; held to ±1 point); 8B on one node of 8 within −8.0% to −16.8% (the model slow; −9% to −18.1% before the refit), on 72 GB300 −7%', () => {
    expectBetween(errorOf('mlperf-v51-405b-nvidia-theia-ngpu512'), 0.029, 0.049);
    const oneNode = errors((id) => id.includes('8b') && !/ngpu(72|512)/.test(id));
    expect(oneNode).toHaveLength(5);
    for (const e of oneNode) expectBetween(e, -0.178, -0.07);
    expectBetween(errorOf('mlperf-v51-8b-nvidia-theia-ngpu72'), -0.087, -0.047);
  });

  it('known gap: 8B on 512 GB300 +24.8% (+22.7% before the 2026-12-06 refit; one sequence a replica; −54.5% while the reduction across racks was charged at one interface a GPU), held to ±2 points', () => {
    expectBetween(errorOf('mlperf-v51-8b-nvidia-theia-ngpu512'), 0.228, 0.268);
  });
});

describe('mixtures of experts (issue 16: holdout median ≤ 15%)', () => {
  const moe = cases.filter((c) => c.split === 'holdout' && c.arch.moe !== undefined);
  const errors = moe.map((c) => Math.abs((c.model.tokensPerSecondPerGpu as number) / c.measured.tokensPerSecondPerGpu - 1)).sort((a, b) => a - b);

  it('every MoE row runs through the step-time model, with expert parallelism', () => {
    expect(moe.length).toBeGreaterThanOrEqual(41);
    for (const c of moe) expect(c.model.tokensPerSecondPerGpu, c.row.id).not.toBeNull();
    expect(moe.some((c) => (c.layout?.plan.ep ?? 1) > 1)).toBe(true);
  });

  // Measured 2026-12-06: 8.9% over 42 rows since the refit on Megatron-LM Table 1's published layouts, 7.7% before it since fused attention ran at each framework's kernel rate (9.6% before, 10.8% before the search tried 7 chunks a stage; DeepSeek-V3's report, Megatron-MoE-ModelZoo's Qwen3-235B,
  // torchtitan's DeepEP Qwen3-30B on B200, the MoE Parallel Folding paper's Mixtral 8x22B); 22.3% on the
  // first 13 before MoE layers kept a copy of each token's activations per expert it visits (moeMlpScale).
  it('median |error| of the MoE holdout rows within 15%', () => {
    expect(errors[Math.floor((errors.length - 1) / 2)]).toBeLessThan(0.15);
  });
});

describe("the step-time model's range (issue 17, item 3)", () => {
  it('STEP_TIME_MODEL_RANGE is the narrowest interval of measured ÷ predicted holding 90% of the holdout rows', () => {
    const best = narrowestCovering(
      cases
        .filter((c) => c.split === 'holdout' && c.model.tokensPerSecondPerGpu !== null)
        .map((c) => c.measured.tokensPerSecondPerGpu / (c.model.tokensPerSecondPerGpu as number)),
      0.9,
    );
    expect(best[0]).toBeCloseTo(STEP_TIME_MODEL_RANGE.low, 2);
    expect(best[1]).toBeCloseTo(STEP_TIME_MODEL_RANGE.high, 2);
  });

  it('CONTEXT_PARALLEL_LOWEST_RATIO is the slowest held-out context-parallel row, MLPerf v5.1’s 8B on 512 GB200 (0.77; 0.78 before the 2026-12-06 refit): Megatron-Core’s within 0.85–1.13, MLPerf’s NeMo 405B runs 0.97–1.33, TorchTitan’s 0.95–1.29 (0.59–0.87 before the fused-attention kernel classes)', () => {
    const cpRows = cases.filter((c) => c.split === 'holdout' && c.model.tokensPerSecondPerGpu !== null && (c.layout?.plan.cp ?? 1) > 1);
    const ratio = (c: (typeof cases)[number]) => c.measured.tokensPerSecondPerGpu / (c.model.tokensPerSecondPerGpu as number);
    expect(cpRows).toHaveLength(45);
    expect(Math.min(...cpRows.map(ratio))).toBeCloseTo(CONTEXT_PARALLEL_LOWEST_RATIO, 3);
    expect(Math.max(...cpRows.map(ratio))).toBeCloseTo(CONTEXT_PARALLEL_HIGHEST_RATIO, 2);
    const titan = cpRows.filter((c) => c.set.id === 'torchtitan-llama3').map(ratio);
    const mlperf = cpRows.filter((c) => c.set.id === 'mlperf-llama31-405b').map(ratio);
    expect(mlperf).toHaveLength(14);
    // 0.99 at the least until collectives across racks ran at every interface of a rack.
    expectBetween(Math.min(...mlperf), 0.955, 0.975);
    expectBetween(Math.max(...mlperf), 1.32, 1.34);
    const megatron = cpRows
      .filter((c) => !['torchtitan-llama3', 'mlperf-llama31-405b', 'mlperf-v51-llama31', 'mlperf-v51-llama31-blackwell-ultra'].includes(c.set.id))
      .map(ratio);
    expect(titan).toHaveLength(6);
    // 0.59–0.87 while every framework's attention ran at one kernel rate (TorchTitan calls FlashAttention-2 through SDPA).
    expectBetween(Math.min(...titan), 0.93, 0.96);
    expectBetween(Math.max(...titan), 1.26, 1.29);
    // 0.83 (0.89 until the search tried 7 chunks a stage) while Megatron-Core's cuDNN attention ran at FlashAttention-2's rate.
    expectBetween(Math.min(...megatron), 0.83, 0.86);
    expectBetween(Math.max(...megatron), 1.11, 1.14);
  });

  it('SMALL_STEP_LAYER_SECONDS: the rows under 2 ms of GPU work per layer and micro-batch that launch kernels one by one are gollem’s GPT-2 at 1–4 sequences, at 0.40–0.77 of the model (the top of SMALL_STEP_MEASURED_RANGE; 0.39–0.78 before the 2026-12-06 refit, 0.38–0.75 before the FlashAttention-2 rate); the next row above runs at 0.91 (0.88 before the FlashAttention-2 rate)', () => {
    const perLayer = (c: (typeof cases)[number]) =>
      c.layout
        ? layerSecondsPerMicroBatch(stepTime(c.arch, c.layout.plan, c.layout.hardware, DEFAULT_PERF_CONSTANTS, c.layout.options), c.layout.plan, c.arch.layers)
        : Infinity;
    const ratio = (c: (typeof cases)[number]) => c.measured.tokensPerSecondPerGpu / (c.model.tokensPerSecondPerGpu as number);
    // MLPerf v5.1's Llama 3.1 8B on 512 GB200 and 512 GB300 (1.2 ms) capture whole steps in CUDA
    // graphs, so they launch no kernels one by one; they run at 0.78 and 0.81 of the model (4.1× and
    // 2.2× while it charged their gradient reduction across racks at one network interface a GPU;
    // 0.77 and 0.80 since the 2026-12-06 refit).
    const graphed = ['mlperf-v51-8b-nvidia-tyche-ngpu512', 'mlperf-v51-8b-nvidia-theia-ngpu512'];
    const under = cases.filter((c) => perLayer(c) < SMALL_STEP_LAYER_SECONDS);
    for (const id of graphed) expectBetween(ratio(under.find((c) => c.row.id === id) as (typeof cases)[number]), 0.76, 0.82);
    const small = under.filter((c) => !graphed.includes(c.row.id));
    expect(small.map((c) => c.row.id).sort()).toEqual([
      'gollem-gpt2-124m-h100x1-compile-mb1',
      'gollem-gpt2-124m-h100x1-compile-mb2',
      'gollem-gpt2-124m-h100x1-compile-mb4',
    ]);
    expect(Math.max(...small.map(ratio))).toBeCloseTo(SMALL_STEP_MEASURED_RANGE.high, 3);
    expect(Math.min(...small.map(ratio))).toBeGreaterThan(SMALL_STEP_MEASURED_RANGE.low);
    const next = cases.filter((c) => perLayer(c) >= SMALL_STEP_LAYER_SECONDS).sort((a, b) => perLayer(a) - perLayer(b))[0] as (typeof cases)[number];
    expect(next.row.id).toBe('gollem-gpt2-124m-h100x1-compile-mb8');
    expectBetween(ratio(next), 0.91, 0.93);
  });

  it('HOST_BOUND: a step that small under --perf model says so and its range reaches down to the slowest such row; a larger micro-batch, or a measured rate, does not', async () => {
    type E = { tflopsPerGpu: number; tflopsPerGpuLow: number; warnings: { code: string; detail: { microBatch: number; layerSeconds: number } }[] };
    const args = ['estimate', '--model', 'gpt2-124m', '--gpu', 'h100', '--gpus', '1', '--tokens', '1e9', '--global-batch', '64', '--perf', 'model'];
    const small = (await cliJson<{ estimates: E[] }>([...args, '--micro-batch', '1'])).json.estimates[0] as E;
    const w = small.warnings.find((x) => x.code === 'HOST_BOUND');
    expect(w?.detail.microBatch).toBe(1);
    expect(w?.detail.layerSeconds).toBeLessThan(SMALL_STEP_LAYER_SECONDS);
    expect(small.tflopsPerGpuLow / small.tflopsPerGpu).toBeCloseTo(SMALL_STEP_MEASURED_RANGE.low, 6);
    const large = (await cliJson<{ estimates: E[] }>([...args, '--micro-batch', '32'])).json.estimates[0] as E;
    expect(large.warnings.map((x) => x.code)).not.toContain('HOST_BOUND');
    expect(large.tflopsPerGpuLow / large.tflopsPerGpu).toBeCloseTo(STEP_TIME_MODEL_RANGE.low, 6);
    const measured = (
      await cliJson<{ estimates: E[] }>([
        'estimate',
        '--model',
        'gpt2-124m',
        '--gpu',
        'h100',
        '--gpus',
        '1',
        '--tokens',
        '1e9',
        '--micro-batch',
        '1',
        '--tokens-per-sec',
        '50000',
      ])
    ).json.estimates[0] as E;
    expect(measured.warnings.map((x) => x.code)).not.toContain('HOST_BOUND');
  });

  it('a layout with context parallelism reaches down to that ratio and says why (CONTEXT_PARALLEL_SLOWER); one without does not', async () => {
    type E = {
      tflopsPerGpu: number;
      tflopsPerGpuLow: number;
      tflopsPerGpuHigh: number;
      plan: { cp: number };
      warnings: { code: string; detail: { cp: number } }[];
    };
    const args = ['estimate', '--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '8', '--tokens', '1e9', '--perf', 'model'];
    const long = (await cliJson<{ estimates: E[] }>([...args, '--seq-len', '131072', '--cp', '4'])).json.estimates[0] as E;
    expect(long.plan.cp).toBe(4);
    // The lower of the two: since MLPerf v5.1's rows the general range reaches below the CP floor.
    expect(long.tflopsPerGpuLow / long.tflopsPerGpu).toBeCloseTo(Math.min(CONTEXT_PARALLEL_LOWEST_RATIO, STEP_TIME_MODEL_RANGE.low), 6);
    expect(long.tflopsPerGpuHigh / long.tflopsPerGpu).toBeCloseTo(STEP_TIME_MODEL_RANGE.high, 6);
    expect(long.warnings.find((w) => w.code === 'CONTEXT_PARALLEL_SLOWER')?.detail.cp).toBe(4);
    const short = (await cliJson<{ estimates: E[] }>(args)).json.estimates[0] as E;
    expect(short.plan.cp).toBe(1);
    expect(short.warnings.map((w) => w.code)).not.toContain('CONTEXT_PARALLEL_SLOWER');
    const given = (await cliJson<{ estimates: E[] }>([...args, '--seq-len', '131072', '--cp', '4', '--mfu-range', '0.2..0.4'])).json.estimates[0] as E;
    expect(given.warnings.map((w) => w.code)).not.toContain('CONTEXT_PARALLEL_SLOWER');
  });

  it('an estimate under --perf model lies inside its own range', async () => {
    type Ranged = {
      tflopsPerGpu: number;
      tflopsPerGpuLow: number;
      tflopsPerGpuHigh: number;
      wallClockDays: number;
      wallClockDaysLow: number;
      wallClockDaysHigh: number;
    };
    const { json } = await cliJson<{ estimates: Ranged[] }>(['estimate', '--model', 'llama3-70b', '--gpu', 'h100', '--gpus', '1024', '--perf', 'model']);
    const e = json.estimates[0] as Ranged;
    expect(e.tflopsPerGpuLow).toBeLessThan(e.tflopsPerGpu);
    expect(e.tflopsPerGpuHigh).toBeGreaterThan(e.tflopsPerGpu);
    expect(e.tflopsPerGpuLow / e.tflopsPerGpu).toBeCloseTo(STEP_TIME_MODEL_RANGE.low, 6);
    expect(e.wallClockDaysLow).toBeLessThanOrEqual(e.wallClockDays);
    expect(e.wallClockDaysHigh).toBeGreaterThanOrEqual(e.wallClockDays);
  });
});
