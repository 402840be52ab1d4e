// TorchTitan's per-op selective activation checkpointing (--recompute op; core/per-op-recompute.ts):
// what a layer keeps, what the backward pass recomputes, and how the estimate treats the mode.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS, stepTime } from '../../src/core/perf.js';
import { activationBytesPerGpu, heldLayerActivationBytes } from '../../src/core/memory.js';
import type { ParallelPlan } from '../../src/core/parallel.js';
import { perOpHeldBytesPerToken, perOpRecomputedParamsPerLayer, perOpRecomputedShare } from '../../src/core/per-op-recompute.js';
import { perfHardware } from '../../src/resolve/layout.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { cli, estimateJson } from '../helpers/cli.js';
import { arch } from '../helpers/presets.js';

type Planned = { plan?: { recompute: string } };
const llama8b = arch('llama3-8b');
const registry = builtinRegistry();
const plan = (o: Partial<ParallelPlan> = {}): ParallelPlan => ({
  tp: 1,
  pp: 1,
  dp: 8,
  microBatch: 2,
  globalBatch: 16,
  zero: 3,
  recompute: 'op',
  sequenceParallel: false,
  virtualStages: 1,
  cp: 1,
  ep: 1,
  ...o,
});

describe('what a layer keeps under the per-op policy', () => {
  it('Llama 3 8B on one rank: its input, q, v, the gate and the down projection, attention’s output and log-sum-exp (63,616 bytes a token)', () => {
    const [h, q, kv, f] = [4096, 4096, 1024, 14336];
    expect(perOpHeldBytesPerToken(llama8b, 1, false)).toBe(2 * h + 2 * q + 2 * kv + 2 * f + 2 * h + 2 * q + 4 * 32);
    expect(heldLayerActivationBytes(llama8b, plan())).toBe(2 * 8192 * 63_616);
  });
  it('lies between full recomputation and selective recomputation, and TP splits what is column-parallel', () => {
    const held = (recompute: ParallelPlan['recompute'], o: Partial<ParallelPlan> = {}) =>
      heldLayerActivationBytes(llama8b, plan({ recompute, ...o }), undefined, 'eager');
    expect(held('op')).toBeGreaterThan(held('full'));
    expect(held('op')).toBeLessThan(held('selective'));
    expect(held('op', { tp: 8 })).toBeLessThan(held('op'));
    expect(held('op', { tp: 8, sequenceParallel: true })).toBeLessThan(held('op', { tp: 8 }));
  });
  it('the backward rebuilds only what the policy did not keep: less than full recomputation adds on top of its inputs', () => {
    const m = { ...llama8b, layers: 1 };
    const total = (recompute: ParallelPlan['recompute']) => activationBytesPerGpu(m, plan({ recompute }), { includeLoss: false, kernels: 'eager' });
    const none = total('none');
    expect(total('op')).toBeCloseTo(Math.max(none, heldLayerActivationBytes(m, plan())), 0);
    expect(total('full')).toBeGreaterThan(none);
  });
});

describe('what it recomputes', () => {
  it('k, the output projection and up: 37% of a Llama 3 8B layer’s weights, half a GPT-3-style one (k, output and fc2)', () => {
    expect(perOpRecomputedParamsPerLayer(llama8b)).toBe(4096 * 1024 + 4096 * 4096 + 4096 * 14336);
    expect(perOpRecomputedShare(llama8b)).toBeCloseTo(79_691_776 / 218_103_808, 9);
    const gpt = arch('gpt3-175b');
    expect(perOpRecomputedShare(gpt)).toBeCloseTo((1 + 1 + 4) / (3 + 1 + 8), 9);
  });
  it('hardware FLOPs: more than none or selective, fewer than full; and the step takes longer than without recomputation', () => {
    const hw = perfHardware(registry.get('gpus', 'h100-sxm'), registry.find('clusters', 'dgx-h100-superpod'), 'bf16');
    const step = (recompute: ParallelPlan['recompute']) => stepTime(llama8b, plan({ recompute }), hw, DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS);
    const [none, selective, op, full] = (['none', 'selective', 'op', 'full'] as const).map(step);
    expect(op?.hardwareFlops).toBeGreaterThan(selective?.hardwareFlops as number);
    expect(op?.hardwareFlops).toBeLessThan(full?.hardwareFlops as number);
    expect(op?.modelFlops).toBe(none?.modelFlops);
    // The recomputed projections' forward, 2 FLOPs a weight, 32 layers, every token of the step.
    expect((op?.hardwareFlops as number) - (none?.hardwareFlops as number)).toBeCloseTo(2 * perOpRecomputedParamsPerLayer(llama8b) * 32 * 16 * 8192, -6);
    expect(op?.stepSeconds).toBeGreaterThan(none?.stepSeconds as number);
    expect(op?.stepSeconds).toBeLessThan(full?.stepSeconds as number);
  });
});

describe('--recompute op', () => {
  it('is used when asked for, and never picked by the layout search', async () => {
    const base = ['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '8', '--perf', 'model'];
    const asked = await estimateJson<Planned>([...base, '--recompute', 'op']);
    expect(asked.plan?.recompute).toBe('op');
    for (const gpus of ['8', '64', '512']) {
      const searched = await estimateJson<Planned>(['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', gpus, '--perf', 'model']);
      expect(searched.plan?.recompute).not.toBe('op');
    }
  });
  it('is refused for mixtures of experts and MLA, in one line', async () => {
    for (const model of ['deepseek-v3', 'mixtral-8x7b']) {
      const { code, err } = await cli(['estimate', '--model', model, '--gpus', '512', '--gpu', 'h100', '--recompute', 'op']);
      expect(code).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/--recompute op \(TorchTitan's per-op policy\) is modelled for dense models/);
    }
  });
});
