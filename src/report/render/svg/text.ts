/**
 * Text for the SVG charts: escaping, a conservative width estimate, and the <text> element.
 * There is no font to measure with when the chart is written, so the layout sizes its margins from
 * these estimates; they err wide so that no label is cut off at the edge of the picture.
 */

/** How far a line of text reaches above and below its baseline, in em. Real fonts stay inside both. */
export const ASCENT = 1;
export const DESCENT = 0.3;

/** The sans-serif the browser picks is unknown: Debian's DejaVu Sans is wider than Arial or Helvetica. */
const WIDE = new Set([...'MWmw@%']);
const EM_WIDE = 1;
const EM_UPPER = 0.8;
const EM_OTHER = 0.65;
/** Beyond ASCII are ligature-like letters (Æ, œ) and signs (×) near an em; CJK ideographs and emoji take more. */
const EM_BEYOND_ASCII = 1;
const EM_FULL = 1.2;
const FULL_FROM = 0x1100;
/** Bold DejaVu Sans is up to 13% wider than regular. */
const BOLD = 1.15;

function charEm(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= FULL_FROM) return EM_FULL;
  if (code > 0x7f) return EM_BEYOND_ASCII;
  if (WIDE.has(ch)) return EM_WIDE;
  if (ch >= 'A' && ch <= 'Z') return EM_UPPER;
  return EM_OTHER;
}

/** Estimated advance width of `text` in pixels at `size` px, never less than the real one for the fonts above. */
export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em * size * (bold ? BOLD : 1);
}

/**
 * Characters XML 1.0 does not allow in a document (C0 controls other than tab and newlines, lone
 * surrogates, U+FFFE/U+FFFF): a browser refuses the whole SVG file over one of them, so they become U+FFFD.
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe inside an element or a quoted attribute of SVG or HTML; series names come from user presets. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A coordinate with two decimals at most, so the same chart always gives the same text. */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

export interface TextStyle {
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  bold?: boolean;
  /** Reads bottom to top, turned about its anchor point (the y axis title). */
  vertical?: boolean;
  fill?: string;
}

/** One <text> element with its baseline anchored at (x, y). */
export function textElement(x: number, y: number, content: string, style: TextStyle): string {
  const attrs = [`x="${num(x)}"`, `y="${num(y)}"`, `font-size="${style.size}"`, `text-anchor="${style.anchor ?? 'start'}"`];
  if (style.bold) attrs.push('font-weight="bold"');
  if (style.vertical) attrs.push(`transform="rotate(-90 ${num(x)} ${num(y)})"`);
  attrs.push(`fill="${style.fill ?? '#222'}"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}
