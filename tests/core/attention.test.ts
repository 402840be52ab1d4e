// FlashAttention in the memory and step-time models, and where its default and the GEMM ceilings come from.
import { describe, expect, it } from 'vitest';
import { layerActivationBytes } from '../../src/core/memory.js';
import type { ParallelPlan } from '../../src/core/parallel.js';
import { GEMM_CEILINGS, stepTime } from '../../src/core/perf.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { modelArch } from '../../src/presets/to-core.js';
import { defaultAttention } from '../../src/resolve/defaults.js';
import { perfHardware } from '../../src/resolve/layout.js';
import { estimateJson } from '../helpers/cli.js';

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
  it('Hopper gets its fitted ceilings, Ampere keeps the 2021 constant', () => {
    const h100 = registry.get('gpus', 'h100-sxm');
    expect(perfHardware(h100, undefined, 'bf16').gemmEfficiencyMax).toBe(GEMM_CEILINGS.hopper?.bf16);
    expect(perfHardware(h100, undefined, 'fp8').gemmEfficiencyMax).toBe(GEMM_CEILINGS.hopper?.fp8);
    expect(perfHardware(registry.get('gpus', 'a100-sxm4-80gb'), undefined, 'bf16').gemmEfficiencyMax).toBeUndefined();
  });

  // Issue 15 expects FP8 GEMMs 1.2–1.5× faster than BF16 (Transformer Engine: GEMMs in FP8, the rest
  // in BF16). The Hopper FP8 ceiling fitted on llm-foundry's seven FP8 rows (1B and 3B models) makes
  // them about as fast as BF16, 0.98×: those small models' FP8 overheads (casts, scaling) land in
  // the ceiling. Modelling FP8 as Transformer Engine runs it should move this into 1.2–1.5.
  it('known gap: FP8 GEMMs on Hopper run 0.98× the BF16 rate (expected 1.2–1.5×)', () => {
    const { bf16 = 0, fp8 = 0 } = GEMM_CEILINGS.hopper ?? {};
    const peaks = registry.get('gpus', 'h100-sxm').denseTflops;
    const ratio = (fp8 * (peaks.fp8 ?? 0)) / (bf16 * (peaks.bf16 ?? 0));
    expect(ratio).toBeGreaterThanOrEqual(0.96);
    expect(ratio).toBeLessThanOrEqual(1.0);
  });
});
