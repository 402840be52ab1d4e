// Issue 20, item 5: the fine-tuning validation set (presets/finetune/), fit and holdout declared by
// source before fitting (docs/finetune-measurements.md), and `gpucost backtest --finetune`. Each
// figure is held in a band two points wide, so that improvements and regressions both show; issue 20
// asks for memory within 10% and time within 20% on the holdout.
import { describe, expect, it } from 'vitest';
import { expectBetween } from '../helpers/bands.js';
import { SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES } from '../../src/core/memory.js';
import { builtinFinetuneSets } from '../../src/presets/builtin-finetune.js';
import { finetuneCases, finetuneSummaries } from '../../src/resolve/finetune-backtest.js';
import { MEMORY_PEAK_SPREAD, FINETUNE_STEP_TIME_RANGE, SMALL_STEP_LAYER_SECONDS, SMALL_STEP_MEASURED_RANGE, narrowestCovering } from '../../src/core/range.js';
import { ADAPTER_PERF_ORIGIN } from '../../src/resolve/estimate.js';
import { checkCatalog } from '../../src/presets/check-catalog.js';
import { emptyCatalog } from '../../src/presets/catalog.js';
import { cliJson, estimateJson } from '../helpers/cli.js';
import { registry } from '../helpers/presets.js';

const cases = finetuneCases(builtinFinetuneSets(), registry);
const [fit, holdout] = finetuneSummaries(cases);
/** Held-out sources declared on 2026-12-06 after the model's last change, and compared once (docs/finetune-measurements.md H5–H8). */
const FRESH_FINETUNE_SETS = [
  'answerai-fsdp-qlora-benchmarks',
  'litgpt-config-hub-a10g',
  'torchtune-readme-optimization-flags',
  'peft-docs-deepspeed-llama2-70b',
  'torchtune-docs-lora-tutorials-2024',
];

