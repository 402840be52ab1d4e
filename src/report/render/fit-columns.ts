/**
 * Column widths that make a table fit a terminal: text columns wrap, the least important columns
 * are left out (Column.dropOrder), and, when nothing else is left, words longer than their column
 * are broken. Pure layout on display widths (string-width.ts); table.ts draws the result.
 */
import stringWidth from './string-width.js';

export interface ColumnTexts {
  label: string;
  texts: string[];
  /** Text wraps between words; numbers never wrap (only their header does). */
  isText: boolean;
  dropOrder?: number;
}

export interface Fitted {
  /** Indices of the columns shown, in table order. */
  keep: number[];
  /** Width of each kept column, padding included (one space each side). */
  widths: number[];
  /** Indices of the columns left out, in the order they were dropped. */
  dropped: number[];
}

/** A text column is not squeezed below this (padding included) while it has longer text. */
export const MIN_TEXT_WIDTH = 12;
const PADDING = 2;

/**
 * `overhead(n)`: the characters a table of n columns spends outside its cells (borders). Columns
 * go in dropOrder (ties: the rightmost first); then long words break; then, only if the table is
 * still too wide, unranked columns go from the right, never the first (it names the row).
 */
export function fitColumns(columns: ColumnTexts[], width: number, overhead: (n: number) => number): Fitted {
  const measures = columns.map(measure);
  const ranked = columns
    .map((c, i) => ({ i, rank: c.dropOrder }))
    .filter((c): c is { i: number; rank: number } => c.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || b.i - a.i)
    .map((c) => c.i);
  const unranked = columns
    .map((_, i) => i)
    .filter((i) => i > 0 && columns[i]?.dropOrder === undefined)
    .reverse();
  let keep = columns.map((_, i) => i);
  const dropped: number[] = [];
  const attempt = (breakWords: boolean): Fitted | undefined => {
    const widths = layout(
      keep.map((i) => measures[i] as Measure),
      width - overhead(keep.length),
      breakWords,
    );
    return widths ? { keep, widths, dropped: [...dropped] } : undefined;
  };
  const drop = (i: number): void => {
    keep = keep.filter((k) => k !== i);
    dropped.push(i);
  };
  let fitted = attempt(false);
  for (const i of ranked) {
    if (fitted) return fitted;
    drop(i);
    fitted = attempt(false);
  }
  fitted ??= attempt(true);
  for (const i of unranked) {
    if (fitted || keep.length === 1) break;
    drop(i);
    fitted = attempt(true);
  }
  // One column that cannot fit even broken (a number wider than the terminal): as it is.
  return fitted ?? { keep, widths: keep.map((i) => (measures[i] as Measure).natural), dropped };
}

interface Measure {
  natural: number;
  /** Narrowest without breaking a word. */
  whole: number;
  /** Narrowest at all. */
  floor: number;
}

function measure(c: ColumnTexts): Measure {
  const labelWord = longestWord(c.label);
  let natural = stringWidth(c.label);
  let word = labelWord;
  for (const t of c.texts) {
    natural = Math.max(natural, widestLine(t));
    if (c.isText) word = Math.max(word, longestWord(t));
    else word = Math.max(word, widestLine(t));
  }
  natural += PADDING;
  if (!c.isText) return { natural, whole: word + PADDING, floor: word + PADDING };
  const floor = Math.min(natural, MIN_TEXT_WIDTH);
  return { natural, whole: Math.max(floor, Math.min(natural, word + PADDING)), floor };
}

/**
 * Widths within `budget`, or undefined. Each column first gets its narrowest (with `breakWords`,
 * the columns with the longest words give way first), then the room left is shared from the
 * narrowest up: every column gets min(natural, cap) for the largest cap that fits.
 */
function layout(ms: Measure[], budget: number, breakWords: boolean): number[] | undefined {
  const sum = (f: (m: Measure) => number): number => ms.reduce((s, m) => s + f(m), 0);
  let mins = ms.map((m) => m.whole);
  if (sum((m) => m.whole) > budget) {
    if (!breakWords || sum((m) => m.floor) > budget) return undefined;
    let cap = Math.max(...ms.map((m) => m.whole));
    while (sum((m) => Math.max(m.floor, Math.min(m.whole, cap))) > budget) cap -= 1;
    mins = ms.map((m) => Math.max(m.floor, Math.min(m.whole, cap)));
  }
  const total = (cap: number): number => ms.reduce((s, m, i) => s + Math.max(mins[i] as number, Math.min(m.natural, cap)), 0);
  let cap = Math.max(...ms.map((m) => m.natural));
  while (total(cap) > budget) cap -= 1;
  return ms.map((m, i) => Math.max(mins[i] as number, Math.min(m.natural, cap)));
}

function widestLine(text: string): number {
  let w = 0;
  for (const line of text.split('\n')) w = Math.max(w, stringWidth(line));
  return w;
}

function longestWord(text: string): number {
  let w = 0;
  for (const word of text.split(/\s+/)) w = Math.max(w, stringWidth(word));
  return w;
}

/**
 * Text wrapped to `width` display columns: greedy between words; a word longer than the width
 * breaks after a '/', '.', '-' or ',' where one falls in the line, else at the width.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    // A line that fits is kept as it is, its spacing too (the assumptions' indented names).
    if (stringWidth(paragraph) <= width) {
      lines.push(paragraph);
      continue;
    }
    let line = '';
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && stringWidth(line) + 1 + stringWidth(word) <= width) {
        line = `${line} ${word}`;
        continue;
      }
      if (line) lines.push(line);
      while (stringWidth(word) > width) {
        const cut = breakPoint(word, width);
        lines.push(word.slice(0, cut));
        word = word.slice(cut);
      }
      line = word;
    }
    lines.push(line);
  }
  return lines;
}

/** Where to cut a word wider than `width`: after the last separator that fits, else at the width. */
function breakPoint(word: string, width: number): number {
  // Code points, so that a character outside the BMP is not cut in two.
  const chars = Array.from(word);
  let used = 0;
  let end = 0;
  let lastSeparator = 0;
  for (const ch of chars) {
    const w = stringWidth(ch);
    if (used + w > width) break;
    used += w;
    end += ch.length;
    if ('/.-,'.includes(ch)) lastSeparator = end;
  }
  const cut = lastSeparator > width / 2 ? lastSeparator : end;
  return Math.max(cut, chars[0]?.length ?? 1);
}
