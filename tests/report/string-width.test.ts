// The light string-width the bundle gives cli-table3 against the `string-width` package itself.
import fc from 'fast-check';
import packageWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import stringWidth from '../../src/report/render/string-width.js';

describe('string-width', () => {
  it.each([
    ['', 0],
    ['33.8 days', 9],
    ['\u001b[1mbold\u001b[22m', 4],
    ['│ 355 GB ✗ OOM │', 16],
    ['✓ × − · ≈ €', 11],
    ['GPT-3 175B · 300B tokens', 24],
    ['训练成本', 8],
    ['ｆｕｌｌ', 8],
    ['e\u0301', 1],
    ['🚀', 2],
  ])('%j is %d columns wide, as the package says', (text, width) => {
    expect(stringWidth(text)).toBe(width);
    expect(packageWidth(text)).toBe(width);
  });

  it('agrees with the package on random text of the characters gpucost prints', () => {
    const chars = fc.constantFrom(...'abcXYZ 0123456789.,:;()[]-+/%$×−·✓✗≈│─┌┐└┘├┤┬┴┼'.split(''), '\u001b[1m', '\u001b[22m', '\u001b[33m', '\u001b[39m');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(stringWidth(text)).toBe(packageWidth(text));
      }),
    );
  });
});