describe('the fine-tuning validation set', () => {
  it('13 fit rows (ms-swift) and 213 holdout rows (torchtune, Hugging Face + FlashAttention-2 via Unsloth, 67 MLPerf v4.0–v5.0 systems and 46 of v5.1, 13 LitGPT, 10 fms-acceleration, 24 Qwen README, and the 45 of six fresh sources), each with a citation', () => {
    expect(fit).toMatchObject({ split: 'fit', memoryRows: 13, speedRows: 0 });
    expect(holdout).toMatchObject({ split: 'holdout', memoryRows: 79, speedRows: 181 });
    for (const set of builtinFinetuneSets()) expect(set.sources[0]?.url, set.id).toMatch(/^https:\/\//);
  });

  it('fit memory: median |error| 5.2%, signed −2.4% (the 512-token rows within 10%; 2,048-token rows 17–51% low)', () => {
    expect(fit?.memoryMedianAbsError).toBeGreaterThanOrEqual(0.042);
    expect(fit?.memoryMedianAbsError).toBeLessThanOrEqual(0.062);
  });

  it('holdout memory median |error| 6.4% (signed −1.6%; 7.0% and −1.4% before reserved peaks were compared as reserved, 7.3% and −1.2% before the pure-bf16 rows declared adamw-bf16, 7.1% and −1.5% before torchtune’s tutorials, 5.3% and −2.9% on the 55 rows before the fresh sources), not clean on those 55: LitGPT’s and fms-acceleration’s QLoRA rows were given their stack’s behaviour after their errors were seen (5.3% on the 47 other rows), and the activations were counted tensor by tensor for eager kernels after all these rows had been seen; holdout tokens/s 11.1% (10.1% on the 149 before)', () => {
    // The fresh sources (FRESH_FINETUNE_SETS, declared after the model's last change and compared once) are
    // scored in their own test below; the history in this one is that of the 55 memory and 149 tokens/s
    // rows before them.
    // Tensor by tensor for eager PyTorch (--kernels eager, fine-tuning's default; 2026-12-06): 7.0%
    // (signed −3.9%) → 5.3% (−2.9%), 7.4% → 5.3% on the untouched rows, 7.9% → 7.4% on the 42 not
    // LitGPT's. The count is the kernels' saved tensors, with no fitted parameter, but it was written
    // after these rows had been compared. With the Qwen README's 24 rows (declared holdout before any estimate): memory 7.0% / −3.1% → 7.0% /
    // −3.9%, 8.2% → 7.4% on the untouched rows, tokens/s 11.3% → 12.2%. Before them:
    // 10.6% (signed −7.0%) before fms-acceleration's four QLoRA rows declared --peft-prepare (TRL's
    // SFTTrainer runs PEFT's prepare_model_for_kbit_training, whose fp32 norms make the activations
    // 32-bit; −12% to −33% → −4% to +9%), a declaration made after their errors were seen.
    // 8.2% on 21 rows before fms-acceleration's 10 joined (declared holdout before any estimate: LoRA
    // −3% to −11%, QLoRA −12% to −33%). 19.2% before --bnb-legacy gave LitGPT's four QLoRA rows
    // (bitsandbytes 0.41.1) the 4-bit layers' inputs old bitsandbytes kept, a term found by looking at
    // those held-out rows (no fitted parameter: the widths are the architecture's), so the figure is
    // not a clean holdout one; the 18 rows other than LitGPT's miss by 18.1%. 33.2% before torchtune's rows were given the
    // chunked loss their recipes use (+50% → +29% LoRA, +94% → +48% QLoRA); 31.9% before its two
    // 8-GPU rows (70B LoRA +6.3%, 405B QLoRA +19.2%) joined.
    expect(holdout?.memoryMedianAbsError).toBeGreaterThanOrEqual(0.061);
    expect(holdout?.memoryMedianAbsError).toBeLessThanOrEqual(0.081);
    expect(holdout?.memoryMedianError).toBeGreaterThanOrEqual(-0.025);
    expect(holdout?.memoryMedianError).toBeLessThanOrEqual(-0.005);
    const before = cases.filter((c) => !FRESH_FINETUNE_SETS.includes(c.set.id));
    const declaredAfter = (c: (typeof cases)[number]) => c.row.method === 'qlora' && ['litgpt-resource-tables', 'fms-acceleration-a100'].includes(c.set.id);
    const untouched = before
      .filter((c) => c.split === 'holdout' && c.error.memory !== null && !declaredAfter(c))
      .map((c) => Math.abs(c.error.memory as number))
      .sort((a, b) => a - b);
    expect(untouched).toHaveLength(47);
    expect(untouched[23]).toBeGreaterThanOrEqual(0.043);
    expect(untouched[23]).toBeLessThanOrEqual(0.063);
    const others = before.filter((c) => c.split === 'holdout' && c.error.memory !== null && c.set.id !== 'litgpt-resource-tables');
    const abs = others.map((c) => Math.abs(c.error.memory as number)).sort((a, b) => a - b);
    const mid = (abs[abs.length / 2 - 1] as number) / 2 + (abs[abs.length / 2] as number) / 2;
    expect(others).toHaveLength(42);
    expect(mid).toBeGreaterThanOrEqual(0.064);
    expect(mid).toBeLessThanOrEqual(0.084);
    // Tokens/s 12.0% before MLPerf's FP8 attention (FP8_DPA) was declared and timed (2026-12-06, after
    // these rows had been compared), 12.2% before the MI325X and B300 took their measured matmul rates,
    // 11.3% before v5.1's nine B300 and GB300 systems, 12.2% before MLPerf v5.1's first 37 LoRA systems.
    expectBetween(holdout?.speedMedianAbsError as number, 0.101, 0.121);
  });

  it('the step-time model beats one constant on held-out tokens/s: median |error| 11.1% against 25.2% (peak × 0.309), 90th percentile 34.7% against 41.1% (32.7% against 41.2% on the 177 before XTuner’s four full fine-tunes; 10.1%, 27.9% and 40.6% on the 149 rows before the fresh sources; 10.7% before Ada’s fused attention took its own rate and three MLPerf rows’ FP8 settings were read from their logs; 12.0% and 28.8% against 29.9% and 43.5% before MLPerf’s FP8 attention was timed; 31.0% before eager PyTorch’s attention was timed as FlashAttention-2)', () => {
    // The constant is the default utilisation calibrated on published pre-training runs; the fit source
    // (ms-swift) measures memory only, so nothing on the fine-tuning side refits it. On the 103 rows
    // before MLPerf v5.1's 37: 12.2% against 29.5%, 40.8% against 41.0%; on the 140 before its B300 and GB300 systems,
    // 11.3% against 29.8%, 31.0% against 43.0%. On the 79 rows
    // before the Qwen README's: 11.3% against 31.0%, 28.6% against 40.4%. Its short-sequence rows run
    // at a nearly fixed second a step whatever the length (Python-side overhead of eager PyTorch on
    // one sequence of 256-1,024 tokens), which neither predictor has: up to +394% and +710%.
    const band = (value: number | null | undefined, centre: number) => {
      expectBetween(value as number, centre - 0.01, centre + 0.01);
    };
    band(holdout?.speedMedianAbsError, 0.111);
    band(holdout?.speedP90AbsError, 0.347);
    band(holdout?.speedConstantMedianAbsError, 0.253);
    band(holdout?.speedConstantP90AbsError, 0.412);
  });

  it("known gap: row by row, 56 of 79 held-out memory rows are within issue 20's 10% and 149 of 181 tokens/s rows within its 20% (147 before the 2026-12-06 refit of the step-time constants; 146 of 177 before XTuner's four)", () => {
    // 51 of 79 before Answer.AI's reserved peaks were compared as reserved (memoryMetric reserved, 2026-12-06, after they had been seen).
    // 49 of 79 before the pure-bf16 rows (torchtune's, Answer.AI's) declared --optimizer adamw-bf16, a field added after they were compared.
    // The five fresh sources add 10 of 24 memory rows and 18 of 28 tokens/s rows within. Before them: 39 of 55 and 128 of 149.
    // Memory: 36 of 55 before the activations were counted for eager kernels.
    // Tokens/s: 126 of 149 before three MLPerf rows' FP8 settings were read from their logs (HPE's H200 row as FP8, −31% → +4%); 114 of 149 before MLPerf's FP8 attention was timed, 111 before eager PyTorch's attention was timed as FlashAttention-2 and Transformer Engine's as cuDNN's (FLASH_KERNELS).
    // 107 of 140 before v5.1's B300 and GB300 systems (4 of the 9 within); 72 of 103 before MLPerf v5.1's 37 LoRA systems (35 of them within); 19 of 31 and 61 of 79 before
    // the Qwen README's 24 rows (17 and 11 of them within).
    expect(holdout).toMatchObject({ memoryRowsWithinBar: 56, speedRowsWithinBar: 149 });
  });

  it('known gap: the fresh sources: memory within 10% on 17 of 24 rows since their reserved peaks were compared as reserved and their pure-bf16 optimizer was stated (memoryMetric reserved and adamw-bf16, both added after the comparison), 12 of 24 before the first, 10 of 24 as they came out (LitGPT on A10G 6 of 7, median 2.6%; Answer.AI 8 of 11, its QLoRA rows −6% to +30%, +5% to +77% before reserved, +13% to +89% as they came out; PEFT’s 70B −11%; torchtune’s tutorials 3 of 5, 1 of 5 as they came out), tokens/s within 20% on 18 of 28 (Answer.AI 13 of 22, median 16%, its one-sequence 512-token steps +98% and +502%, +102% and +478% before the 2026-12-06 refit on Table 1’s published layouts; torchtune’s flags 5 of 6, 14–22% slow)', () => {
    const fresh = cases.filter((c) => FRESH_FINETUNE_SETS.includes(c.set.id));
    expect(fresh).toHaveLength(41);
    const memory = fresh.flatMap((c) => (c.error.memory === null ? [] : [c.error.memory]));
    const speed = fresh.flatMap((c) => (c.error.speed === null ? [] : [c.error.speed]));
    expect(memory).toHaveLength(24);
    expect(speed).toHaveLength(28);
    expect(memory.filter((e) => Math.abs(e) <= 0.1)).toHaveLength(17);
    expect(speed.filter((e) => Math.abs(e) <= 0.2)).toHaveLength(18);
    const of = (id: string) => fresh.find((c) => c.row.id === id)?.error;
    expectBetween(of('answerai-3090x2-l2-7b-lora-ctx512-bs1')?.speed as number, 4.92, 5.12);
    expectBetween(of('answerai-3090x2-l2-7b-qlora-ctx2048-bs1')?.memory as number, 0.289, 0.309);
    expectBetween(of('peft-ds-z3-llama2-70b-lora-8xh100')?.memory as number, -0.124, -0.104);
    expectBetween(of('torchtune-flags-qlora')?.speed as number, -0.218, -0.198);
  });

  it('gpucost backtest --finetune prints the same summary and every row with its prediction', async () => {
    type Doc = { schemaVersion: number; summary: (typeof fit)[]; rows: { id: string; predicted: { memoryGiB: number } }[] };
    const { code, json } = await cliJson<Doc>(['backtest', '--finetune']);
    expect(code).toBe(0);
    expect(json.summary).toEqual(JSON.parse(JSON.stringify([fit, holdout])));
    expect(json.rows).toHaveLength(226);
    const holdoutOnly = await cliJson<Doc>(['backtest', '--finetune', '--split', 'holdout']);
    expect(holdoutOnly.json.rows).toHaveLength(213);
  });
});

// XTuner's speed benchmark (presets/finetune/xtuner-speed-benchmark-a100.yaml, holdout): full fine-tuning
// on A100 with DeepSpeed, packed 8K and 32K rows, checkpointing on. Declared (7958ac2) before any row was
// compared, and compared once on 2026-12-06; each band two points wide.
describe('XTuner full fine-tuning on A100 (a fresh held-out source)', () => {
  const of = (id: string) => cases.find((c) => c.row.id === `xtuner-${id}`)?.error.speed as number;
  it('Llama 2 7B at 8K on 8 GPUs −5.2%; known gaps: at 32K −26.3% (the model slow), Yi-34B +34.7% and Llama 2 70B +60.1% under ZeRO-3 on 32 GPUs (the model fast)', () => {
    expect(cases.filter((c) => c.set.id === 'xtuner-speed-benchmark-a100')).toHaveLength(4);
    expectBetween(of('a100x8-llama2-7b-full-8k'), -0.062, -0.042);
    expectBetween(of('a100x8-llama2-7b-full-32k'), -0.273, -0.253);
    expectBetween(of('a100x32-yi-34b-full-8k'), 0.337, 0.357);
    expectBetween(of('a100x32-llama2-70b-full-8k'), 0.591, 0.611);
  });
});

// MLPerf Training v4.0–v5.0, Llama 2 70B LoRA (presets/finetune/mlperf-llama2-70b-lora.yaml): tokens/s per
// GPU from the submitted logs, on 4 to 1,024 accelerators of six kinds, layouts and FP8 from the
// submitters' configs. Issue 20 asks time within 20%.

describe('multi-GPU LoRA against MLPerf (holdout)', () => {
  const mlperf = cases.filter((c) => c.set.id === 'mlperf-llama2-70b-lora');
  const errors = mlperf.map((c) => c.error.speed as number).sort((a, b) => a - b);
  const medianOf = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  };
  const byId = (id: string): number => mlperf.find((c) => c.row.id === id)?.error.speed as number;

  it('67 systems; known gap: median |error| 10.0%, median signed −2.3%, 66 of 67 within 25% (−3.5% and 65 before the 2026-12-06 refit on Table 1’s published layouts)', () => {
    // 10.6%, −5.9% and 64 before three rows' FP8 settings were read from their logs, after their errors
    // had been seen (HPE's H200 v5.0 row had been read as BF16: −31% → +4%; Supermicro's two 1-node
    // v4.0 rows gained FP8 attention: −16% → −9% and −22% → −15%). 9.9% before the MI325X took its measured matmul rate (its three rows +8% to +12% → −0.4% to +3.6%);
    // 9.1%, −7.8% and 63 before Transformer Engine's attention took cuDNN's benchmark rate × the fitted
    // in-training fraction (0.53 × 0.641 = 0.34 of the peak on Hopper, against 0.35); 9.7%, −8.6% and 62
    // before the 42 systems whose configs set FP8_DPA had their attention timed in FP8.
    expect(mlperf).toHaveLength(67);
    expectBetween(medianOf(errors.map(Math.abs)), 0.09, 0.11);
    expectBetween(medianOf(errors), -0.033, -0.013);
    expect(errors.filter((e) => Math.abs(e) <= 0.25)).toHaveLength(66);
  });

  it('known gap: one 8-GPU H100 node in FP8 (NVIDIA eos, v4.0) is predicted 17% slow (18% before the 2026-12-06 refit on Table 1’s published layouts, 24% before its FP8 attention was timed): what an FP8 base saves in time (its memory is modelled) and overlapped TP communication are not modelled', () => {
    expectBetween(byId('mlperf-v40-nvidia-eos-ngc24-04-nemo'), -0.178, -0.158);
  });

  it('known gaps: one B200 node +10.6% (within 10% before the 2026-12-06 refit on Table 1’s published layouts), 1,024 H100 (NVIDIA eos, v4.0: TP 4 × CP 2 × DP 128) +15.0% (+13.5% before the refit, within 10% before its FP8 attention was timed), each held to ±1 point', () => {
    expectBetween(byId('mlperf-v50-nvidia-nyx-n1-ngc25-04-nemo'), 0.096, 0.116);
    expectBetween(byId('mlperf-v40-nvidia-eos-n128-ngc24-04-nemo'), 0.14, 0.16);
  });

  // MLPerf Training v5.1 (presets/finetune/mlperf-v51-llama2-70b-lora.yaml), declared before it was
  // compared; measured 2026-12-06 at the first comparison.
  it('v5.1, 46 systems: all within 20% (39 before FP8 attention was timed); MI325X −3% to +2% (+6% to +11% before its measured matmul rate); B200 and GB200 systems (8 to 576 GPUs) −16% to +16% (−17% to +15% before the 2026-12-06 refit on Table 1’s published layouts; 1–18% slow before FP8 attention), B300 and GB300 −17% to +3% (−16% to +1% before the refit; 15–29% slow before FP8 attention)', () => {
    const v51 = cases.filter((c) => c.set.id === 'mlperf-v51-llama2-70b-lora');
    expect(v51).toHaveLength(46);
    expect(v51.filter((c) => Math.abs(c.error.speed as number) <= 0.2)).toHaveLength(46);
    const on = (gpus: string[]) => v51.filter((c) => gpus.includes(c.row.gpu)).map((c) => c.error.speed as number);
    for (const e of on(['mi325x'])) expectBetween(e, -0.03, 0.03);
    const blackwell = on(['b200', 'gb200']);
    expect(blackwell).toHaveLength(22);
    for (const e of blackwell) expectBetween(e, -0.18, 0.175);
    // Added after the B300 and GB300 presets, declared before this comparison (first run 2026-12-06):
    // 8 B300 −22% (FP8, four systems) and −15% (NVFP4), GB300 −28% (8, NVFP4), −17% to −22% (72 and 512).
    // Their peaks rest on secondary tables; the B300's measured matmul rates, added after this first
    // comparison, took its rows from −22% (FP8) and −15% (NVFP4) to −20% and −14% (GB300 has none).
    const ultra = on(['b300', 'gb300']);
    expect(ultra).toHaveLength(9);
    for (const e of ultra) expectBetween(e, -0.185, 0.035);
  });
});

