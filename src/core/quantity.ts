/**
 * Parsing and formatting of human-typed quantities: `175B`, `300e9`, `3.14e23`, `1.5k`, `2T`.
 * Suffixes are decimal SI-style multipliers as used for parameter and token counts (B = billion).
 */

/**
 * Multipliers after a number, case-insensitive except "m": "M" is a million, while a lower-case "m"
 * reads as milli (SI) or minutes as readily as million, so it is refused with a hint.
 */
export const QUANTITY_SUFFIXES = { k: 1e3, M: 1e6, b: 1e9, g: 1e9, t: 1e12, p: 1e15 } as const;
type Suffix = 'k' | 'M' | 'B' | 'G' | 'T' | 'P';

export type ParseResult = { ok: true; value: number } | { ok: false; reason: string };

/**
 * The number itself: digits with "_" anywhere between them (1_000_000), or "," between groups of
 * exactly three (1,000,000), a decimal part and an exponent.
 */
const NUMBER_RE = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d(?:_?\d)*)?(?:\.\d*)?(?:[eE][+-]?\d+)?$/;
const QUANTITY_RE = /^(.*?\d\.?|\.\d+)\s*([A-Za-z]*)$/;

/** The number part alone (no suffix, no unit): the grammar every numeric flag shares. Never throws. */
export function parseNumber(text: string): ParseResult {
  const t = text.trim();
  if (t === '') return { ok: false, reason: 'empty value' };
  if (!/\d/.test(t) || !NUMBER_RE.test(t)) {
    const hint = t.includes(',')
      ? '; "," only separates thousands in groups of three (1,000,000), or write 1_000_000 or 1M'
      : ' (examples: 175B, 300e9, 1.5k, 1_000_000)';
    return { ok: false, reason: `"${text}" is not a number${hint}` };
  }
  const value = Number(t.replaceAll(/[_,]/g, ''));
  if (Number.isNaN(value)) return { ok: false, reason: `"${text}" is not a number (examples: 175B, 300e9, 1.5k)` };
  if (!Number.isFinite(value)) return { ok: false, reason: `"${text}" is too large` };
  return { ok: true, value };
}

/** Parses a plain, scientific, grouped or suffixed number: 175B, 175b, 300e9, 1,000,000, 1_000, 1.5k. Never throws. */
export function parseQuantity(text: string): ParseResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty value' };
  const match = QUANTITY_RE.exec(trimmed);
  if (!match) return parseNumber(trimmed);
  const [, numberPart = '', suffix = ''] = match;
  let multiplier = 1;
  if (suffix !== '') {
    const key = suffix === 'M' ? 'M' : suffix.toLowerCase();
    // Object.hasOwn, not `in`: "1constructor" must be an unknown suffix, not a multiplier of NaN.
    if (suffix === 'm') return { ok: false, reason: `"m" is ambiguous in "${text}" (milli or million): use M for million` };
    if (!Object.hasOwn(QUANTITY_SUFFIXES, key)) {
      return { ok: false, reason: `unknown suffix "${suffix}" in "${text}" (known suffixes: k, M, B, T, P, case-insensitive except M)` };
    }
    multiplier = QUANTITY_SUFFIXES[key as keyof typeof QUANTITY_SUFFIXES];
  }
  const n = parseNumber(numberPart);
  if (!n.ok) return suffix === '' ? n : { ok: false, reason: n.reason.replace(`"${numberPart}"`, `"${text}"`) };
  const value = n.value * multiplier;
  if (!Number.isFinite(value)) return { ok: false, reason: `"${text}" is too large` };
  return { ok: true, value };
}

const FORMAT_STEPS: ReadonlyArray<[Suffix, number]> = [
  ['P', 1e15],
  ['T', 1e12],
  ['B', 1e9],
  ['M', 1e6],
  ['k', 1e3],
];

/**
 * Formats a count with the largest suffix that keeps it ≥ 1, to `significant` significant digits:
 * 174.6e9 → "175B" (3 digits) or "174.6B" (4). `parseQuantity(formatQuantity(x))` round-trips to
 * within the rounding of `significant`.
 */
export function formatQuantity(value: number, significant = 4): string {
  if (!Number.isFinite(value)) return String(value);
  // Round first, so 999,999.9 at 3 digits is "1M", not "1000k".
  const abs = Math.abs(Number(value.toPrecision(significant)));
  for (const [suffix, size] of FORMAT_STEPS) {
    if (abs >= size) return `${trimNumber(value / size, significant)}${suffix}`;
  }
  return trimNumber(value, significant);
}

function trimNumber(value: number, significant: number): string {
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(significant));
  return Math.abs(rounded) >= 1e21 || (Math.abs(rounded) < 1e-6 && rounded !== 0) ? rounded.toExponential() : String(rounded);
}
