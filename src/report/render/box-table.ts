/**
 * Box-drawn text tables. The layout is that of cli-table3 (https://github.com/cli-table/cli-table3)
 * for the options gpucost uses — one padding space each side, per-column alignment, fixed widths
 * with word wrap, borders given by name, rules between rows only where those characters are not
 * empty — so its output is the same text (tests/report/box-table.test.ts compares the two).
 * It exists because loading cli-table3, its string-width and that package's emoji regular expression
 * cost more than the rest of a `gpucost estimate`. Colour is applied per line after layout, so a
 * wrapped styled cell never leaks its style onto the borders.
 */

export type Align = 'left' | 'right' | 'center';

/** Border characters, by cli-table3's names. An empty string draws nothing. */
export interface BoxChars {
  top: string;
  topMid: string;
  topLeft: string;
  topRight: string;
  bottom: string;
  bottomMid: string;
  bottomLeft: string;
  bottomRight: string;
  left: string;
  leftMid: string;
  mid: string;
  midMid: string;
  right: string;
  rightMid: string;
  middle: string;
}

export const BOX_CHARS: BoxChars = {
  top: '─',
  topMid: '┬',
  topLeft: '┌',
  topRight: '┐',
  bottom: '─',
  bottomMid: '┴',
  bottomLeft: '└',
  bottomRight: '┘',
  left: '│',
  leftMid: '├',
  mid: '─',
  midMid: '┼',
  right: '│',
  rightMid: '┤',
  middle: '│',
};

/** A cell: its plain text, and optionally a style (e.g. bold) applied to each of its lines. */
export type BoxCell = string | { text: string; style?: (line: string) => string };

export interface BoxTableOptions {
  /** Header cells; none: no header row. */
  head?: BoxCell[];
  rows: BoxCell[][];
  chars?: Partial<BoxChars>;
  /** Per column; default left. */
  align?: (Align | undefined)[];
  /** Total width of a column including its padding; null or missing: as wide as its widest cell. */
  colWidths?: (number | null | undefined)[];
  /** Wrap cells of fixed-width columns at word boundaries. */
  wordWrap?: boolean;
  /** Draw the rule above each row only for the first row and below the header. */
  compact?: boolean;
}

const PADDING = 1;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ELLIPSIS = '…';

interface Laid {
  lines: string[];
  style: ((line: string) => string) | undefined;
  desiredWidth: number;
}

export function drawBoxTable(options: BoxTableOptions): string {
  const chars: BoxChars = { ...BOX_CHARS, ...options.chars };
  const head = options.head ?? [];
  const grid: BoxCell[][] = head.length > 0 ? [head, ...options.rows] : options.rows;
  if (grid.length === 0) return '';
  const fixed = options.colWidths ?? [];

  const laid: Laid[][] = grid.map((row) =>
    row.map((cell, x) => {
      const text = typeof cell === 'string' ? cell : cell.text;
      const style = typeof cell === 'string' ? undefined : cell.style;
      const width = fixed[x];
      const multiline = text.includes('\n');
      const wrapAt = typeof width === 'number' && width > 0 && options.wordWrap ? width - 2 * PADDING : undefined;
      const lines =
        wrapAt !== undefined && !(text.length <= wrapAt && PRINTABLE_ASCII.test(text)) // a short plain line wraps to itself
          ? multiline
            ? text.split('\n').flatMap((l) => wordWrap(wrapAt, l))
            : wordWrap(wrapAt, text)
          : multiline
            ? text.split('\n')
            : [text];
      return { lines, style, desiredWidth: textWidth(text) + 2 * PADDING };
    }),
  );

  const columns = grid.reduce((m, r) => Math.max(m, r.length), 0);
  const widths: number[] = [];
  for (let x = 0; x < columns; x++) {
    const given = fixed[x];
    const natural = laid.reduce((m, r) => Math.max(m, r[x]?.desiredWidth ?? 0), 1);
    widths.push(Math.max(1, typeof given === 'number' ? given : natural));
  }

  const out: string[] = [];
  const push = (line: string): void => {
    if (line.length > 0) out.push(line);
  };
  const rule = (y: number): string => {
    const first = y === 0;
    let line = '';
    for (let x = 0; x < widths.length; x++) {
      line += x === 0 ? (first ? chars.topLeft : chars.leftMid) : first ? chars.topMid : chars.midMid;
      line += (first ? chars.top : chars.mid).repeat(widths[x] ?? 0);
    }
    return line + (first ? chars.topRight : chars.rightMid);
  };
  const headerPresent = head.length > 0;
  for (const [y, row] of laid.entries()) {
    if (y === 0 || !options.compact || (y === 1 && headerPresent)) push(rule(y));
    const height = row.reduce((m, c) => Math.max(m, c.lines.length), 1);
    for (let n = 0; n < height; n++) {
      let line = '';
      for (let x = 0; x < widths.length; x++) {
        const width = widths[x] ?? 0;
        const cell = row[x];
        line += x === 0 ? chars.left : chars.middle;
        const inner = width - 2 * PADDING;
        const text = cell?.lines[n];
        if (text === undefined) {
          line += ' '.repeat(width);
        } else {
          const shown = truncate(text, inner);
          const padded = pad(shown, inner, options.align?.[x] ?? 'left', cell?.style);
          line += ' '.repeat(PADDING) + padded + ' '.repeat(PADDING);
        }
      }
      push(line + chars.right);
    }
  }
  let bottom = '';
  for (let x = 0; x < widths.length; x++) bottom += (x === 0 ? chars.bottomLeft : chars.bottomMid) + chars.bottom.repeat(widths[x] ?? 0);
  push(bottom + chars.bottomRight);
  return out.join('\n');
}