describe('memory verdicts on MLPerf LoRA, which gives no memory but ran', () => {
  it('known gap: gpucost holds more than the card for 40 of the 113 systems (41 before HPE’s H200 row was read as FP8 from its log, 79 before the FP8 bases, 51 before fused kernels), at most 1.60×: FP8 attention, FP8-stored MLP inputs and the NVFP4 base are not counted', () => {
    const mlperf = cases.filter((c) => c.set.id.startsWith('mlperf-') && c.set.id.includes('lora'));
    expect(mlperf).toHaveLength(113);
    const ratios = mlperf.map((c) => (c.predicted.memoryGiB * 2 ** 30) / (registry.get('gpus', c.row.gpu).memoryGB * 1e9));
    expect(ratios.filter((r) => r > 1)).toHaveLength(40);
    expectBetween(Math.max(...ratios), 1.55, 1.65);
    // Every FP8 row is declared with its FP8 base (fp8Params), and every row with NeMo's Transformer
    // Engine kernels, from the implementations' configs.
    expect(mlperf.filter((c) => c.row.precision === 'fp8' && !c.row.fp8Params)).toHaveLength(0);
    expect(mlperf.filter((c) => c.row.kernels !== 'fused')).toHaveLength(0);
  });

  it('a row may declare an FP8 base only for LoRA under an FP8 (or lower) precision', () => {
    const [set] = builtinFinetuneSets();
    const row = { ...set!.rows[0]!, method: 'lora' as const, quant: undefined, fp8Params: true };
    const bad = {
      ...set!,
      id: 'bad',
      rows: [
        { ...row, precision: 'bf16' as const },
        { ...row, method: 'qlora' as const, precision: 'fp8' as const },
        { ...row, precision: 'fp8' as const },
      ],
    };
    const catalog = { ...emptyCatalog(), finetune: [bad] };
    const messages = checkCatalog(catalog, { ...registry.catalog, finetune: [bad] }).map((p) => `${p.field}: ${p.message}`);
    const rule = 'fp8Params: fp8Params describes a LoRA base under an FP8 (or lower) precision';
    expect(messages.filter((m) => m.endsWith(rule))).toEqual([`rows.0.${rule}`, `rows.1.${rule}`]);
  });
});

