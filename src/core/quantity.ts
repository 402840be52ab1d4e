/**
 * Parsing and formatting of human-typed quantities: `175B`, `300e9`, `3.14e23`, `1.5k`, `2T`.
 * Suffixes are decimal SI-style multipliers as used for parameter and token counts (B = billion).
 */

export const QUANTITY_SUFFIXES = { k: 1e3, K: 1e3, M: 1e6, B: 1e9, G: 1e9, T: 1e12, P: 1e15 } as const;
type Suffix = keyof typeof QUANTITY_SUFFIXES;

export type ParseResult = { ok: true; value: number } | { ok: false; reason: string };

const QUANTITY_RE = /^([+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)$/;

/** Parses a plain, scientific or suffixed number. Never throws. */
export function parseQuantity(text: string): ParseResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty value' };
  const match = QUANTITY_RE.exec(trimmed);
  if (!match) return { ok: false, reason: `"${text}" is not a number (examples: 175B, 300e9, 1.5k)` };
  const [, numberPart = '', suffix = ''] = match;
  let multiplier = 1;
  if (suffix !== '') {
    // Object.hasOwn, not `in`: "1constructor" must be an unknown suffix, not a multiplier of NaN.
    if (!Object.hasOwn(QUANTITY_SUFFIXES, suffix)) {
      const hint = suffix === 'm' ? ' (use M for million)' : ` (known suffixes: ${Object.keys(QUANTITY_SUFFIXES).join(', ')})`;
      return { ok: false, reason: `unknown suffix "${suffix}" in "${text}"${hint}` };
    }
    multiplier = QUANTITY_SUFFIXES[suffix as Suffix];
  }
  const value = Number(numberPart.replaceAll('_', '')) * multiplier;
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
