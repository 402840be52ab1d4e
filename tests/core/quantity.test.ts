import { describe, expect, it } from 'vitest';
import { formatQuantity, parseQuantity } from '../../src/core/quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['175B', 175e9],
    ['300e9', 300e9],
    ['3.14e23', 3.14e23],
    ['1.5k', 1500],
    ['2T', 2e12],
    ['  42 ', 42],
    ['1_000', 1000],
    ['0.5M', 5e5],
    ['.5', 0.5],
    ['2G', 2e9],
  ])('%s → %d', (text, value) => {
    expect(parseQuantity(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['', /empty/],
    ['abc', /not a number/],
    ['12x', /unknown suffix/],
    ['3m', /use M for million/],
    ['1e400', /too large/],
    ['1..2', /not a number/],
  ])('%s is rejected', (text, reason) => {
    const r = parseQuantity(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('formatQuantity', () => {
  it.each([
    [174.6e9, '174.6B'],
    [300e9, '300B'],
    [1500, '1.5k'],
    [42, '42'],
    [2e12, '2T'],
  ])('%d → %s', (value, text) => {
    expect(formatQuantity(value)).toBe(text);
  });
});