describe('multi-GPU fine-tuning memory against torchtune (holdout)', () => {
  const row = (id: string) => cases.find((c) => c.row.id === id)?.error.memory as number;
  // Before the eager kernels' tensor-by-tensor count: +6.3% and +19.2%.
  it('Llama 3.1 70B LoRA, FSDP over 8 A100: within 10% (+7.7%)', () => {
    expect(row('torchtune-t7')).toBeGreaterThanOrEqual(0.067);
    expect(row('torchtune-t7')).toBeLessThanOrEqual(0.087);
  });
  it('known gap: Llama 3.1 405B QLoRA, FSDP over 8 A100: +20.7% (against the printed 44.8 GB; +12.4% if it meant GiB)', () => {
    expect(row('torchtune-t8')).toBeGreaterThanOrEqual(0.197);
    expect(row('torchtune-t8')).toBeLessThanOrEqual(0.217);
  });
});

// LitGPT's resource tables (presets/finetune/litgpt-resource-tables.yaml, holdout): one A100 40GB, no
// activation checkpointing, PyTorch's allocated memory, which gpucost compares without its framework
// allowance. Measured 2026-12-06, each held to ±2 points.
describe('one-GPU LoRA and QLoRA memory against LitGPT (holdout)', () => {
  const litgpt = cases.filter((c) => c.set.id === 'litgpt-resource-tables');
  const error = (id: string) => litgpt.find((c) => c.row.id === id)?.error.memory as number;
  it('allocated memory is compared without the one-GPU framework allowance (2.54 GiB)', () => {
    expect(litgpt).toHaveLength(13);
    const set = litgpt[0]?.set as (typeof litgpt)[number]['set'];
    const asDevice = { ...set, rows: set.rows.map((r) => ({ ...r, measured: { memoryGiB: r.measured.memoryGiB as number } })) };
    const device = finetuneCases([asDevice], registry);
    for (const [i, c] of litgpt.entries()) {
      expect(c.row.measured.memoryMetric).toBe('allocated');
      expect((device[i]?.predicted.memoryGiB as number) - c.predicted.memoryGiB).toBeCloseTo(SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES / 2 ** 30, 9);
    }
  });
  it('LoRA within 10% for phi-1.5, StableLM 3B and Llama 2 7B/13B (−5.9% to +1.6% on all nine LoRA rows)', () => {
    for (const c of litgpt.filter((x) => x.row.method === 'lora')) expect(Math.abs(c.error.memory as number), c.row.id).toBeLessThan(0.1);
  });
  // QLoRA with --bnb-legacy (bitsandbytes 0.41.1 kept each 4-bit layer's input): −1% and −4% on the two
  // small models, −8% and −7% on Llama 2 7B and 13B (−20% to −29% before the term; −15% and −14%
  // before the eager kernels' count, which also brought LoRA Llama 2 7B at micro-batch 2 from −12.3%).
  it('LoRA Llama 2 7B at micro-batch 2 is 5.9% low; QLoRA −1% to −8%', () => {
    const band = (id: string, centre: number) => {
      expectBetween(error(id), centre - 0.02, centre + 0.02);
    };
    band('litgpt-llama2-7b-lora-mb2', -0.059);
    band('litgpt-phi15-qlora-nf4dq-mb1', -0.011);
    band('litgpt-stablelm3b-qlora-nf4dq-mb1', -0.044);
    band('litgpt-llama2-7b-qlora-nf4dq-mb1', -0.081);
    band('litgpt-llama2-13b-qlora-nf4dq-mb1', -0.069);
  });
});

