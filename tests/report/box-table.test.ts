// box-table.ts draws what cli-table3 draws for the options gpucost uses (it replaced cli-table3 on
// the default path for start-up time); cli-table3 stays a dev dependency as the oracle.
import Table from 'cli-table3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOX_CHARS, type BoxChars, drawBoxTable, textWidth, wordWrap } from '../../src/report/render/box-table.js';

const kebab = (chars: Partial<BoxChars>): Record<string, string> =>
  Object.fromEntries(Object.entries(chars).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v]));

const COMPACT_ROWS: Partial<BoxChars> = { mid: '', leftMid: '', midMid: '', rightMid: '' };
const PLAIN: Partial<BoxChars> = Object.fromEntries(Object.keys(BOX_CHARS).map((k) => [k, k === 'middle' ? '  ' : ''])) as Partial<BoxChars>;

function oracle(o: {
  head: string[];
  rows: string[][];
  chars?: Partial<BoxChars>;
  align?: ('left' | 'right')[];
  colWidths?: (number | null)[];
  wordWrap?: boolean;
  compact?: boolean;
}): string {
  const t = new Table({
    head: o.head,
    style: { head: [], border: [], ...(o.compact ? { compact: true } : {}) },
    ...(o.chars ? { chars: kebab(o.chars) } : {}),
    ...(o.align ? { colAligns: o.align } : {}),
    ...(o.colWidths ? { colWidths: o.colWidths } : {}),
    ...(o.wordWrap ? { wordWrap: true } : {}),
  });
  for (const r of o.rows) t.push(r);
  return t.toString();
}

// Words, numbers, spaces (single and repeated), and the non-ASCII signs the reports use.
const word = fc.stringMatching(/^[A-Za-z0-9.,:%$()+\-−—×·→]{0,14}$/);
const space = fc.constantFrom(' ', ' ', '  ', '\t', ' \u00a0');
const text = fc
  .tuple(fc.array(fc.tuple(word, space), { maxLength: 6 }), fc.constantFrom('', ' ', '  '), fc.boolean())
  .map(([parts, lead, trim]) => {
    const body = parts.map(([w, s]) => w + s).join('');
    return trim ? body.trim() : lead + body;
  });

const table = fc.integer({ min: 1, max: 5 }).chain((cols) =>
  fc.record({
    head: fc.oneof(fc.constant([] as string[]), fc.array(text, { minLength: cols, maxLength: cols })),
    rows: fc.array(fc.array(text, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 5 }),
    chars: fc.constantFrom(undefined, COMPACT_ROWS, PLAIN),
    align: fc.option(fc.array(fc.constantFrom('left' as const, 'right' as const), { minLength: cols, maxLength: cols }), { nil: undefined }),
    colWidths: fc.option(fc.array(fc.option(fc.integer({ min: 3, max: 30 }), { nil: null }), { minLength: cols, maxLength: cols }), { nil: undefined }),
    wordWrap: fc.boolean(),
    compact: fc.boolean(),
  }),
);

describe('drawBoxTable draws what cli-table3 draws', () => {
  it('for random tables in every option gpucost uses', () => {
    fc.assert(
      fc.property(table, (o) => {
        expect(drawBoxTable(o)).toBe(oracle(o));
      }),
      { numRuns: 600 },
    );
  });

  it('wraps at word boundaries like cli-table3, keeping long words whole', () => {
    expect(wordWrap(10, 'the quick brown fox')).toEqual(['the quick', 'brown fox']);
    expect(wordWrap(4, 'a verylongword b')).toEqual(['a', 'verylongword', 'b']);
    expect(wordWrap(9, '  Model name')).toEqual(['  Model', 'name']); // leading spaces stay, uncounted
  });

  it('counts terminal columns: ANSI codes none, CJK two, combining marks none', () => {
    expect(textWidth('\u001b[1mbold\u001b[22m')).toBe(4);
    expect(textWidth('模型')).toBe(4);
    expect(textWidth('e\u0301')).toBe(1);
    expect(textWidth('ab\ncdef')).toBe(4);
  });
});
