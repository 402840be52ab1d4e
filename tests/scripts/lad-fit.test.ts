// The fitting behind scripts/runs-accuracy-floor.mjs (docs/published-runs.md, "What these inputs
// allow"): its floor is only as good as these functions.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { fitL1, median, residuals, summarise } from '../../scripts/lad-fit.mjs';

describe('least-absolute-deviation fit', () => {
  it('recovers an exact linear law, and ignores a few wild points that least squares would follow', () => {
    const X = Array.from({ length: 41 }, (_, i) => [1, i / 10]);
    const y = X.map(([, x]) => 0.5 - 0.25 * (x as number));
    expect(fitL1(X, y).map((w: number) => Number(w.toFixed(6)))).toEqual([0.5, -0.25]);
    const wild = y.map((v, i) => (i % 10 === 3 ? v + 5 : v));
    const [a, b] = fitL1(X, wild);
    expect(a).toBeCloseTo(0.5, 3);
    expect(b).toBeCloseTo(-0.25, 3);
  });

  it('summarises log residuals as GPU-hour errors: exp(r) − 1, the narrowest 90% band, the median', () => {
    const logs = [0, Math.log(1.1), Math.log(0.8), Math.log(1.5), Math.log(0.9), 0, 0, 0, 0, Math.log(3)];
    const s = summarise(logs);
    expect(s.medianAbs).toBeCloseTo(0.05, 6); // |errors| sorted: five 0, 0.1, 0.1, 0.2, 0.5, 2
    expect(s.worst).toBeCloseTo(2, 6);
    // 9 of the 10 residuals: the band from 0.8 to 1.5 leaves out only the 3.
    expect(s.width90).toBeCloseTo(1.5 / 0.8, 6);
    expect(median([3, 1, 2, 4])).toBe(2.5);
    expect(residuals([[1], [1]], [2, 3], [2])).toEqual([0, 1]);
  });
});
