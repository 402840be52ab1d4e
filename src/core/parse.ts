/**
 * Parsers of the small languages in flags and run files (counts, money, durations, fractions,
 * GPU-count ranges, scaling models): one grammar per kind, so every flag and every run-file key of
 * that kind reads the same spellings. Pure: they return a reason instead of throwing, so the CLI
 * and the run-file schema can each report it in their own way.
 */
import { type ParseResult, parseNumber, parseQuantity } from './quantity.js';
import { DEFAULT_SCALING_BASE_GPUS, type ScalingChoice } from './scaling.js';
import { SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, SECONDS_PER_MONTH, SECONDS_PER_YEAR } from './units.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** A number written as is (0.4) or as a percentage (40%), before any range check. */
function parseShare(text: string): ParseResult {
  const t = text.trim();
  const percent = t.endsWith('%');
  const q = parseQuantity(percent ? t.slice(0, -1) : t);
  return q.ok && percent ? { ok: true, value: q.value / 100 } : q;
}

/** A fraction in (0, 1], written 0.4 or 40%. */
export function parseFraction(text: string): ParseResult {
  const q = parseShare(text);
  if (!q.ok) return q;
  return q.value > 0 && q.value <= 1 ? q : fail(`must be between 0 and 1 (or 0% and 100%), got ${text}`);
}

/** A probability in [0, 1), written 0.05 or 5% (a dropout rate: 0 is none, 1 would drop everything). */
export function parseProbability(text: string): ParseResult {
  const q = parseShare(text);
  if (!q.ok) return q;
  return q.value >= 0 && q.value < 1 ? q : fail(`must be from 0 up to (not including) 1, got ${text}`);
}

/** A positive count, suffixes allowed: 175B, 7b, 300e9, 1,000,000, 1_000_000, 1.5k. */
export function parseCount(text: string): ParseResult {
  const q = parseQuantity(text);
  if (!q.ok) return q;
  return q.value > 0 ? q : fail(`must be positive, got ${text}`);
}

/** A positive real number with the same grammar as a count (TFLOP/s, watts, PUE). */
export function parsePositiveNumber(text: string): ParseResult {
  return parseCount(text);
}

/** A number that may be zero (gCO2e/kWh: a carbon-free grid). */
export function parseNonNegativeNumber(text: string): ParseResult {
  const q = parseQuantity(text);
  if (!q.ok) return q;
  return q.value >= 0 ? q : fail(`must not be negative, got ${text}`);
}

/** US dollars, zero allowed: 2.5, $1.48, $5M, 5e6, $1,500,000. */
export function parseMoney(text: string): ParseResult {
  const t = text.trim();
  const q = parseQuantity(t.startsWith('$') ? t.slice(1) : t);
  if (!q.ok) return q;
  return q.value >= 0 ? q : fail(`must not be negative, got ${text}`);
}

/** A positive whole number, suffixes allowed (4k). */
export function parsePositiveInt(text: string): ParseResult {
  const q = parseQuantity(text);
  if (!q.ok) return q;
  if (!Number.isInteger(q.value) || q.value <= 0) return fail(`must be a positive whole number, got ${text}`);
  if (q.value > Number.MAX_SAFE_INTEGER) return fail(`is too large: ${text}`);
  return q;
}

/** A whole number, zero allowed (shared experts, dense layers). */
export function parseNonNegativeInt(text: string): ParseResult {
  const q = parseQuantity(text);
  if (!q.ok) return q;
  if (q.value === 0) return { ok: true, value: 0 };
  return parsePositiveInt(text);
}

/** Power usage effectiveness: facility power ÷ IT power, at least 1. */
export function parsePue(text: string): ParseResult {
  const q = parsePositiveNumber(text);
  if (!q.ok) return q;
  return q.value >= 1 ? q : fail(`must be at least 1 (facility power ÷ IT power), got ${text}`);
}

/** Upper bound on counts a range may expand to (a million rows is already a large CSV). */
export const MAX_LIST_ITEMS = 1_000_000;
/** Upper bound on the steps one range may take (a factor such as 1.000001 makes many steps per count). */
export const MAX_RANGE_STEPS = 2_000_000;

/**
 * GPU counts: "8,64,512", ranges "8..4096" (doubling), "8..4096*4" (×4), "100..1000+100" (step 100),
 * and mixtures "8,16..128,1000". Duplicates are removed; the result is ascending.
 */
export function parseCountList(text: string): Parsed<number[]> {
  const out = new Set<number>();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    // In a list "," separates counts, so "1,000" is 1 and 000: an item with a leading zero is that
    // misreading, refused rather than taken as the count 0 or 64 ("8,064").
    if (/^0\d/.test(part)) return fail(`"${part}" in "${text}": in a list "," separates counts; write one thousand as 1000, 1_000 or 1k`);
    const m = /^(.+?)\.\.(.+?)(?:([*+])(.+))?$/.exec(part);
    if (!m) {
      const n = parsePositiveInt(part);
      if (!n.ok) return n;
      out.add(n.value);
      continue;
    }
    const [, a = '', b = '', op = '*', k = '2'] = m;
    const from = parsePositiveInt(a);
    const to = parsePositiveInt(b);
    const step = op === '*' ? parseQuantity(k) : parsePositiveInt(k);
    if (!from.ok) return from;
    if (!to.ok) return to;
    if (!step.ok) return step;
    if (to.value < from.value) return fail(`range ${part} runs backwards`);
    if (op === '*' && step.value <= 1) return fail(`range ${part} needs a factor above 1`);
    // Steps are bounded too: a factor barely above 1 advances so slowly that it would never end.
    let steps = 0;
    for (let n = from.value; n <= to.value; n = op === '*' ? n * step.value : n + step.value) {
      out.add(Math.round(n));
      if (out.size > MAX_LIST_ITEMS) return fail(`expands to more than ${MAX_LIST_ITEMS} counts`);
      if (++steps > MAX_RANGE_STEPS) return fail(`range ${part} takes more than ${MAX_RANGE_STEPS} steps; use a larger factor or step`);
    }
  }
  if (out.size === 0) return fail('needs at least one count');
  const counts = [...out];
  // Ranges come out ascending; sorting 100,000 counts that already are costs more than checking.
  for (let i = 1; i < counts.length; i++) if ((counts[i] as number) < (counts[i - 1] as number)) return { ok: true, value: counts.sort((x, y) => x - y) };
  return { ok: true, value: counts };
}

