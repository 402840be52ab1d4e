import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTEXT_PARALLEL_FROM_TOKENS,
  MINIMUM_GPUS_BATCH_SLACK,
  type SearchInput,
  candidatePlans,
  leanPlan,
  minimumGpus,
  searchLayouts,
} from '../../src/core/layout-search.js';
import { DEFAULT_MEMORY_OPTIONS, memoryPerGpu } from '../../src/core/memory.js';
import { divisors, greatestCommonDivisor, microBatchesPerStep, stageLayers } from '../../src/core/parallel.js';
import { DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS, stepSecondsLowerBound, stepTime } from '../../src/core/perf.js';
import { memoryCapacityBytes, perfHardware } from '../../src/resolve/layout.js';
import { arch, registry } from '../helpers/presets.js';
import { referenceSearchLayouts } from '../helpers/reference-layout-search.js';

/** Every candidate evaluated, no pruning: what searchLayouts must agree with. */
function exhaustiveBest(input: SearchInput): { stepSeconds: number; plan: unknown } | null {
  let best: { stepSeconds: number; plan: unknown } | null = null;
  for (const plan of candidatePlans(input)) {
    if (memoryPerGpu(input.arch, plan, DEFAULT_MEMORY_OPTIONS).totalBytes > input.memoryCapacityBytes) continue;
    const { stepSeconds } = stepTime(input.arch, plan, input.hardware);
    if (best === null || stepSeconds < best.stepSeconds) best = { stepSeconds, plan };
  }
  return best;
}

const MODELS = ['gpt3-175b', 'llama2-70b', 'llama3-8b', 'mt-nlg-530b', 'mixtral-8x7b'];
const GPUS = ['v100-sxm2-32gb', 'a100-sxm4-40gb', 'a100-sxm4-80gb', 'h100-sxm'];

function input(modelId: string, gpuId: string, gpus: number, globalBatch: number): SearchInput {
  const gpu = registry.get('gpus', gpuId);
  return { arch: arch(modelId), gpus, globalBatch, hardware: perfHardware(gpu, undefined, 'bf16'), memoryCapacityBytes: memoryCapacityBytes(gpu) };
}

