import { describe, expect, it } from 'vitest';
import { chinchillaOptimal, roundUpToMultiple, smallestCountMeeting } from '../../src/core/plan.js';

describe('compute-optimal N and D (Hoffmann et al. 2022)', () => {
  it("Chinchilla's budget, 5.76e23 FLOPs, lands within 2% of 70B parameters and 1.4T tokens", () => {
    // Tolerance: Chinchilla itself (70B × 1.4T) is 6·N·D = 5.88e23, 2% above the 5.76e23 budget Hoffmann
    // et al. give (the same as Gopher's), and N, D grow as its square root: ≈1% each, plus rounding.
    const { params, tokens } = chinchillaOptimal(5.76e23);
    expect(Math.abs(params / 70e9 - 1)).toBeLessThan(0.02);
    expect(Math.abs(tokens / 1.4e12 - 1)).toBeLessThan(0.02);
    expect(tokens / params).toBeCloseTo(20, 12);
    expect(6 * params * tokens).toBeCloseTo(5.76e23, -18);
  });

  it('is within 10% of the Approach 1 row of Table 3 for the same budget (67B, 1.5T tokens)', () => {
    // Table 3 uses Approach 1's fitted exponents and coefficients rather than exactly 20 tokens per parameter.
    const { params, tokens } = chinchillaOptimal(5.76e23);
    expect(Math.abs(params / 67e9 - 1)).toBeLessThan(0.1);
    expect(Math.abs(tokens / 1.5e12 - 1)).toBeLessThan(0.1);
  });

  it('N and D grow as the square root of compute', () => {
    const a = chinchillaOptimal(1e22);
    const b = chinchillaOptimal(4e22);
    expect(b.params / a.params).toBeCloseTo(2, 12);
    expect(b.tokens / a.tokens).toBeCloseTo(2, 12);
  });
});

describe('smallest count meeting a target', () => {
  const search = (threshold: number, step = 8, min = 8, max = 1 << 20) => {
    const calls: number[] = [];
    const found = smallestCountMeeting({ step, min, max, meets: (n) => (calls.push(n), n >= threshold) });
    return { found, calls };
  };

  it('finds the smallest multiple of the node size at or above the threshold', () => {
    expect(search(1018.8).found).toBe(1024);
    expect(search(1000).found).toBe(1000);
    expect(search(1001).found).toBe(1008);
    expect(search(3, 8).found).toBe(8);
  });

  it('needs O(log) evaluations', () => {
    expect(search(777_777).calls.length).toBeLessThan(60);
  });

  it('returns null when nothing up to the bound meets it, and respects the minimum', () => {
    expect(search(2e6).found).toBeNull();
    expect(search(100, 8, 2048).found).toBe(2048);
  });

  it('rounds up to whole multiples', () => {
    expect(roundUpToMultiple(1018.8, 8)).toBe(1024);
    expect(roundUpToMultiple(1024, 8)).toBe(1024);
    expect(roundUpToMultiple(0.5, 72)).toBe(72);
  });
});
