// The performance and memory model against published measurements on DGX A100 (Selene). Each case
// cites its source; scripts/perf-data.ts builds them from presets/runs (sources inside each file).
import { describe, expect, it } from 'vitest';
import { GRAD_BYTES_FP32, activationBytesPerGpu, memoryPerGpu } from '../../src/core/memory.js';
import type { ParallelPlan } from '../../src/core/parallel.js';
import { builtinRegistry } from '../../src/presets/builtin.js';

const BUILTIN_CATALOG = builtinRegistry().catalog;
import { archFromInput } from '../../src/presets/to-core.js';
import { type PerfCase, perfCases, predictedSeconds, predictedTflops } from '../../scripts/perf-data.js';
import { within } from '../helpers/cli.js';
import { arch } from '../helpers/presets.js';

const cases = new Map(perfCases().map((c) => [c.id, c]));
const get = (id: string): PerfCase => {
  const c = cases.get(id);
  if (!c) throw new Error(`no perf case ${id}`);
  return c;
};

describe('achieved TFLOP/s per GPU (Narayanan et al. 2021, https://arxiv.org/abs/2104.04473)', () => {
  // Table 1 (weak scaling): achieved TFLOP/s per GPU, eq. (3) FLOPs, with the micro-batch, interleaving
  // and data-parallel implementation of the authors' scripts (Megatron-LM examples/sc21). Tolerance 5%,
  // issue 15's: +2.7%, −3.3%, +3.3% and −1.7% (10% until 2026-12-06, while the 18.4B sat at −10.0%
  // under an assumed micro-batch of 1; the constants were refitted once the scripts were read).
  it.each([
    ['megatron-1.7b-32gpu', 137],
    ['megatron-18.4b-256gpu', 135],
    ['megatron-145.6b-1536gpu', 148],
    ['megatron-1t-3072gpu', 163],
  ])('Table 1 %s: %d TFLOP/s within 5%', (id, tflops) => {
    expect(within(predictedTflops(get(id)), tflops)).toBeLessThan(0.05);
  });

  // Table 2, PTD parallelism rows in presets/runs. Tolerance 10%.
  it.each([
    ['megatron-gpt3-175b-384gpu', 153],
    ['megatron-gpt3-175b-1536gpu', 141],
    ['megatron-530b-2240gpu', 159],
  ])('Table 2 PTD-P %s: %d TFLOP/s within 10%', (id, tflops) => {
    expect(within(predictedTflops(get(id)), tflops)).toBeLessThan(0.1);
  });

  // Table 2, ZeRO-3 rows (no model parallelism). Tolerance 10%, the target of every row above.
  it.each([
    ['table2-zero3-175b-384', 144],
    ['table2-zero3-175b-768', 88],
    ['table2-zero3-175b-1536', 44],
    ['table2-zero3-530b-2240', 48],
  ])('Table 2 ZeRO-3 %s: %d TFLOP/s within 10%', (id, tflops) => {
    expect(within(predictedTflops(get(id)), tflops)).toBeLessThan(0.1);
  });

  // Known gaps: the two other 530B ZeRO-3 rows miss the 10% target, 640 GPUs predicted 15% fast and
  // 1120 GPUs 13% slow (docs/perf-model.md, "Fitted constants"). Each test holds predicted/published
  // in the band it sits in now (measured, ±0.01): a better model leaves the band upwards or downwards
  // towards 1 and fails here, and so does a worse one. Closing a gap means the ratio is within
  // 0.90–1.10; then the row moves to the 10% test above.
  it.each([
    ['table2-zero3-530b-640', 138, 1.114, 1.139], // measured 1.126 (1.148 before the 2026-12-06 refit, 1.123 before the shape-aware GEMM model)
    ['table2-zero3-530b-1120', 98, 0.86, 0.885], // measured 0.864 (0.873 before the 2026-12-06 refit, 0.866 before the shape-aware GEMM model)
  ])('known gap: Table 2 ZeRO-3 %s: predicted / %d TFLOP/s stays within %d–%d', (id, tflops, low, high) => {
    const ratio = predictedTflops(get(id)) / tflops;
    expect(ratio).toBeGreaterThanOrEqual(low);
    expect(ratio).toBeLessThanOrEqual(high);
  });

  it('reproduces the ZeRO-3 collapse: 175B per-GPU throughput falls by more than 2.5× from 384 to 1536 GPUs, PTD-P by less than 15%', () => {
    expect(predictedTflops(get('table2-zero3-175b-384')) / predictedTflops(get('table2-zero3-175b-1536'))).toBeGreaterThan(2.5);
    expect(predictedTflops(get('megatron-gpt3-175b-384gpu')) / predictedTflops(get('megatron-gpt3-175b-1536gpu'))).toBeLessThan(1.15);
  });
});

