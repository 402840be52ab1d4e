// Pipelines as Megatron-Core and TorchTitan run them (uneven stages, interleaving, ZeRO-3 under a
// pipeline) and context parallelism, in the memory and step-time models.
import { describe, expect, it } from 'vitest';
import { memoryPerGpu } from '../../src/core/memory.js';
import { type ParallelPlan, interleavable, stageLayers } from '../../src/core/parallel.js';
import { stepTime } from '../../src/core/perf.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { modelArch } from '../../src/presets/to-core.js';
import { perfHardware } from '../../src/resolve/layout.js';
import { estimateJson } from '../helpers/cli.js';

const registry = builtinRegistry();
const llama405b = { ...modelArch(registry.get('models', 'llama3.1-405b')), attention: 'flash' as const };
const h100 = perfHardware(registry.get('gpus', 'h100-sxm'), registry.find('clusters', 'dgx-h100-superpod'), 'bf16');
const table4: ParallelPlan = { tp: 8, pp: 16, dp: 64, microBatch: 1, globalBatch: 2048, zero: 1, recompute: 'full', sequenceParallel: true, virtualStages: 1 };

describe('uneven pipeline stages', () => {
  it('split 126 layers on 16 stages as Llama 3 405B ran them: 7 + 14 × 8 + 7 (the first and last stages one layer lighter)', () => {
    expect(stageLayers(126, 16)).toEqual({ first: 7, middle: 8, last: 7 });
    expect(stageLayers(96, 8)).toEqual({ first: 12, middle: 12, last: 12 });
    expect(stageLayers(24, 5)).toEqual({ first: 5, middle: 5, last: 4 });
    // 9 layers cannot keep 7 equal middle stages of 2 and the rest for the ends.
    expect(stageLayers(9, 8)).toBeNull();
  });

  it('interleave when the middle stages split into equal chunks, up to 8', () => {
    for (const v of [1, 2, 4, 8]) expect(interleavable(126, 16, v)).toBe(true);
    expect(interleavable(126, 16, 3)).toBe(false);
    expect(interleavable(96, 1, 2)).toBe(false);
  });

  it('interleaving shrinks the bubble by the chunks per stage and multiplies the transfers by them', () => {
    const plain = stepTime(llama405b, table4, h100);
    const interleaved = stepTime(llama405b, { ...table4, virtualStages: 4 }, h100);
    // A quarter of the slots, each a little longer by the extra transfers.
    const ratio = interleaved.bubbleSeconds / plain.bubbleSeconds;
    expect(ratio).toBeGreaterThan(1 / 4);
    expect(ratio).toBeLessThan(0.26);
    expect(interleaved.pipelineP2pSeconds / plain.pipelineP2pSeconds).toBeCloseTo(4, 6);
    expect(interleaved.stepSeconds).toBeLessThan(plain.stepSeconds);
  });

  it('the CLI accepts --virtual-stages for 126 layers on 16 stages', async () => {
    const e = await estimateJson<{ plan: ParallelPlan; fits: boolean }>([
      '--model',
      'llama3.1-405b',
      '--gpu',
      'h100',
      '--gpus',
      '8192',
      '--perf',
      'model',
      '--tp',
      '8',
      '--pp',
      '16',
      '--virtual-stages',
      '4',
    ]);
    expect(e.plan).toMatchObject({ tp: 8, pp: 16, dp: 64, virtualStages: 4 });
    expect(e.fits).toBe(true);
  });
});

describe('ZeRO-3 under a pipeline (TorchTitan, Llama 3)', () => {
  it('holds what ZeRO-1 holds and communicates once per step, where without a pipeline it shards the weights and gathers every micro-batch', () => {
    const zero1 = memoryPerGpu(llama405b, table4);
    const zero3 = memoryPerGpu(llama405b, { ...table4, zero: 3 });
    expect(zero3.totalBytes).toBeCloseTo(zero1.totalBytes, 0);
    expect(stepTime(llama405b, { ...table4, zero: 3 }, h100).dataParallelSeconds).toBeCloseTo(stepTime(llama405b, table4, h100).dataParallelSeconds, 9);
    const flat: ParallelPlan = { ...table4, tp: 8, pp: 1, dp: 1024 };
    expect(memoryPerGpu(llama405b, { ...flat, zero: 3 }).weightsBytes).toBeCloseTo(memoryPerGpu(llama405b, flat).weightsBytes / 1024, 0);
  });
});

describe('context parallelism', () => {
  const long = { ...llama405b, seqLen: 131072 };
  const cp16: ParallelPlan = { ...table4, dp: 8, globalBatch: 128, cp: 16 };

  it('divides activations by CP and shards ZeRO state over DP × CP', () => {
    const split = memoryPerGpu(long, cp16);
    // The same micro-batches in flight without CP: 16 times the activations.
    expect(memoryPerGpu(long, { ...cp16, cp: 1 }).activationsBytes / split.activationsBytes).toBeCloseTo(16, 6);
    // The same 128 shards of optimizer state as DP 128 without CP.
    expect(split.optimizerBytes).toBeCloseTo(memoryPerGpu(long, { ...cp16, cp: 1, dp: 128 }).optimizerBytes, 0);
  });

  it('charges only the key/value exchange that attention cannot hide', () => {
    const s = stepTime(long, cp16, h100);
    expect(s.contextParallelSeconds).toBeGreaterThanOrEqual(0);
    expect(s.contextParallelSeconds).toBeLessThan(0.1 * s.stepSeconds);
    const short = stepTime({ ...llama405b, seqLen: 8192 }, { ...cp16, globalBatch: 2048 }, h100);
    expect(short.contextParallelSeconds).toBeGreaterThan(0);
  });

  it('is searched for long sequences: Llama 3.1 405B at 131,072 tokens on 16,384 H100 finds a layout that fits', async () => {
    const e = await estimateJson<{ plan: ParallelPlan; fits: boolean }>([
      '--model',
      'llama3.1-405b',
      '--gpu',
      'h100',
      '--gpus',
      '16384',
      '--perf',
      'model',
      '--seq-len',
      '131072',
      '--global-batch',
      '128',
    ]);
    expect(e.fits).toBe(true);
    expect(e.plan.cp).toBeGreaterThan(1);
  });

  it('--cp fixes it', async () => {
    const e = await estimateJson<{ plan: ParallelPlan }>([
      '--model',
      'llama3-8b',
      '--gpu',
      'h100',
      '--gpus',
      '64',
      '--perf',
      'model',
      '--seq-len',
      '32768',
      '--cp',
      '4',
    ]);
    expect(e.plan.cp).toBe(4);
  });
});
