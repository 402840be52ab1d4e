// Pre-training peak memory against gpucost's memory per GPU for the same layout (held out). Nine MLPerf
// rows of presets/throughput/ report rank 0's torch.cuda.max_memory_allocated (max_memory_usage in
// their logs): Llama 3.1 405B on 512–8,192 H100 and 512 and 1,024 H200 (v5.0), Llama 3.1 8B on 64 and
// 128 H100 (v5.1, Cisco). All ran NeMo on Megatron-Core with Transformer Engine (--kernels fused) and
// FP8 weights (--fp8-params). The figures were committed (2d54afe) before any was compared; measured
// 2026-12-06 at the first comparison, each band two points wide.
import { describe, expect, it } from 'vitest';
import { expectBetween } from '../helpers/bands.js';
import { DEFAULT_MEMORY_OPTIONS, memoryPerGpu } from '../../src/core/memory.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { builtinThroughputSets } from '../../src/presets/builtin-throughput.js';
import { throughputCases } from '../../src/resolve/throughput.js';
import { throughputMemoryCases } from '../../src/resolve/throughput-memory.js';

const all = throughputMemoryCases(throughputCases(builtinThroughputSets(), builtinRegistry()));
const cases = all.filter((m) => m.case.row.id.startsWith('mlperf-'));
const errorOf = (prefix: string) => cases.filter((m) => m.case.row.id.startsWith(prefix)).map((m) => m.error);

describe('pre-training peak memory of MLPerf runs (held out)', () => {
  it('nine rows, all NeMo with fused kernels and FP8 weights, compared without the framework allowance', () => {
    expect(cases).toHaveLength(9);
    for (const m of cases) {
      expect(m.case.split).toBe('holdout');
      expect(m.case.row.kernels).toBe('fused');
      expect(m.case.row.fp8Params).toBe(true);
      expect(m.case.row.measured.memoryMetric).toBe('allocated');
    }
  });

  it('Llama 3.1 405B on H100 and H200 (TP 8 or 4 × PP 8 × 8 chunks × CP 2): +7.0% to +7.4%, and the data-parallel sweep’s fall', () => {
    const h100 = errorOf('mlperf-v50-405b-eos-dfw');
    const h200 = errorOf('mlperf-v50-405b-nebius');
    expect(h100).toHaveLength(5);
    expect(h200).toHaveLength(2);
    for (const e of [...h100, ...h200]) expectBetween(e, 0.062, 0.082);
    // From DP 4 to DP 64 the distributed optimizer's shard shrinks: measured 58.8 → 50.9 GiB, gpucost 63.2 → 54.5.
    const byDp = (n: string) => cases.find((m) => m.case.row.id === `mlperf-v50-405b-eos-dfw-${n}`) as (typeof cases)[number];
    const measuredFall = byDp('n64').measuredGiB - byDp('n1024').measuredGiB;
    const predictedFall = byDp('n64').predictedGiB - byDp('n1024').predictedGiB;
    expect(predictedFall / measuredFall).toBeGreaterThan(1);
    expect(predictedFall / measuredFall).toBeLessThan(1.15);
  });

  it('Llama 3.1 8B on 64 and 128 H100 (TP 1 and TP 2 with sequence parallelism, no recomputation): −0.9% and −1.1%', () => {
    const errors = errorOf('mlperf-v51-8b-cisco');
    expect(errors).toHaveLength(2);
    for (const e of errors) expectBetween(e, -0.02, 0);
  });

  it('known gap: AMD Primus on MI325X (a fresh held-out source, device memory at the last logged iteration) sits 7–34% above the model since its FP32 gradients are counted: Llama 2 7B −7% (−17% before), Mixtral 8x7B −16% (−26%), Llama 2 70B under FSDP2 −34% (−37%)', () => {
    const primus = all.filter((m) => m.case.set.id === 'primus-megatron-mi325x-aac11');
    expect(primus.map((m) => m.case.row.id).sort()).toEqual([
      'primus-llama2-70b-mi325x16-fsdp2-mb10-fp8',
      'primus-llama2-7b-mi325x64-zero1-mb4-fp8',
      'primus-mixtral-8x7b-mi325x64-ep8-mb2-bf16',
    ]);
    const of = (id: string) => primus.find((m) => m.case.row.id === id)?.error as number;
    expectBetween(of('primus-llama2-7b-mi325x64-zero1-mb4-fp8'), -0.082, -0.062);
    expectBetween(of('primus-mixtral-8x7b-mi325x64-ep8-mb2-bf16'), -0.167, -0.147);
    expectBetween(of('primus-llama2-70b-mi325x16-fsdp2-mb10-fp8'), -0.347, -0.327);
    // Every row that measured memory is MLPerf's, Primus's, TorchTitan's (14) or FlagPerf's (5), the last two declared 2026-12-06.
    const torchtitan = all.filter((m) => m.case.set.id === 'torchtitan-llama3');
    const flagperf = all.filter((m) => m.case.set.id === 'flagperf-h100');
    expect(torchtitan).toHaveLength(14);
    expect(flagperf).toHaveLength(5);
    expect(all).toHaveLength(cases.length + primus.length + torchtitan.length + flagperf.length);
  });

  it('the declarations carry it: eager kernels would put them 13–28% over, and 16-bit weights 8–19% over', () => {
    for (const m of cases) {
      const c = m.case;
      const plan = c.layout?.plan as NonNullable<typeof c.layout>['plan'];
      const other = (o: object) =>
        memoryPerGpu(c.arch, plan, { ...DEFAULT_MEMORY_OPTIONS, frameworkOverhead: false, includeLoss: plan.pp === 1, ...o }).totalBytes / 2 ** 30;
      const eager = other({ kernels: 'eager', fp8Params: true }) / m.measuredGiB - 1;
      const sixteenBit = other({ kernels: 'fused' }) / m.measuredGiB - 1;
      expect(eager, c.row.id).toBeGreaterThan(0.12);
      expect(eager, c.row.id).toBeLessThan(0.29);
      expect(sixteenBit, c.row.id).toBeGreaterThan(0.07);
      expect(sixteenBit, c.row.id).toBeLessThan(0.2);
    }
  });
});