/** Pads to `width` columns (text wider by one is left as is, as cli-table3 does); the style wraps the text only. */
function pad(text: string, width: number, align: Align, style?: (line: string) => string): string {
  const shown = style ? style(text) : text;
  const gap = width - textWidth(text);
  if (gap < 0) return shown;
  if (align === 'right') return ' '.repeat(gap) + shown;
  if (align === 'center') {
    const right = Math.ceil(gap / 2);
    return ' '.repeat(gap - right) + shown + ' '.repeat(right);
  }
  return shown + ' '.repeat(gap);
}

function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  const chars = [...text];
  let out = '';
  let used = 0;
  for (const ch of chars) {
    const w = textWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + ELLIPSIS;
}

/**
 * Greedy wrap at whitespace, keeping the whitespace between the words of a line; a word longer
 * than the width gets a line of its own (and is truncated when drawn). As cli-table3 does it, the
 * whitespace before a line's first word is dropped, except at the very start of the text, where
 * it stays but does not count towards the width. Each line is one slice of the text.
 */
export function wordWrap(width: number, text: string): string[] {
  const lines: string[] = [];
  let lineStart = 0; // where the current line's text starts
  let lineEnd = 0; // where its last word ends
  let length = 0; // its width, as counted
  let spaceLength = 0; // length of the whitespace before the next word
  let i = 0;
  for (;;) {
    const wordStart = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    const wordWidth = rangeWidth(text, wordStart, i);
    let next = length + wordWidth;
    if (length > 0 && spaceLength > 0) next += spaceLength;
    if (next > width) {
      if (length !== 0) lines.push(text.slice(lineStart, lineEnd));
      lineStart = wordStart;
      length = wordWidth;
    } else {
      length = next;
    }
    lineEnd = i;
    if (i >= text.length) break;
    const spaceStart = i;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    spaceLength = i - spaceStart;
  }
  if (length) lines.push(text.slice(lineStart, lineEnd));
  return lines;
}

/** What `\s` matches in JavaScript regular expressions. */
function isSpace(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Columns a string takes in a terminal: ANSI colour codes and control and combining characters
 * take none, East Asian wide and fullwidth characters and pictographs two, the rest one. The widest
 * line counts for multi-line text.
 */
export function textWidth(text: string): number {
  if (text.includes('\u001b')) return rangeWidth(text.replace(ANSI, ''), 0, Infinity);
  return rangeWidth(text, 0, text.length);
}

/** textWidth of text[start, end) without ANSI codes, without slicing it. */
function rangeWidth(text: string, start: number, end: number): number {
  let widest = 0;
  let width = 0;
  const stop = Math.min(end, text.length);
  for (let i = start; i < stop; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x7f && code >= 0x20) {
      width += 1;
      continue;
    }
    if (code === 0x0a) {
      widest = Math.max(widest, width);
      width = 0;
      continue;
    }
    const point = text.codePointAt(i) ?? code;
    if (point > 0xffff) i++;
    width += codePointWidth(point);
  }
  return Math.max(widest, width);
}

function codePointWidth(p: number): number {
  if (p < 0x20 || (p >= 0x7f && p < 0xa0)) return 0;
  if ((p >= 0x300 && p <= 0x36f) || (p >= 0x200b && p <= 0x200f) || (p >= 0xfe00 && p <= 0xfe0f) || (p >= 0xe0100 && p <= 0xe01ef)) return 0;
  if (
    (p >= 0x1100 && p <= 0x115f) ||
    (p >= 0x2e80 && p <= 0x303e) ||
    (p >= 0x3041 && p <= 0x33ff) ||
    (p >= 0x3400 && p <= 0x4dbf) ||
    (p >= 0x4e00 && p <= 0x9fff) ||
    (p >= 0xa000 && p <= 0xa4cf) ||
    (p >= 0xac00 && p <= 0xd7a3) ||
    (p >= 0xf900 && p <= 0xfaff) ||
    (p >= 0xfe30 && p <= 0xfe4f) ||
    (p >= 0xff00 && p <= 0xff60) ||
    (p >= 0xffe0 && p <= 0xffe6) ||
    (p >= 0x1f300 && p <= 0x1f64f) ||
    (p >= 0x1f900 && p <= 0x1f9ff) ||
    (p >= 0x20000 && p <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}
