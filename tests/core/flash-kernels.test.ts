// Fused attention at the rate of the kernel a framework calls (src/core/perf.ts, FLASH_KERNELS and
// flashAttentionEfficiencies): cuDNN's under Transformer Engine, FlashAttention-2 under eager PyTorch.
import { describe, expect, it } from 'vitest';
import type { ParallelPlan } from '../../src/core/parallel.js';
import { DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS, flashAttentionEfficiencies, flashKernelOf, stepTime } from '../../src/core/perf.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { builtinThroughputSets } from '../../src/presets/builtin-throughput.js';
import { modelArch } from '../../src/presets/to-core.js';
import { perfHardware } from '../../src/resolve/layout.js';
import { throughputCases } from '../../src/resolve/throughput.js';
import { cli, estimateJson } from '../helpers/cli.js';

const registry = builtinRegistry();
const llama8b = { ...modelArch(registry.get('models', 'llama3-8b')), attention: 'flash' as const, seqLen: 32768 };
const plan: ParallelPlan = { tp: 1, pp: 1, dp: 8, microBatch: 1, globalBatch: 8, zero: 3, recompute: 'full', sequenceParallel: false, virtualStages: 1 };
const gemmSeconds = (gpu: string, cluster: string, flashKernel: 'cudnn' | 'fa2' | 'fa1') =>
  stepTime(llama8b, plan, perfHardware(registry.get('gpus', gpu), registry.find('clusters', cluster), 'bf16'), DEFAULT_PERF_CONSTANTS, {
    ...DEFAULT_PERF_OPTIONS,
    flashKernel,
  }).gemmSeconds;

describe('fused attention by kernel', () => {
  it("takes each kernel's benchmark rate from FlashAttention-3's H100 figures: cuDNN 0.53 of the peak, FlashAttention-2 0.33, the first FlashAttention half of that", () => {
    expect(flashAttentionEfficiencies('hopper')).toEqual({ cudnn: 0.53, fa2: 0.33, fa1: 0.165 });
    // Transformer Engine runs FlashAttention-2 on Ampere: the two classes are one rate there.
    const ampere = flashAttentionEfficiencies('ampere');
    expect(ampere.cudnn).toBe(ampere.fa2);
  });

  it('on an H100, a 32K-token step is slower with FlashAttention-2 than with cuDNN, and slower still with the first FlashAttention; on an A100 cuDNN and FlashAttention-2 tie', () => {
    const cudnn = gemmSeconds('h100-sxm', 'dgx-h100-superpod', 'cudnn');
    const fa2 = gemmSeconds('h100-sxm', 'dgx-h100-superpod', 'fa2');
    expect(fa2).toBeGreaterThan(1.2 * cudnn);
    expect(gemmSeconds('h100-sxm', 'dgx-h100-superpod', 'fa1')).toBeGreaterThan(fa2);
    expect(gemmSeconds('a100-sxm4-80gb', 'dgx-a100-superpod', 'fa2')).toBeCloseTo(gemmSeconds('a100-sxm4-80gb', 'dgx-a100-superpod', 'cudnn'), 12);
  });

  it("follows the framework's kernels: Transformer Engine's fused kernels call cuDNN's attention, eager PyTorch FlashAttention-2", () => {
    expect(flashKernelOf('fused')).toBe('cudnn');
    expect(flashKernelOf('eager')).toBe('fa2');
  });

  it('under --perf model, --kernels eager gives a slower step than --kernels fused on H100 and says which attention it timed', async () => {
    const args = ['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '64', '--tokens', '1e10', '--seq-len', '16384', '--perf', 'model'];
    type E = { stepSeconds: number; assumptions: { name: string; value: string }[] };
    const fused = (await estimateJson<E>([...args, '--kernels', 'fused'])) as E;
    const eager = (await estimateJson<E>([...args, '--kernels', 'eager'])) as E;
    expect(eager.stepSeconds).toBeGreaterThan(fused.stepSeconds);
    const attention = (e: E) => e.assumptions.find((a) => a.name === 'Attention')?.value;
    expect(attention(fused)).toMatch(/Transformer Engine's fused attention/);
    expect(attention(eager)).toMatch(/FlashAttention-2 through PyTorch's SDPA/);
  });

  it("a throughput set's kernel reaches its rows, and a row may name its own: the FlashAttention-2 paper's first-FlashAttention rows", () => {
    const cases = throughputCases(builtinThroughputSets(), registry);
    const kernelOf = (id: string) => cases.find((c) => c.row.id === id)?.layout?.options.flashKernel;
    expect(kernelOf('torchtitan-paper-llama31-8b-h100x8-fsdp-bf16')).toBe('fa2');
    expect(kernelOf('fa2-gpt3-1.3b-8k-a100x8-flash1')).toBe('fa1');
    expect(kernelOf('llmc-gpt2-124m-h100x8-zero1-bf16-b64')).toBe('cudnn');
    expect(kernelOf('mlperf-v50-405b-carina-ngpu512')).toBe('cudnn');
  });
});

describe('FP8 attention (--fp8-attention)', () => {
  const lora = ['--model', 'llama2-70b', '--finetune', 'lora', '--gpu', 'h100', '--gpus', '8', '--tokens', '1e9', '--seq-len', '8192', '--precision', 'fp8'];
  type E = { stepSeconds: number; fp8Attention: boolean; assumptions: { name: string }[] };

  it("times attention's matmuls at FlashAttention-3's FP8 rate: a shorter step, said in the JSON and the assumptions", async () => {
    const bf16Attention = (await estimateJson<E>(lora)) as E;
    const fp8Attention = (await estimateJson<E>([...lora, '--fp8-attention'])) as E;
    expect(fp8Attention.stepSeconds).toBeLessThan(bf16Attention.stepSeconds);
    expect(fp8Attention.fp8Attention).toBe(true);
    expect(bf16Attention.fp8Attention).toBe(false);
    expect(fp8Attention.assumptions.map((a) => a.name)).toContain('FP8 attention');
  });

  it('is refused without FP8 training, with one line and exit 2', async () => {
    const r = await cli(['estimate', ...lora.slice(0, -2), '--fp8-attention']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--fp8-attention/);
  });
});