// TorchTitan's reported peaks (presets/throughput/torchtitan-llama3.yaml): PyTorch's max reserved memory,
// declared on 14 throughput rows (f85d16f) before any was compared, each band two points wide.
// As they came out (7d2a548), TorchTitan's "selective" checkpointing, its per-op policy, was read as
// gpucost's selective recomputation, which keeps everything a layer stores but the attention scores:
// +57% to +68% on 8 H100, +72% to +86% on 128, +146% on 32 and 64 H200. Since the rows state
// recompute: op (the mode added afterwards, on those rows' evidence: post hoc), the model holds
// 9–16% less than TorchTitan reserves, as it does under full checkpointing.
describe('pre-training peak memory of TorchTitan runs (held out, reserved)', () => {
  const titan = all.filter((m) => m.case.set.id === 'torchtitan-llama3');
  const of = (id: string) => titan.find((m) => m.case.row.id === `torchtitan-${id}`)?.error as number;
  it('fourteen rows, eager kernels, reserved peaks', () => {
    expect(titan).toHaveLength(14);
    for (const m of titan) {
      expect(m.case.row.kernels).toBe('eager');
      expect(m.case.row.measured.memoryMetric).toBe('reserved');
    }
  });
  it('known gap: per-op checkpointing (recompute op): Llama 3.1 8B FSDP at 2 × 8,192 tokens −9% to −16% on 8 and 128 H100 (+57% to +86% read as selective); +21% and +23% on 32 and 64 H200 (+146%)', () => {
    expectBetween(of('doc202412-llama31-8b-h100x8-fsdp-bf16'), -0.16, -0.14);
    expectBetween(of('doc202412-llama31-8b-h100x8-fsdp-compile-bf16'), -0.1, -0.08);
    expectBetween(of('doc202412-llama31-8b-h100x8-fsdp-compile-float8-fp8'), -0.098, -0.078);
    expectBetween(of('doc202412-llama31-8b-h100x128-fsdp-bf16'), -0.174, -0.154);
    expectBetween(of('doc202412-llama31-8b-h100x128-fsdp-compile-bf16'), -0.107, -0.087);
    expectBetween(of('doc202412-llama31-8b-h100x128-fsdp-compile-float8-fp8'), -0.104, -0.084);
    expectBetween(of('trainy202506-llama31-8b-h200x32-fsdp-compile-float8'), 0.216, 0.236);
    expectBetween(of('trainy202506-llama31-8b-h200x64-fsdp-compile-float8'), 0.202, 0.222);
  });
  it('known gap: full checkpointing: 8B with context parallelism (32K–256K tokens on 8 H100) −16% to −17%, 70B FSDP 32 × TP 8 −23% and −28%', () => {
    for (const id of ['fsdp8-cp1-seq32k', 'fsdp4-cp2-seq64k', 'fsdp2-cp4-seq128k', 'fsdp1-cp8-seq256k']) {
      expectBetween(of(`paper-llama31-8b-h100x8-${id}-fp8`), -0.177, -0.151);
    }
    expectBetween(of('doc202412-llama31-70b-h100x256-fsdp32-tp8-compile-float8-fp8'), -0.287, -0.267);
    expectBetween(of('doc202412-llama31-70b-h100x256-fsdp32-tp8-compile-float8-asynctp-fp8'), -0.241, -0.221);
  });
});

// FlagPerf's H100 cases (presets/throughput/flagperf-h100.yaml): nvidia-smi memory of Megatron-LM's
// Llama-3-shaped 8B at TP 2, declared with the rows (2e5a402) and compared once on 2026-12-06, at
// 23–29% under nvidia-smi. The rows have stated FP32 gradients since (Megatron-LM core_v0.6.0 turns
// them on for --bf16), after that comparison: post hoc.
describe('pre-training device memory of FlagPerf’s Megatron-LM runs (held out)', () => {
  it('known gap: the model holds 11–20% less than nvidia-smi showed (8B, TP 2, BF16 and TE FP8, 8 to 440 H100; 23–29% before FP32 gradients)', () => {
    const flagperf = all.filter((m) => m.case.set.id === 'flagperf-h100');
    expect(flagperf).toHaveLength(5);
    for (const m of flagperf) {
      expect(m.case.row.measured.memoryMetric).toBe('device');
      expect(m.case.row.parallelism.gradientReduceFp32).toBe(true);
      expectBetween(m.error, -0.206, -0.096);
    }
  });
});
