import { expect } from 'vitest';

/** A value held in its band, low to high inclusive (a known gap, or a figure pinned at its measurement). */
export function expectBetween(value: number, low: number, high: number, label?: string): void {
  expect(value, label).toBeGreaterThanOrEqual(low);
  expect(value, label).toBeLessThanOrEqual(high);
}
