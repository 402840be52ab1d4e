// The fitting behind scripts/runs-accuracy-floor.mjs (docs/published-runs.md, "What these inputs
// allow"): its floor is only as good as these functions.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { absErrorsOf, coordinateSearch, designRow, fitL1, leaveOneOutResiduals, median, residuals, summarise } from '../../scripts/lad-fit.mjs';

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

  it('leaves each row out of its own fit: an exact law predicts every held-out row, one wild row is missed only by itself', () => {
    const X = Array.from({ length: 11 }, (_, i) => [1, i]);
    const y = X.map(([, x]) => 1 + 2 * (x as number));
    for (const r of leaveOneOutResiduals(X, y)) expect(r).toBeCloseTo(0, 6);
    const wild = y.map((v, i) => (i === 4 ? v + 3 : v));
    const loo = leaveOneOutResiduals(X, wild);
    expect(loo[4]).toBeCloseTo(3, 3);
    expect(Math.max(...loo.filter((_: number, i: number) => i !== 4).map(Math.abs))).toBeLessThan(1e-3);
  });

  it('the coordinate search walks to a minimum the gradient-free way, and the helpers count as the floor scripts do', () => {
    const [a, b] = coordinateSearch([0, 0], (w: number[]) => Math.abs((w[0] as number) - 0.3) + Math.abs((w[1] as number) + 0.7));
    expect(a).toBeCloseTo(0.3, 2);
    expect(b).toBeCloseTo(-0.7, 2);
    const features = [
      ['intercept', () => []],
      ['x', (v: number) => [v]],
      ['flag', (v: number) => [v > 1]],
    ];
    expect(designRow(features, 1, 2)).toEqual([1, 2]);
    expect(designRow(features, 2, 2)).toEqual([1, 2, 1]);
    const { errors, at } = absErrorsOf([0, Math.log(2), -Math.log(2), Math.log(1.25)]);
    expect(errors.map((e: number) => Number(e.toFixed(6)))).toEqual([0, 0.2, 0.5, 1]);
    expect(at(0.5)).toBeCloseTo(0.2, 6);
    expect(at(0.9)).toBe(1);
  });
});