describe('layout search', () => {
  it('skipping dominated candidates finds the same fastest layout as trying every one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(...GPUS),
        fc.constantFrom(8, 16, 64, 96, 128, 256, 512, 1024),
        fc.constantFrom(256, 512, 1024, 1536),
        (model, gpu, gpus, batch) => {
          const i = input(model, gpu, gpus, batch);
          const pruned = searchLayouts(i);
          const full = exhaustiveBest(i);
          expect(pruned.best?.plan ?? null).toEqual(full?.plan ?? null);
          expect(pruned.evaluated).toBe(candidatePlans(i).length);
        },
      ),
      // Each run times every candidate (up to a few thousand since the search tries interleaving, uneven
      // pipelines, CP and EP); 10 keep this near half a second on two cores.
      { numRuns: 10 },
    );
  });

  it('returns what the first version of the search (every candidate, in order) returned: best, runner-up, count, and the leanest layout when none fits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(...GPUS),
        fc.constantFrom(8, 16, 64, 96, 128, 256, 512, 1024, 3072),
        fc.constantFrom(256, 512, 1000, 1024, 1536),
        fc.constantFrom(0, 0.25),
        fc.record({
          tp: fc.option(fc.constantFrom(1, 2, 8), { nil: undefined }),
          zero: fc.option(fc.constantFrom(0, 1, 3) as fc.Arbitrary<0 | 1 | 3>, { nil: undefined }),
        }),
        (model, gpu, gpus, batch, batchSlack, constraints) => {
          const i = { ...input(model, gpu, gpus, batch), batchSlack, constraints };
          const reference = referenceSearchLayouts(i);
          expect(searchLayouts(i)).toEqual({ ...reference, leastMemory: reference.best ? null : reference.leastMemory });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("the bound the search prunes with is never above a layout's step time, for either pipeline engine", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(...GPUS),
        fc.constantFrom(8, 64, 512, 1024),
        fc.constantFrom(512, 1536),
        fc.constantFrom('megatron', 'deepspeed') as fc.Arbitrary<'megatron' | 'deepspeed'>,
        fc.constantFrom(2, 4),
        (model, gpu, gpus, batch, pipelineEngine, gradCommBytes) => {
          const i = input(model, gpu, gpus, batch);
          for (const plan of candidatePlans(i)) {
            const shardingEngine = pipelineEngine === 'deepspeed' ? 'deepspeed' : 'fsdp';
            const step = stepTime(i.arch, plan, i.hardware, DEFAULT_PERF_CONSTANTS, {
              ...DEFAULT_PERF_OPTIONS,
              pipelineEngine,
              gradCommBytes,
              shardingEngine,
            }).stepSeconds;
            expect(stepSecondsLowerBound(i.arch, plan, i.hardware)).toBeLessThanOrEqual(step);
          }
        },
      ),
      { numRuns: 12 }, // every candidate of each run is timed twice: see above
    );
  });

  it('every candidate layout occupies exactly the GPUs (TP × CP × PP × DP), with TP dividing the node and the heads, PP splitting the layers, and DP × micro-batch the batch, rounded up by at most the slack', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(...GPUS),
        fc.integer({ min: 1, max: 4096 }),
        fc.constantFrom(256, 512, 1000, 1536),
        fc.constantFrom(0, 0.25),
        (model, gpu, gpus, batch, batchSlack) => {
          const i = { ...input(model, gpu, gpus, batch), batchSlack };
          const plans = candidatePlans(i);
          for (const p of plans) {
            expect(p.tp * (p.cp ?? 1) * p.pp * p.dp).toBe(gpus);
            expect(i.hardware.gpusPerNode % p.tp).toBe(0);
            expect(i.arch.heads % p.tp).toBe(0);
            // Uneven stages (stageLayers) only for pipelines of up to 16 powers-of-two stages.
            if (i.arch.layers % p.pp !== 0) expect(stageLayers(i.arch.layers, p.pp) !== null && p.pp <= 16 && (p.pp & (p.pp - 1)) === 0).toBe(true);
            // Context parallelism only for long sequences, in 2·CP equal chunks.
            if ((p.cp ?? 1) > 1) expect(i.arch.seqLen >= CONTEXT_PARALLEL_FROM_TOKENS && i.arch.seqLen % (2 * (p.cp ?? 1)) === 0).toBe(true);
            expect(p.globalBatch % (p.dp * p.microBatch)).toBe(0);
            expect(p.globalBatch).toBeGreaterThanOrEqual(batch);
            expect(p.globalBatch).toBeLessThanOrEqual(batch * (1 + batchSlack));
            expect(p.sequenceParallel).toBe(p.tp > 1);
            // Interleaving: equal chunks, and at least as many micro-batches as stages (Megatron-Core).
            if (p.virtualStages > 1)
              expect(p.pp > 1 && (stageLayers(i.arch.layers, p.pp)?.middle ?? 0) % p.virtualStages === 0 && microBatchesPerStep(p) >= p.pp).toBe(true);
          }
          // The search ranks exactly these, and its best fits in memory.
          const found = searchLayouts(i);
          expect(found.evaluated).toBe(plans.length);
          if (found.best) {
            expect(found.best.fits).toBe(true);
            expect(found.best.memory.totalBytes).toBeLessThanOrEqual(i.memoryCapacityBytes);
            expect(plans).toContainEqual(found.best.plan);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the fewest GPUs: 40 A100-80GB and 112 V100 for GPT-3 175B; and none when one layer of one sequence alone outgrows the GPU', () => {
    const lean = (i: SearchInput) => ({ arch: i.arch, globalBatch: i.globalBatch, hardware: i.hardware, memoryCapacityBytes: i.memoryCapacityBytes });
    expect(minimumGpus(lean(input('gpt3-175b', 'a100-sxm4-80gb', 8, 1536)))).toBe(40);
    expect(minimumGpus(lean(input('gpt3-175b', 'v100-sxm2-32gb', 8, 1536)))).toBe(112);
    const huge = input('llama3-8b', 'v100-sxm2-32gb', 8, 1536);
    huge.arch = { ...huge.arch, seqLen: 2e12 };
    expect(minimumGpus(lean(huge))).toBeNull();
    // The same answer a bounded scan gives.
    expect(minimumGpus(lean(huge), 64)).toBeNull();
  });

  it('the fewest GPUs agrees with trying every count from one, bounds and early answers included', () => {
    const lean = { zero: 3, recompute: 'full', microBatch: 1, virtualStages: 1 } as const;
    fc.assert(
      fc.property(
        fc.constantFrom('llama3-8b', 'gpt3-13b', 'gpt3-175b', 'mixtral-8x7b'),
        fc.constantFrom('v100-sxm2-32gb', 'a100-sxm4-80gb', 'h100-sxm'),
        fc.constantFrom(4, 16, 64, 512),
        fc.constantFrom(1, 1, 1e3, 1e5),
        fc.constantFrom(1, 1, 16, 64),
        (model, gpu, batch, vocabScale, seqScale) => {
          const i = input(model, gpu, 8, batch);
          const arch = { ...i.arch, vocab: i.arch.vocab * vocabScale, seqLen: i.arch.seqLen * seqScale };
          const base = { arch, globalBatch: batch, hardware: i.hardware, memoryCapacityBytes: i.memoryCapacityBytes };
          const cap = 96;
          let plain: number | null = null;
          for (let n = 1; n <= cap && plain === null; n++) {
            const fits = candidatePlans({ ...base, gpus: n, constraints: lean, batchSlack: MINIMUM_GPUS_BATCH_SLACK }).some(
              (plan) => memoryPerGpu(arch, plan, DEFAULT_MEMORY_OPTIONS).totalBytes <= base.memoryCapacityBytes,
            );
            if (fits) plain = n;
          }
          expect(minimumGpus(base, cap)).toBe(plain);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the runner-up is a different shape, not the fastest layout with more sharding at the same speed', () => {
    const r = searchLayouts(input('gpt3-175b', 'a100-sxm4-80gb', 1024, 1536));
    expect(r.best).not.toBeNull();
    expect(r.runnerUp).not.toBeNull();
    const shape = (p: { tp: number; pp: number; dp: number; microBatch: number; virtualStages: number }) => [p.tp, p.pp, p.dp, p.microBatch, p.virtualStages];
    const best = r.best?.plan;
    const runnerUp = r.runnerUp?.plan;
    if (!best || !runnerUp) return;
    const sameShape = JSON.stringify(shape(best)) === JSON.stringify(shape(runnerUp)) && (best.zero === 3) === (runnerUp.zero === 3);
    expect(sameShape && runnerUp.recompute === best.recompute).toBe(false);
    expect(r.runnerUp?.step.stepSeconds).toBeGreaterThanOrEqual(r.best?.step.stepSeconds ?? Infinity);
  });
});

describe('micro-batches tried', () => {
  const microBatchesOf = (i: SearchInput, dp: number) =>
    [
      ...new Set(
        candidatePlans(i)
          .filter((p) => p.dp === dp && p.tp === 1 && p.pp === 1)
          .map((p) => p.microBatch),
      ),
    ].sort((a, b) => a - b);

  it('the powers of two up to 16 that split a replica’s share of the batch, and the largest other size up to 16 that does', () => {
    // GPT-3's 1,536 sequences on 64 replicas: 24 each, so 12 as well as 1, 2, 4 and 8.
    expect(microBatchesOf(input('gpt3-175b', 'a100-sxm4-80gb', 64, 1536), 64)).toEqual([1, 2, 4, 8, 12]);
    // 520 sequences on 104 replicas: 5 each, which only 1 and 5 split.
    expect(microBatchesOf(input('gpt2-124m', 'h100-sxm', 104, 520), 104)).toEqual([1, 5]);
    // 512 on 64: 8 each, a power of two already.
    expect(microBatchesOf(input('gpt2-124m', 'h100-sxm', 64, 512), 64)).toEqual([1, 2, 4, 8]);
  });

  it('five sequences a replica run as one micro-batch of five, not five of one (GPT-2 124M on 104 H100)', () => {
    expect(searchLayouts(input('gpt2-124m', 'h100-sxm', 104, 520)).best?.plan.microBatch).toBe(5);
  });
});

describe('leanPlan (the layout of large sweeps)', () => {
  it('12 GPUs on 8-GPU nodes: TP 4, as the search would try, not 6 (a group of 6 would straddle two nodes)', () => {
    expect(leanPlan(arch('gpt3-175b'), 12, 1536, 8)).toMatchObject({ tp: 4, pp: 1, dp: 3 });
  });

  it('takes the widest TP that divides the node, the heads and the GPU count, and the rest as data parallelism', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), fc.integer({ min: 1, max: 5000 }), fc.constantFrom(1, 2, 4, 6, 8, 16), (modelId, gpus, gpusPerNode) => {
        const m = arch(modelId);
        const plan = leanPlan(m, gpus, 1024, gpusPerNode);
        const allowed = (t: number) => gpusPerNode % t === 0 && m.heads % t === 0 && gpus % t === 0;
        expect(allowed(plan.tp)).toBe(true);
        for (let t = plan.tp + 1; t <= gpusPerNode; t++) expect(allowed(t)).toBe(false);
        expect(plan.tp * plan.pp * plan.dp).toBe(gpus);
        expect(plan.globalBatch).toBeGreaterThanOrEqual(plan.dp);
      }),
      { numRuns: 300 },
    );
  });
});

describe('greatestCommonDivisor', () => {
  it('divides both numbers, and every common divisor divides it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1000 }), (a, b, d) => {
        const g = greatestCommonDivisor(a, b);
        expect(a % g).toBe(0);
        expect(b % g).toBe(0);
        if (a % d === 0 && b % d === 0) expect(g % d).toBe(0);
      }),
    );
  });

  it('the divisors of gcd(layers, n) are the divisors of the layers that divide n, in the same order (the pipeline sizes the search tries)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 20_000 }), (layers, n) => {
        expect(divisors(greatestCommonDivisor(layers, n))).toEqual(divisors(layers).filter((p) => n % p === 0));
      }),
    );
  });
});
