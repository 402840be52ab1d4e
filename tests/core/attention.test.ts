// FlashAttention in the memory and step-time models, and where its default and the GEMM ceilings come from.
import { describe, expect, it } from 'vitest';
import { attendedKeysPerToken, attentionForwardFlopsPerToken } from '../../src/core/flops.js';
import { layerActivationBytes } from '../../src/core/memory.js';
import type { ParallelPlan } from '../../src/core/parallel.js';
import { stepTime } from '../../src/core/perf.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { modelArch } from '../../src/presets/to-core.js';
import { defaultAttention } from '../../src/resolve/defaults.js';
import { perfHardware } from '../../src/resolve/layout.js';
import { cli, estimateJson } from '../helpers/cli.js';

const registry = builtinRegistry();
const gpt3 = modelArch(registry.get('models', 'gpt3-175b'));
const plan: ParallelPlan = { tp: 8, pp: 8, dp: 4, microBatch: 1, globalBatch: 1536, zero: 1, recompute: 'none', sequenceParallel: true, virtualStages: 1 };

describe('FlashAttention', () => {
  it('drops the s² score memory (Korthikanti Table 2): without recomputation it holds what selective recomputation holds', () => {
    const eager = layerActivationBytes(gpt3, plan);
    const flash = layerActivationBytes({ ...gpt3, attention: 'flash' }, plan);
    const selective = layerActivationBytes(gpt3, { ...plan, recompute: 'selective' });
    expect(flash).toBe(selective);
    const { seqLen: s, dModel: h, heads: a } = gpt3;
    expect(eager - flash).toBeCloseTo(s * h * ((5 * a * s) / (h * plan.tp)), 0);
  });

  it('is faster than eager attention for the same layout, more so at long sequences', () => {
    const hw = perfHardware(registry.get('gpus', 'a100-sxm4-80gb'), registry.find('clusters', 'dgx-a100-superpod'), 'bf16');
    const gain = (seqLen: number): number => {
      const arch = { ...gpt3, seqLen };
      return stepTime(arch, plan, hw).stepSeconds / stepTime({ ...arch, attention: 'flash' }, plan, hw).stepSeconds;
    };
    expect(gain(2048)).toBeGreaterThan(1);
    expect(gain(8192)).toBeGreaterThan(gain(2048));
  });

  it("counts its backward's recomputed attention in the hardware FLOPs (HFU), as selective recomputation is counted", () => {
    const hw = perfHardware(registry.get('gpus', 'a100-sxm4-80gb'), undefined, 'bf16');
    const eager = stepTime(gpt3, plan, hw);
    const flash = stepTime({ ...gpt3, attention: 'flash' }, plan, hw);
    const selective = stepTime(gpt3, { ...plan, recompute: 'selective' }, hw);
    expect(eager.hardwareFlops).toBe(eager.modelFlops);
    expect(flash.modelFlops).toBe(eager.modelFlops);
    expect(flash.hardwareFlops).toBeCloseTo(selective.hardwareFlops, -6);
    expect(flash.hardwareFlops).toBeGreaterThan(flash.modelFlops);
  });

  it('is the default from Ampere on, eager before; --attention chooses', async () => {
    expect(defaultAttention(registry.get('gpus', 'v100-sxm2-32gb'))).toBe('eager');
    expect(defaultAttention(registry.get('gpus', 'a100-sxm4-80gb'))).toBe('flash');
    expect(defaultAttention(registry.get('gpus', 'h100-sxm'))).toBe('flash');
    expect((await estimateJson<{ attention: string }>(['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '64'])).attention).toBe('flash');
    expect((await estimateJson<{ attention: string }>(['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '64', '--attention', 'eager'])).attention).toBe(
      'eager',
    );
    expect((await estimateJson<{ attention: string }>(['--model', 'gpt3-13b', '--gpu', 'v100', '--gpus', '64'])).attention).toBe('eager');
  });
});

describe('GEMM ceilings per GPU generation', () => {
  it("come from the preset's measured matmul rate (Bekman, MAMF) where it has one; other GPUs use the fitted constant", () => {
    const ceiling = (gpu: string, precision: 'bf16' | 'fp16' | 'fp8'): number | undefined =>
      perfHardware(registry.get('gpus', gpu), undefined, precision).gemmEfficiencyMax;
    expect(ceiling('h100-sxm', 'bf16')).toBeCloseTo(794.5 / 989.4, 6);
    expect(ceiling('h100-sxm', 'fp8')).toBeCloseTo(1402.6 / 1978.9, 6);
    expect(ceiling('a100-sxm4-80gb', 'bf16')).toBeCloseTo(271.2 / 312, 6);
    // FP16 runs on the same tensor cores at the same rate as BF16.
    expect(ceiling('a100-sxm4-80gb', 'fp16')).toBeCloseTo(271.2 / 312, 6);
    expect(ceiling('v100-sxm2-32gb', 'fp16')).toBeUndefined();
  });

  // FP8 as Transformer Engine trains: GEMMs in FP8 with casts around them, attention and the rest in
  // BF16. Published end-to-end gains on H100 lie between 1.1x and 1.75x: torchao float8 on Llama 3 8B
  // +25% (tensorwise), PyTorch's FSDP2 float8 on Llama 3 70B 1.5x, FP8-LM on GPT 175B +64%
  // (Peng et al. 2023, https://arxiv.org/abs/2310.18313). The issue asks for 1.2-1.5x, not the 2x of the peaks.
  it.each([
    ['llama3-8b', { tp: 1, pp: 1, dp: 8, microBatch: 1, globalBatch: 64, zero: 3, recompute: 'none', sequenceParallel: false, virtualStages: 1 }],
    ['llama3-70b', { tp: 8, pp: 1, dp: 8, microBatch: 1, globalBatch: 64, zero: 1, recompute: 'full', sequenceParallel: true, virtualStages: 1 }],
    ['gpt3-175b', { tp: 8, pp: 8, dp: 4, microBatch: 1, globalBatch: 1536, zero: 1, recompute: 'none', sequenceParallel: true, virtualStages: 1 }],
  ] as const)('FP8 trains %s 1.2-1.5x faster than BF16 on H100, not 2x', (id, layout) => {
    const arch = { ...modelArch(registry.get('models', id)), attention: 'flash' as const };
    const h100 = registry.get('gpus', 'h100-sxm');
    const seconds = (precision: 'bf16' | 'fp8'): number => stepTime(arch, { ...layout }, perfHardware(h100, undefined, precision)).stepSeconds;
    const gain = seconds('bf16') / seconds('fp8');
    expect(gain).toBeGreaterThanOrEqual(1.2);
    expect(gain).toBeLessThanOrEqual(1.5);
  });
});

// Sliding-window attention: a query sees at most W keys, so a windowed layer counts 2W − W²/T keys in
// PaLM's non-causal convention (twice the causal average W − W²/(2T)); a fused kernel does that work,
// an eager one computes every score and masks the rest.
describe('sliding-window attention', () => {
  const mistral = modelArch(registry.get('models', 'mistral-7b'));
  const hw = perfHardware(registry.get('gpus', 'h100-sxm'), undefined, 'bf16');
  const one: ParallelPlan = { tp: 1, pp: 1, dp: 8, microBatch: 1, globalBatch: 64, zero: 1, recompute: 'none', sequenceParallel: false, virtualStages: 1 };

  it('counts 2W − W²/T keys per windowed layer and T per full layer; a window as long as the sequence changes nothing', () => {
    const arch = { layers: 4, seqLen: 8192 };
    expect(attendedKeysPerToken({ ...arch, slidingWindow: { tokens: 1024, layers: 3 } })).toBe(8192 + 3 * (2048 - (1024 * 1024) / 8192));
    expect(attendedKeysPerToken({ ...arch, slidingWindow: { tokens: 8192, layers: 4 } })).toBe(4 * 8192);
    expect(attendedKeysPerToken(arch)).toBe(4 * 8192);
    // Mistral 7B's preset: window 4,096 on every layer of its 8,192-token sequence, 3/4 of the full count.
    expect(mistral.slidingWindow).toEqual({ tokens: 4096, layers: 32 });
    const full = attentionForwardFlopsPerToken({ ...mistral, slidingWindow: undefined });
    expect(attentionForwardFlopsPerToken(mistral) / full).toBeCloseTo(0.75, 12);
  });

  it('makes fused attention cheaper and leaves eager attention as it was', () => {
    const flash = { ...mistral, attention: 'flash' as const };
    expect(stepTime(flash, one, hw).stepSeconds).toBeLessThan(stepTime({ ...flash, slidingWindow: undefined }, one, hw).stepSeconds);
    const eager = { ...mistral, attention: 'eager' as const };
    const eagerFull = { ...eager, slidingWindow: undefined };
    // The eager step differs only in the MFU's FLOPs, not in time.
    expect(stepTime(eager, one, hw).stepSeconds).toBeCloseTo(stepTime(eagerFull, one, hw).stepSeconds, 9);
  });

  it('--sliding-window W [--sliding-layers n] gives a model a window; more layers than it has, or layers without a window, are one line, exit 2', async () => {
    type E = { mfu: number; trainingFlops: number; layoutStepSeconds: number };
    const base = ['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '8', '--tokens', '1B', '--perf', 'model'];
    const plain = await estimateJson<E>(base);
    const windowed = await estimateJson<E>([...base, '--sliding-window', '1024', '--sliding-layers', '24']);
    // 6ND counts no attention, so the training FLOPs are the same; the window shortens the step. (MFU
    // counts attention as PaLM does, so it can move either way.)
    expect(windowed.trainingFlops).toBe(plain.trainingFlops);
    expect(windowed.layoutStepSeconds).toBeLessThan(plain.layoutStepSeconds);
    for (const [args, message] of [
      [['--sliding-window', '1024', '--sliding-layers', '33'], /--sliding-layers 33 is more than the model's 32 layers/],
      [['--sliding-layers', '4'], /--sliding-layers needs a window, and this model has none/],
    ] as const) {
      const r = await cli(['estimate', ...base, ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('a run file or preset cannot give more windowed layers than the model has', async () => {
    const { ArchitectureSchema } = await import('../../src/presets/schema.js');
    const base = { layers: 4, dModel: 256, heads: 4, ffnHidden: 1024, mlp: 'gelu', vocab: 1000, seqLen: 2048 };
    expect(ArchitectureSchema.safeParse({ ...base, slidingWindow: { tokens: 512, layers: 5 } }).success).toBe(false);
    expect(ArchitectureSchema.safeParse({ ...base, slidingWindow: { tokens: 512 } }).success).toBe(true);
  });
});