/** --scaling: linear, model, efficiency:0.9 (per doubling beyond 8 GPUs), efficiency:0.9@64. */
export function parseScaling(text: string): Parsed<ScalingChoice> {
  const t = text.trim().toLowerCase();
  if (t === 'linear' || t === 'model') return { ok: true, value: { kind: t } };
  // The fraction as parseFraction reads it (0.9, 90%, 1e-7), then an optional @BASE.
  const m = /^efficiency:([0-9.]+(?:e[+-]?\d+)?%?)(?:@(\d+))?$/.exec(t);
  if (!m) return fail(`must be linear, model, or efficiency:F[@BASE] (e.g. efficiency:0.9); got "${text}"`);
  const perDoubling = parseFraction(m[1] ?? '');
  if (!perDoubling.ok) return perDoubling;
  const baseGpus = m[2] === undefined ? DEFAULT_SCALING_BASE_GPUS : Number(m[2]);
  if (!(baseGpus >= 1)) return fail(`the base GPU count after @ must be at least 1; got "${text}"`);
  return { ok: true, value: { kind: 'efficiency', perDoubling: perDoubling.value, baseGpus } };
}

/**
 * Seconds per unit of a duration: ms (step times, as Megatron-LM logs them), s, min, h, d, w, mo (1/12
 * of a 365-day year), y (365 days); a few spelled-out forms too.
 */
export const DURATION_UNITS: Record<string, number> = {
  ms: 1e-3,
  s: 1,
  sec: 1,
  min: SECONDS_PER_MINUTE,
  h: SECONDS_PER_HOUR,
  hr: SECONDS_PER_HOUR,
  d: SECONDS_PER_DAY,
  day: SECONDS_PER_DAY,
  days: SECONDS_PER_DAY,
  w: 7 * SECONDS_PER_DAY,
  mo: SECONDS_PER_MONTH,
  y: SECONDS_PER_YEAR,
  yr: SECONDS_PER_YEAR,
  years: SECONDS_PER_YEAR,
};
const SHOWN_UNITS = 'ms, s, min, h, d, w, mo, y';

/**
 * A positive duration: 90s, 30min, 12h, 30d, 2w, 3mo, 1.5y, in seconds. The number has the
 * grammar of parseNumber (1_000s, 1.5e3s). A bare number is read in `bareUnit` (a flag named for
 * its unit: --max-days 30 is 30 days) and refused where there is none. `example` is what the error
 * suggests: a step time is seconds, not months.
 */
export function parseDuration(text: string, bareUnit?: keyof typeof DURATION_UNITS, example = '30d or 3mo'): ParseResult {
  const m = /^\s*(.*?)\s*([a-z]*)\s*$/i.exec(text);
  const [, numberPart = '', typed = ''] = m ?? [];
  const unit = typed === '' ? bareUnit : typed.toLowerCase();
  if (unit === undefined) {
    return fail(`must be a number with a unit (${SHOWN_UNITS}), e.g. ${example}; got "${text}"`);
  }
  // Only the table's own keys: "1constructor" would otherwise find Object's constructor.
  const size = Object.hasOwn(DURATION_UNITS, unit) ? DURATION_UNITS[unit] : undefined;
  if (size === undefined) {
    const hint = unit === 'm' ? ' ("m" is ambiguous: use min or mo)' : '';
    return fail(`unknown unit "${typed}" in "${text}"${hint}; use one of ${SHOWN_UNITS}`);
  }
  const n = parseNumber(numberPart);
  if (!n.ok) return fail(`must be a number with a unit (${SHOWN_UNITS}), e.g. ${example}; got "${text}"`);
  const value = n.value * size;
  if (!(value > 0) || !Number.isFinite(value)) return fail(`must be positive, got "${text}"`);
  return { ok: true, value };
}

/** A duration in the unit a flag is named for (--max-days, --depreciation-years): 30 → 30, "4w" → 28 for days. */
export function parseDurationIn(text: string, unit: 'd' | 'y'): ParseResult {
  const r = parseDuration(text, unit);
  return r.ok ? { ok: true, value: r.value / (DURATION_UNITS[unit] as number) } : r;
}

/** A range of fractions LOW..HIGH, e.g. 0.3..0.5 or 30%..50%. */
export function parseFractionRange(text: string): Parsed<[number, number]> {
  const parts = text.split('..');
  if (parts.length !== 2) return fail(`must be LOW..HIGH, e.g. 0.3..0.5; got "${text}"`);
  const lo = parseFraction(parts[0] ?? '');
  const hi = parseFraction(parts[1] ?? '');
  if (!lo.ok) return lo;
  if (!hi.ok) return hi;
  if (lo.value > hi.value) return fail(`runs backwards: ${text}`);
  return { ok: true, value: [lo.value, hi.value] };
}
