import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EstimateInput, estimateTraining } from '../../src/core/estimate.js';
import { FLOPS_CONVENTIONS } from '../../src/core/enums.js';
import { formatQuantity, parseQuantity } from '../../src/core/quantity.js';

const input = fc.record({
  params: fc.double({ min: 1e6, max: 1e13, noNaN: true }),
  tokens: fc.double({ min: 1e6, max: 1e14, noNaN: true }),
  gpus: fc.integer({ min: 1, max: 100_000 }),
  flopsPerSecondPerGpu: fc.double({ min: 1e12, max: 5e15, noNaN: true }),
  usdPerGpuHour: fc.double({ min: 0.01, max: 100, noNaN: true }),
  convention: fc.constantFrom(...FLOPS_CONVENTIONS.filter((c) => c === '6nd' || c === '8nd')),
});
const est = (i: Omit<EstimateInput, 'scalingEfficiency'>) => estimateTraining({ ...i, scalingEfficiency: 1 });

describe('invariants under linear scaling', () => {
  it('time × GPUs is constant and cost does not depend on the GPU count', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 100_000 }), (i, other) => {
        const a = est(i);
        const b = est({ ...i, gpus: other });
        expect((a.wallClockSeconds * i.gpus) / (b.wallClockSeconds * other)).toBeCloseTo(1, 9);
        expect((a.costUsd ?? 0) / (b.costUsd ?? 1)).toBeCloseTo(1, 9);
      }),
    );
  });

  it('time rises with parameters and with tokens', () => {
    fc.assert(
      fc.property(input, fc.double({ min: 1.001, max: 100, noNaN: true }), (i, k) => {
        const base = est(i).wallClockSeconds;
        expect(est({ ...i, params: i.params * k }).wallClockSeconds).toBeGreaterThan(base);
        expect(est({ ...i, tokens: i.tokens * k }).wallClockSeconds).toBeGreaterThan(base);
      }),
    );
  });

  it('every result is finite and positive', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = est(i);
        for (const v of [r.trainingFlops, r.wallClockSeconds, r.gpuHours, r.gpuYears, r.costUsd ?? 1]) {
          expect(Number.isFinite(v) && v > 0).toBe(true);
        }
      }),
    );
  });
});

describe('quantity parsing round-trips with formatting', () => {
  it('parse(format(x)) is x to 4 significant digits', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e20, noNaN: true }), (x) => {
        const parsed = parseQuantity(formatQuantity(x, 4));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(Math.abs(parsed.value / x - 1)).toBeLessThan(5e-4);
      }),
    );
  });
});
