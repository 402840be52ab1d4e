// Collectives across nodes in the step-time model: the rate of every network interface a group has
// in a node, and NCCL's ring latency per call (src/core/perf.ts, collectiveBytesPerSecond and
// ringLatencySeconds).
import { describe, expect, it } from 'vitest';
import type { ParallelPlan } from '../../src/core/parallel.js';
import { DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS, stepTime } from '../../src/core/perf.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { modelArch } from '../../src/presets/to-core.js';
import { perfHardware } from '../../src/resolve/layout.js';
import { cli, estimateJson } from '../helpers/cli.js';

const registry = builtinRegistry();
const llama8b = { ...modelArch(registry.get('models', 'llama3-8b')), attention: 'flash' as const };
const h100 = perfHardware(registry.get('gpus', 'h100-sxm'), registry.find('clusters', 'dgx-h100-superpod'), 'bf16');
const ddp: ParallelPlan = { tp: 1, pp: 1, dp: 64, microBatch: 1, globalBatch: 64, zero: 0, recompute: 'none', sequenceParallel: false, virtualStages: 1 };
const dpSeconds = (plan: ParallelPlan, options = DEFAULT_PERF_OPTIONS) => stepTime(llama8b, plan, h100, DEFAULT_PERF_CONSTANTS, options).dataParallelSeconds;

describe('collectives across nodes', () => {
  it('a data-parallel group with all eight GPUs of each node crosses at eight interfaces, up to NVLink: one bucket takes far less than eight times under TP 1 what one GPU an interface would', () => {
    const whole = { ...DEFAULT_PERF_OPTIONS, gradientBucketElements: Number.POSITIVE_INFINITY };
    const seconds = dpSeconds(ddp, whole);
    // The ring moves 2(n − 1)/n of Llama 3 8B's 16-bit gradients; at one interface a GPU (45 GB/s achieved) that is over 0.6 s.
    const oneInterface =
      (((2 * 63) / 64) * 8.03e9 * DEFAULT_PERF_OPTIONS.gradCommBytes) / (h100.interNodeBytesPerSecond * DEFAULT_PERF_CONSTANTS.interNodeLinkEfficiency);
    expect(seconds).toBeLessThan(oneInterface / 4);
    expect(seconds).toBeGreaterThan(oneInterface / 8);
  });

  it('TP 8 leaves one member of the group in each node: the same reduction per GPU takes longer per byte', () => {
    const whole = { ...DEFAULT_PERF_OPTIONS, gradientBucketElements: Number.POSITIVE_INFINITY };
    const tp8: ParallelPlan = { ...ddp, tp: 8, dp: 8, sequenceParallel: true, globalBatch: 8 };
    // Each TP rank holds an eighth of the weights: with the same rate a GPU, an eighth of the time.
    expect(dpSeconds(tp8, whole)).toBeGreaterThan(dpSeconds(ddp, whole) / 8);
  });

  it('every bucket pays the ring latency across nodes, and none inside a node', () => {
    const small = { ...DEFAULT_PERF_OPTIONS, gradientBucketElements: 1e6 };
    const large = { ...DEFAULT_PERF_OPTIONS, gradientBucketElements: 1e9 };
    expect(dpSeconds(ddp, small)).toBeGreaterThan(dpSeconds(ddp, large));
    const oneNode: ParallelPlan = { ...ddp, dp: 8, globalBatch: 8 };
    expect(dpSeconds(oneNode, small)).toBeCloseTo(dpSeconds(oneNode, large), 12);
  });

  it('a longer ring waits longer per call: the same buckets cost more latency on 64 nodes than on 8', () => {
    const tiny = { ...DEFAULT_PERF_OPTIONS, gradientBucketElements: 1e5 };
    const perCall = (plan: ParallelPlan) => dpSeconds(plan, tiny) - dpSeconds(plan, { ...tiny, gradientBucketElements: Number.POSITIVE_INFINITY });
    expect(perCall({ ...ddp, dp: 512, globalBatch: 512 })).toBeGreaterThan(4 * perCall(ddp));
  });

  it("DeepSpeed's ZeRO-3 crosses at one interface a GPU, FSDP at the node's: DeepSpeed's gathers take longer", () => {
    const zero3: ParallelPlan = { ...ddp, zero: 3, recompute: 'full' };
    const fsdp = dpSeconds(zero3, { ...DEFAULT_PERF_OPTIONS, shardingEngine: 'fsdp' });
    const deepspeed = dpSeconds(zero3, { ...DEFAULT_PERF_OPTIONS, shardingEngine: 'deepspeed' });
    expect(deepspeed).toBeGreaterThan(2 * fsdp);
  });

  it('the estimate says so among its assumptions when the step-time model times the run, and not otherwise', async () => {
    type E = { assumptions: { name: string; value: string; origin: string }[] };
    const args = ['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '64', '--tokens', '1T'];
    const model = await estimateJson<E>([...args, '--perf', 'model']);
    const collectives = model.assumptions.find((a) => a.name === 'Collectives');
    expect(collectives?.value).toMatch(/every network interface a group has in a node/);
    expect(collectives?.origin).toMatch(/NCCL tuning model/);
    const mfu = await estimateJson<E>(args);
    expect(mfu.assumptions.map((a) => a.name)).not.toContain('Collectives');
  });

  it('--grad-bucket-mib sets the buckets: 25 MiB buckets across 64 nodes cost more than Megatron-Core’s, the assumption says so, and 0 is refused', async () => {
    type E = { tflopsPerGpu: number; assumptions: { name: string; value: string; origin: string }[] };
    const args = ['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '512', '--tokens', '1T', '--perf', 'model', '--zero', '1'];
    const megatron = await estimateJson<E>(args);
    const ddp = await estimateJson<E>([...args, '--grad-bucket-mib', '25']);
    expect(ddp.tflopsPerGpu).toBeLessThan(megatron.tflopsPerGpu);
    const collectives = ddp.assumptions.find((a) => a.name === 'Collectives');
    expect(collectives?.value).toMatch(/buckets of 25 MiB/);
    expect(collectives?.origin).toMatch(/--grad-bucket-mib/);
    const bad = await cli(['estimate', ...args, '--grad-bucket-mib', '0']);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });
});