// IBM fms-acceleration's A100 80GB references (presets/finetune/fms-acceleration-a100.yaml, holdout, declared
// before any estimate): Hugging Face's SFT trainer with PEFT, nvidia-smi memory and tokens/s per GPU.
// Measured 2026-12-06; each band two points wide.
describe('LoRA and QLoRA with Hugging Face against fms-acceleration (holdout)', () => {
  const fms = cases.filter((c) => c.set.id === 'fms-acceleration-a100');
  const memory = (id: string) => fms.find((c) => c.row.id === id)?.error.memory as number;
  it('LoRA memory within −11% to −0.5% on six rows, Mistral 7B and Mixtral 8x7B, one and two GPUs', () => {
    // −11% to −3% before the eager kernels' count (Mistral's K and V repeated to its 32 query heads).
    const lora = fms.filter((c) => c.row.method === 'lora').map((c) => c.error.memory as number);
    expect(lora).toHaveLength(6);
    for (const e of lora) {
      expect(e).toBeGreaterThanOrEqual(-0.12);
      expect(e).toBeLessThanOrEqual(0);
    }
  });
  it('QLoRA memory within 10% with --peft-prepare, as TRL prepares a 4-bit model (Mistral 7B +4% and +3%, Mixtral 8x7B +7% and +9%)', () => {
    // Without it (declared after these errors were seen) the rows were −28%, −33%, −12% and −17%;
    // Mistral's were −2% and −4% before the eager kernels' count.
    for (const [id, centre] of [
      ['fms-mistral-7b-qlora-1x4', 0.041],
      ['fms-mistral-7b-qlora-1x8', 0.031],
      ['fms-mixtral-8x7b-qlora-1x4', 0.065],
      ['fms-mixtral-8x7b-qlora-1x8', 0.087],
    ] as const) {
      expect(fms.find((c) => c.row.id === id)?.row.peftPrepare, id).toBe(true);
      expectBetween(memory(id), centre - 0.02, centre + 0.02, id);
    }
  });
  it('known gap: every row predicted faster than measured, LoRA by 16–43%, QLoRA by 15–17% (median +16.5%; LoRA 15–43%, QLoRA 12–15% and +15.4% before the 2026-12-06 refit on Table 1’s published layouts)', () => {
    // QLoRA's rows were +32% to +35% before --peft-prepare widened the traffic between the GEMMs;
    // LoRA's +23% to +49%, QLoRA's +17% to +19% (median +23.0%) before Hugging Face's attention was timed as FlashAttention-2's.
    const speed = fms.map((c) => c.error.speed as number).sort((a, b) => a - b);
    expectBetween(speed[0] as number, 0.138, 0.158);
    expectBetween(speed.at(-1) as number, 0.42, 0.45);
    const mid = ((speed[4] as number) + (speed[5] as number)) / 2;
    expectBetween(mid, 0.155, 0.175);
  });
});

