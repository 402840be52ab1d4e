// compare resolves a request once per GPU and substitutes the count (src/resolve/counts.ts). That is
// only right while resolution depends on the count through the `gpus` entry alone; this checks it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countResolver, sameData, withGpuCount } from '../../src/resolve/counts.js';
import { type EstimateRequest, resolveEstimate } from '../../src/resolve/estimate.js';
import { GpucostError } from '../../src/errors.js';
import { registry } from '../helpers/presets.js';

const request: fc.Arbitrary<EstimateRequest> = fc.record(
  {
    model: fc.constantFrom('gpt3-175b', 'llama2-70b', 'gpt3-13b', 'llama3-8b'),
    gpu: fc.constantFrom('h100', 'a100', 'v100', 'b200', 'mi300x'),
    tokens: fc.double({ min: 1e9, max: 1e13, noNaN: true }),
    mfu: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
    price: fc.double({ min: 0, max: 20, noNaN: true }),
    scaling: fc.constantFrom({ kind: 'linear' as const }, { kind: 'efficiency' as const, perDoubling: 0.9, baseGpus: 8 }),
    scenario: fc.constantFrom('A2', 'A4', 'A6', 'none'),
  },
  { requiredKeys: [] },
);

describe('resolution at many GPU counts', () => {
  it('resolving at n is resolving at m with the count replaced', () => {
    fc.assert(
      fc.property(request, fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (req, m, n) => {
        let atM;
        try {
          atM = resolveEstimate({ ...req, gpus: m }, registry);
        } catch (e) {
          // A request the resolver refuses (e.g. a GPU without that precision) has nothing to compare.
          if (e instanceof GpucostError) return;
          throw e;
        }
        expect(sameData(withGpuCount(atM, n), resolveEstimate({ ...req, gpus: n }, registry))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('countResolver gives what resolving each count gives', () => {
    const counts = [1, 8, 64, 1000, 4096];
    const r = countResolver({ model: 'llama2-70b', gpu: 'h100' }, counts, registry);
    expect(r.length).toBe(counts.length);
    for (const [i, gpus] of counts.entries()) {
      expect(sameData(r.at(i), resolveEstimate({ model: 'llama2-70b', gpu: 'h100', gpus }, registry))).toBe(true);
    }
  });

  it('sameData compares structure, not identity', () => {
    expect(sameData({ a: [1, { b: 'x' }], n: Number.NaN }, { a: [1, { b: 'x' }], n: Number.NaN })).toBe(true);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameData({ a: { b: 1 } }, { a: { b: 2 } })).toBe(false);
  });
});
