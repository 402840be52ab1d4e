/**
 * Display width of a string in a terminal, for cli-table3's column layout: what the `string-width`
 * package computes, without compiling its large emoji regular expression on every start. ANSI escape
 * sequences count 0; combining marks and zero-width characters 0; East Asian wide and full-width
 * characters and emoji 2 (Unicode Standard Annex #11, "East Asian Width",
 * https://www.unicode.org/reports/tr11/); everything else 1. The bundle swaps it in for cli-table3's
 * own dependency (scripts/build.mjs); tests/report/string-width.test.ts checks it against the package.
 */

// ESC [ … final byte (CSI, e.g. colours) and ESC ] … BEL/ST (OSC, e.g. links).
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Ranges of code points displayed two columns wide (East Asian Wide/Fullwidth, emoji presentation). */
const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x18d08],
  [0x1b000, 0x1b2fb],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

/** Zero width: combining marks, zero-width space/joiners, variation selectors. */
function zeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xfe20 && cp <= 0xfe2f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef) ||
    cp < 0x20 ||
    (cp >= 0x7f && cp < 0xa0)
  );
}

function wide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    // Indexing, not destructuring: an array pattern runs the iterator protocol, which allocates
    // in unoptimised code, and this runs for every box-drawing character of a table.
    const range = WIDE[mid] as [number, number];
    if (cp < range[0]) hi = mid - 1;
    else if (cp > range[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A regular expression literal makes a new RegExp object each time it is evaluated: one, made once. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Widths already measured. cli-table3 measures each cell's lines many times over (padding,
 * truncation, wrapping, twice per line in its strlen); without the cache V8 compiles the measuring
 * loop with its optimising compiler while the table is drawn, and the process waits for that at exit.
 * Cleared when it grows large, so a long table does not hold every cell.
 */
const widths = new Map<string, number>();
const WIDTHS_KEPT = 4096;

export default function stringWidth(text: string): number {
  if (typeof text !== 'string' || text.length === 0) return 0;
  const known = widths.get(text);
  if (known !== undefined) return known;
  if (widths.size >= WIDTHS_KEPT) widths.clear();
  const w = measure(text);
  widths.set(text, w);
  return w;
}

/** Display width of a non-empty string (see the file's comment). */
function measure(text: string): number {
  const plain = text.includes('\u001b') ? text.replace(ANSI, '') : text;
  // Fast path: printable ASCII only.
  if (PRINTABLE_ASCII.test(plain)) return plain.length;
  let width = 0;
  // Code units, not `for…of` (which makes a string of every character): tables call this per line.
  for (let i = 0; i < plain.length; i++) {
    let cp = plain.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < plain.length) {
      const low = plain.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    // Below U+0300 nothing is wide and only control characters are zero-width.
    if (cp < 0x300) width += cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
    else if (!zeroWidth(cp)) width += wide(cp) ? 2 : 1;
  }
  return width;
}