// MEMORY_TIGHT: a fine-tune that fits gpucost's estimate by less than the measured spread.
describe('HOST_BOUND on the fine-tuning rows', () => {
  it('the timed rows under SMALL_STEP_LAYER_SECONDS are the Qwen README’s 1.8B at 256 and 512 tokens, at 0.13–0.35 of the model (the bottom of SMALL_STEP_MEASURED_RANGE, 0.133; 0.124 before the 2026-12-06 refit of the step-time constants, 0.123 before SDPA’s FlashAttention-2 was timed as such); the next one up, 1.8B LoRA at 1,024 tokens, at 0.57 (0.54 before the refit)', () => {
    const timed = cases.filter((c) => c.error.speed !== null);
    const ratio = (c: (typeof cases)[number]) => 1 / (1 + (c.error.speed as number));
    const small = timed.filter((c) => c.layerSeconds < SMALL_STEP_LAYER_SECONDS);
    expect(small.map((c) => c.row.id).sort()).toEqual([
      'qwen-readme-1.8b-full-256',
      'qwen-readme-1.8b-full-512',
      'qwen-readme-1.8b-lora-256',
      'qwen-readme-1.8b-lora-512',
    ]);
    expect(Math.min(...small.map(ratio))).toBeCloseTo(SMALL_STEP_MEASURED_RANGE.low, 3);
    expect(Math.max(...small.map(ratio))).toBeLessThan(SMALL_STEP_MEASURED_RANGE.high);
    const next = timed.filter((c) => c.layerSeconds >= SMALL_STEP_LAYER_SECONDS).sort((a, b) => a.layerSeconds - b.layerSeconds);
    // MLPerf's GB200 rows come first (2.6 ms, 0.80–1.04), then the Qwen 1.8B LoRA at 1,024 tokens (3.1 ms).
    const qwen = next.find((c) => c.set.id === 'qwen-readme-profiling') as (typeof cases)[number];
    expect(qwen.row.id).toBe('qwen-readme-1.8b-lora-1024');
    expect(ratio(qwen)).toBeGreaterThan(0.56);
    expect(ratio(qwen)).toBeLessThan(0.58);
  });
});

