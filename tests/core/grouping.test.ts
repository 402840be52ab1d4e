// formatGrouped replaces toLocaleString('en-US') on the default path (Intl's first call costs tens of
// milliseconds); it must give the same text, so Intl is the oracle here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGrouped } from '../../src/core/grouping.js';

const intl = (v: number, digits: number): string => v.toLocaleString('en-US', { maximumFractionDigits: digits });

describe('formatGrouped matches Intl en-US', () => {
  it.each([
    [0, 0],
    [-0, 0],
    [0.5, 0],
    [1.5, 0],
    [2.5, 0],
    [-2.5, 0],
    [1.005, 2],
    [0.005, 2],
    [999.995, 2],
    [9.995, 2],
    [99999.5, 0],
    [830779.2, 20],
    [1e21, 20],
    [1.5e-7, 20],
    [5e-21, 20],
    [-0.001, 2],
    [1.2345e25, 0],
    [Number.POSITIVE_INFINITY, 0],
    [Number.NEGATIVE_INFINITY, 2],
    [Number.NaN, 20],
  ])('%s with %i fraction digits', (v, digits) => {
    expect(formatGrouped(v, digits)).toBe(intl(v, digits));
  });

  it('on random doubles and on numbers rounded to a few significant digits', () => {
    const anyDouble = fc.double({ noNaN: false });
    const rounded = fc.tuple(fc.double({ min: -1e25, max: 1e25, noNaN: true }), fc.integer({ min: 1, max: 17 })).map(([v, p]) => Number(v.toPrecision(p)));
    fc.assert(
      fc.property(fc.oneof(anyDouble, rounded), fc.constantFrom(0, 2, 20), (v, digits) => {
        expect(formatGrouped(v, digits)).toBe(intl(v, digits));
      }),
      { numRuns: 2000 },
    );
  });
});
