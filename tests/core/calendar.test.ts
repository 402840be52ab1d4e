import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDateUtc } from '../../src/core/calendar.js';

describe('isoDateUtc', () => {
  it('gives the date Date gives, for any time from 1970 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        expect(isoDateUtc(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    [Date.UTC(1970, 0, 1), '1970-01-01'],
    [Date.UTC(2000, 1, 29, 23, 59, 59, 999), '2000-02-29'],
    [Date.UTC(2000, 2, 1), '2000-03-01'],
    [Date.UTC(2100, 1, 28, 12), '2100-02-28'],
    [Date.UTC(2100, 2, 1), '2100-03-01'],
    [Date.UTC(2026, 10, 28, 21, 0), '2026-11-28'],
  ])('%d is %s (leap days and century years)', (ms, date) => {
    expect(isoDateUtc(ms)).toBe(date);
  });
});