describe('MEMORY_PEAK_SPREAD and MEMORY_TIGHT', () => {
  it('is the 90th percentile of measured ÷ predicted peak memory over the held-out rows', () => {
    const ratios = cases
      .filter((c) => c.split === 'holdout' && c.error.memory !== null)
      .map((c) => 1 + (c.error.memory as number))
      .map((predictedOverMeasured) => 1 / predictedOverMeasured)
      .sort((a, b) => a - b);
    expect(ratios).toHaveLength(79);
    expect(ratios[Math.ceil(0.9 * ratios.length) - 1]).toBeCloseTo(MEMORY_PEAK_SPREAD, 2);
  });

  it('a fine-tune whose layout gpucost chooses leaves that headroom when some layout can', async () => {
    type E = { fits: boolean; memoryPerGpuGB: number; gpuMemoryGB: number; plan: { microBatch: number; recompute: string }; warnings: { code: string }[] };
    const e = await estimateJson<E>([
      '--model',
      'llama3-8b',
      '--finetune',
      'qlora',
      '--examples',
      '50k',
      '--avg-len',
      '512',
      '--epochs',
      '3',
      '--gpu',
      'rtx4090',
    ]);
    expect(e.memoryPerGpuGB * MEMORY_PEAK_SPREAD).toBeLessThanOrEqual(e.gpuMemoryGB);
    expect(e.warnings.map((w) => w.code)).not.toContain('MEMORY_TIGHT');
    // The fastest layout that fills the card (micro-batch 2, no recomputation, 22.8 GB; 19.6 before the eager kernels' count) is not chosen.
    // Micro-batch 8 with recomputation (18.0 GB) since the spread is 1.31 (micro-batch 4 at 1.38).
    expect(e.plan).toMatchObject({ microBatch: 8, recompute: 'full' });
  });

  it('warns when a fine-tune fits by less than that, not when it has room, and never on pre-training', async () => {
    type E = { fits: boolean; warnings: { code: string; severity: string; detail?: { spread: number } }[] };
    const base = ['--model', 'llama3-8b', '--finetune', 'qlora', '--examples', '50k', '--avg-len', '512', '--epochs', '3'];
    // With the layout fixed by the user, the card is as full as they made it.
    const tight = await estimateJson<E>([...base, '--gpu', 'rtx4090', '--micro-batch', '2', '--recompute', 'none']);
    expect(tight.fits).toBe(true);
    const w = tight.warnings.find((x) => x.code === 'MEMORY_TIGHT');
    expect(w?.severity).toBe('warning');
    expect(w?.detail?.spread).toBe(MEMORY_PEAK_SPREAD);
    const roomy = await estimateJson<E>([...base, '--gpu', 'h100', '--recompute', 'full', '--micro-batch', '1']);
    expect(roomy.warnings.map((x) => x.code)).not.toContain('MEMORY_TIGHT');
    const pretraining = await estimateJson<E>(['--model', 'llama3-70b', '--gpu', 'h100', '--gpus', '1024']);
    expect(pretraining.warnings.map((x) => x.code)).not.toContain('MEMORY_TIGHT');
  });
});

