// Expert parallelism (issue 16): experts spread over EP ranks carved out of DP × CP (or folded over TP),
// the dispatch/combine all-to-all, and what the layout search does with it.
import { describe, expect, it } from 'vitest';
import { searchLayouts } from '../../src/core/layout-search.js';
import { memoryPerGpu, paramsPerGpuByKind } from '../../src/core/memory.js';
import { type ParallelPlan, expertDataRanks, expertTensorParallel } from '../../src/core/parallel.js';
import { DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS, stepTime } from '../../src/core/perf.js';
import { routedExpertParams } from '../../src/core/params.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { modelArch } from '../../src/presets/to-core.js';
import { memoryCapacityBytes, perfHardware } from '../../src/resolve/layout.js';
import { estimateJson } from '../helpers/cli.js';

const registry = builtinRegistry();
const deepseek = { ...modelArch(registry.get('models', 'deepseek-v3')), attention: 'flash' as const };
const llama = { ...modelArch(registry.get('models', 'llama3-8b')), attention: 'flash' as const };
const h800 = perfHardware(registry.get('gpus', 'h800'), registry.find('clusters', 'hgx-h800'), 'fp8');
// DeepSeek-V3's published layout (technical report §3.2): PP 16, EP 64, ZeRO-1, no TP, 2,048 H800.
const published: ParallelPlan = {
  tp: 1,
  pp: 16,
  dp: 128,
  ep: 64,
  microBatch: 1,
  globalBatch: 15360,
  zero: 1,
  recompute: 'none',
  sequenceParallel: false,
  virtualStages: 1,
};

describe('expert parallelism', () => {
  it('spreads the routed experts over EP ranks, the rest over TP as before', () => {
    const one = paramsPerGpuByKind(deepseek, { ...published, ep: 1 }, true);
    const sixtyFour = paramsPerGpuByKind(deepseek, published, true);
    expect(sixtyFour.dense).toBe(one.dense);
    expect(one.expert / sixtyFour.expert).toBeCloseTo(64, 9);
    expect(routedExpertParams(llama)).toBe(0);
  });

  it('shards the experts’ optimizer state over the ranks holding the same experts (DP × CP ÷ EP)', () => {
    expect(expertDataRanks(published)).toBe(2);
    const m = memoryPerGpu(deepseek, published);
    const p = paramsPerGpuByKind(deepseek, published, true);
    expect(m.optimizerBytes).toBeCloseTo(12 * (p.dense / 128 + p.expert / 2), 0);
  });

  it('folds EP over the TP ranks when DP × CP cannot hold it, the experts then unsplit by TP (MoE Parallel Folding)', () => {
    const folded = { ...published, tp: 2, dp: 16, pp: 8, ep: 32 };
    expect(expertTensorParallel(folded)).toBe(1);
    expect(expertDataRanks(folded)).toBe(1);
    expect(expertTensorParallel({ ...folded, ep: 8 })).toBe(2);
  });

  it('the all-to-all costs time that overlap hides and DeepEP shrinks across nodes', () => {
    const plain = stepTime(deepseek, published, h800);
    const overlapped = stepTime(deepseek, published, h800, DEFAULT_PERF_CONSTANTS, { ...DEFAULT_PERF_OPTIONS, expertOverlap: true });
    const deepep = stepTime(deepseek, published, h800, DEFAULT_PERF_CONSTANTS, { ...DEFAULT_PERF_OPTIONS, expertDispatcher: 'deepep' });
    expect(plain.expertParallelSeconds).toBeGreaterThan(0);
    expect(overlapped.expertParallelSeconds).toBeLessThan(plain.expertParallelSeconds);
    expect(deepep.expertParallelSeconds).toBeLessThan(plain.expertParallelSeconds);
    expect(stepTime(deepseek, { ...published, ep: 1 }, h800).expertParallelSeconds).toBe(0);
  });

  it('an imbalanced router slows the experts, not the rest', () => {
    const even = stepTime(deepseek, published, h800);
    const skewed = stepTime(deepseek, published, h800, DEFAULT_PERF_CONSTANTS, { ...DEFAULT_PERF_OPTIONS, expertImbalance: 1.25 });
    expect(skewed.gemmSeconds).toBeGreaterThan(even.gemmSeconds);
    expect(skewed.gemmSeconds).toBeLessThan(1.25 * even.gemmSeconds);
  });

  it('is searched for MoE models only', () => {
    const input = { globalBatch: 1024, hardware: h800, memoryCapacityBytes: memoryCapacityBytes(registry.get('gpus', 'h800')) };
    expect(searchLayouts({ ...input, arch: llama, gpus: 64 }).best?.plan.ep ?? 1).toBe(1);
    expect(searchLayouts({ ...input, arch: deepseek, gpus: 1024 }).best?.plan.ep).toBeGreaterThan(1);
  });
});

describe('the experts’ own tensor parallelism', () => {
  it('a stated expert TP overrides the rule: experts unsplit under attention TP 2, shards over the ranks left', () => {
    const folded = { ...published, tp: 2, pp: 8, dp: 8, ep: 8, etp: 1 };
    expect(expertTensorParallel(folded)).toBe(1);
    expect(expertDataRanks(folded)).toBe(2);
    const byRule = paramsPerGpuByKind(deepseek, { ...folded, etp: undefined }, true);
    const stated = paramsPerGpuByKind(deepseek, folded, true);
    expect(stated.expert / byRule.expert).toBeCloseTo(2, 9);
  });
});

describe('token-dropping capacity factor (--capacity-factor)', () => {
  const run = ['--model', 'deepseek-v3', '--gpu', 'h800', '--gpus', '2048', '--tokens', '14.8T', '--perf', 'model'];
  type Days = { wallClockDays: number; assumptions: { name: string; value: string; origin: string }[] };
  const days = async (extra: string[]) => estimateJson<Days>([...run, ...extra]);

  it('caps the busiest rank at the capacity: an imbalance of 2 dropped at 1.25 costs what 1.25 does', async () => {
    const [even, skewed, capped, asMuch] = await Promise.all([
      days([]),
      days(['--expert-imbalance', '2']),
      days(['--expert-imbalance', '2', '--capacity-factor', '1.25']),
      days(['--expert-imbalance', '1.25']),
    ]);
    expect(skewed.wallClockDays).toBeGreaterThan(asMuch.wallClockDays);
    expect(asMuch.wallClockDays).toBeGreaterThan(even.wallClockDays);
    expect(capped.wallClockDays).toBe(asMuch.wallClockDays);
    const load = capped.assumptions.find((a) => a.name === 'Expert load');
    expect(load).toMatchObject({ value: 'busiest rank 1.25× an even split', origin: 'capped by --capacity-factor' });
    expect(capped.assumptions.find((a) => a.name === 'Capacity factor')?.value).toMatch(/dropped/);
  });

  it('a capacity above the imbalance changes nothing', async () => {
    const [plain, loose] = await Promise.all([days([]), days(['--capacity-factor', '2'])]);
    expect(loose.wallClockDays).toBe(plain.wallClockDays);
  });
});