describe('seconds per iteration', () => {
  // Korthikanti et al. 2022, https://arxiv.org/abs/2205.05198, Table 5 (selective recompute + sequence parallelism).
  it.each([
    ['korthikanti-22b-8gpu', 1.1],
    ['korthikanti-gpt3-175b-64gpu', 13.75],
    ['korthikanti-530b-2240gpu', 39.15],
    ['korthikanti-1t-512gpu', 71.49],
  ])('Korthikanti Table 5 %s: %d s within 10%', (id, seconds) => {
    expect(within(predictedSeconds(get(id)), seconds)).toBeLessThan(0.1);
  });

  // Smith et al. 2022 (MT-NLG), https://arxiv.org/abs/2201.11990, §2.4: 60.1 / 50.2 / 44.4 s per iteration
  // at batch 1920 on 2240 / 2800 / 3360 GPUs. Known gap (docs/perf-model.md, "Known gaps"): the model
  // predicts 16–19% less time. Each test holds predicted/published in the band it sits in now
  // (measured 0.840 / 0.832 / 0.810, ±0.01), so the test fails both when the model drifts further off
  // and when it gets closer. Closing the gap means a ratio within 0.90–1.10 (the 10% target of the
  // Korthikanti rows above); then these become 10% tests like those.
  const mtnlg = get('mt-nlg-530b-2240gpu');
  it.each([
    [2240, 60.1, 0.83, 0.85],
    [2800, 50.2, 0.82, 0.84],
    [3360, 44.4, 0.8, 0.82],
  ])('known gap: MT-NLG on %d GPUs: predicted / %d s stays within %d–%d', (gpus, seconds, low, high) => {
    const c = { ...mtnlg, plan: { ...mtnlg.plan, dp: gpus / 280 } };
    const ratio = predictedSeconds(c) / seconds;
    expect(ratio).toBeGreaterThanOrEqual(low);
    expect(ratio).toBeLessThanOrEqual(high);
  });
  it("MT-NLG scaling from 2240 to 3360 GPUs: the model's speed-up is within 5% of the measured 1.35×", () => {
    const at = (gpus: number) => predictedSeconds({ ...mtnlg, plan: { ...mtnlg.plan, dp: gpus / 280 } });
    expect(within(at(2240) / at(3360), 60.1 / 44.4)).toBeLessThan(0.05);
  });
});

describe('memory per GPU (Korthikanti et al. 2022, Figure 1; GiB)', () => {
  // Figure 1: parameters + optimizer state, and activations without and with sequence parallelism +
  // selective recomputation, for the Table 3 configurations (TP 8; PP 1/8/35/64; micro-batch 4/1/1/1;
  // 3 chunks per stage for 175B and 530B, none for 1T). Figure 1 counts transformer layers only and fp32 gradients (18 B/param).
  // Tolerance 1%, what docs/perf-model.md states (measured: within 0.02%); the figure's bars are
  // computed from the same formulas, so a larger difference is a change in the model, not noise.
  const runArch = (id: string) => archFromInput(BUILTIN_CATALOG.runs.find((r) => r.id === id)!.architecture!);
  const models = {
    '22B': { arch: runArch('korthikanti-22b-8gpu'), pp: 1, b: 4, v: 1 },
    '175B': { arch: arch('gpt3-175b', { vocab: 51200 }), pp: 8, b: 1, v: 3 },
    '530B': { arch: arch('mt-nlg-530b'), pp: 35, b: 1, v: 3 },
    '1T': { arch: runArch('korthikanti-1t-512gpu'), pp: 64, b: 1, v: 1 },
  };
  const figure1: [keyof typeof models, number, number, number][] = [
    ['22B', 45.5625, 59.25, 9.5625],
    ['175B', 45.5625, 66.84375, 12.3515625],
    ['530B', 31.640625, 114.0234375, 23.076171875],
    ['1T', 32.958984375, 131.25, 26.5625],
  ];
  const GiB = 2 ** 30;
  it.each(figure1)('%s: parameters + optimizer %d GiB, activations %d GiB (none) and %d GiB (seq + sel), each within 1%', (name, state, none, seqsel) => {
    const { arch: m, pp, b, v } = models[name];
    const plan = (recompute: 'none' | 'selective', sp: boolean): ParallelPlan => ({
      tp: 8,
      pp,
      dp: 1,
      microBatch: b,
      globalBatch: b * pp * 4,
      zero: 0,
      recompute,
      sequenceParallel: sp,
      virtualStages: v,
    });
    const mem = memoryPerGpu(m, plan('none', false), { gradBytes: GRAD_BYTES_FP32, frameworkOverhead: false, includeEmbedding: false });
    expect(within((mem.weightsBytes + mem.gradientsBytes + mem.optimizerBytes) / GiB, state)).toBeLessThan(0.01);
    // The figure counts the transformer layers alone: no loss on the last stage.
    expect(within(activationBytesPerGpu(m, plan('none', false), { includeLoss: false }) / GiB, none)).toBeLessThan(0.01);
    expect(within(activationBytesPerGpu(m, plan('selective', true), { includeLoss: false }) / GiB, seqsel)).toBeLessThan(0.01);
  });
});