// Issue 15, item 9, for fine-tuning: the default follows whichever predictor is closer on the holdout.
describe('LoRA and QLoRA are timed by the step-time model by default', () => {
  it('FINETUNE_STEP_TIME_RANGE is the narrowest interval of measured ÷ predicted tokens/s holding 90% of the held-out timed rows', () => {
    const ratios = cases.filter((c) => c.split === 'holdout' && c.error.speed !== null).map((c) => 1 / (1 + (c.error.speed as number)));
    expect(ratios).toHaveLength(181);
    const [low, high] = narrowestCovering(ratios, 0.9);
    expect(low).toBeCloseTo(FINETUNE_STEP_TIME_RANGE.low, 3);
    expect(high).toBeCloseTo(FINETUNE_STEP_TIME_RANGE.high, 3);
  });

  type E = {
    perf: string;
    wallClockDays: number;
    wallClockDaysLow: number;
    wallClockDaysHigh: number;
    assumptions: { name: string; value: string; origin: string }[];
  };
  const base = ['--model', 'llama3-8b', '--gpu', 'rtx4090', '--examples', '50k', '--avg-len', '512', '--epochs', '3'];
  const origin = (e: E, name: string) => e.assumptions.find((a) => a.name === name)?.origin;

  it('with the fine-tuning range, said in the assumptions', async () => {
    for (const mode of ['lora', 'qlora']) {
      const e = await estimateJson<E>([...base, '--finetune', mode]);
      expect(e.perf, mode).toBe('model');
      expect(origin(e, 'Throughput per GPU')).toContain(`s per step (${ADAPTER_PERF_ORIGIN})`);
      expect(origin(e, 'Throughput range')).toMatch(/0\.707–1\.283: 90% of the step-time model's held-out fine-tuning throughput rows/);
      // The range is the throughput's: days scale inversely, so high days ÷ mid days = 1 ÷ the range's low.
      expect(e.wallClockDaysHigh / e.wallClockDays).toBeCloseTo(1 / FINETUNE_STEP_TIME_RANGE.low, 6);
      expect(e.wallClockDaysLow / e.wallClockDays).toBeCloseTo(1 / FINETUNE_STEP_TIME_RANGE.high, 6);
    }
  });

  it('an explicit --perf mfu, --mfu or --tflops wins; full fine-tuning keeps the pre-training default', async () => {
    for (const extra of [
      ['--perf', 'mfu'],
      ['--mfu', '0.4'],
      ['--tflops', '60'],
    ]) {
      const e = await estimateJson<E>([...base, '--finetune', 'qlora', ...extra]);
      expect(e.perf, extra.join(' ')).toBe('mfu');
    }
    const full = await estimateJson<E>(['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '8', '--finetune', 'full', '--dataset-tokens', '100M']);
    expect(full.perf).toBe('mfu');
  });
});
