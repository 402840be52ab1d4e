/**
 * Parsers of the small languages in flags and run files (fractions, GPU-count ranges, scaling
 * models). Pure: they return a reason instead of throwing, so the CLI and the run-file schema can
 * each report it in their own way.
 */
import { type ParseResult, parseQuantity } from './quantity.js';
import { DEFAULT_SCALING_BASE_GPUS, type ScalingChoice } from './scaling.js';
import { SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, SECONDS_PER_MONTH, SECONDS_PER_YEAR } from './units.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** A fraction in (0, 1], written 0.4 or 40%. */
export function parseFraction(text: string): ParseResult {
  const t = text.trim();
  const percent = t.endsWith('%');
  const q = parseQuantity(percent ? t.slice(0, -1) : t);
  if (!q.ok) return q;
  const v = q.value / (percent ? 100 : 1);
  return v > 0 && v <= 1 ? { ok: true, value: v } : fail(`must be between 0 and 1 (or 0% and 100%), got ${text}`);
}

/** A positive whole number, suffixes allowed (4k). */
export function parsePositiveInt(text: string): ParseResult {
  const q = parseQuantity(text);
  if (!q.ok) return q;
  if (!Number.isInteger(q.value) || q.value <= 0) return fail(`must be a positive whole number, got ${text}`);
  if (q.value > Number.MAX_SAFE_INTEGER) return fail(`is too large: ${text}`);
  return q;
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

/** Seconds per unit of a duration: s, min, h, d, w, mo (1/12 of a 365-day year), y (365 days). */
export const DURATION_UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  min: SECONDS_PER_MINUTE,
  h: SECONDS_PER_HOUR,
  d: SECONDS_PER_DAY,
  w: 7 * SECONDS_PER_DAY,
  mo: SECONDS_PER_MONTH,
  y: SECONDS_PER_YEAR,
};

/** A positive duration with a unit: 30d, 4w, 3mo, 1.5y, 20min, 2h. Returns seconds. */
export function parseDuration(text: string): ParseResult {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const units = Object.keys(DURATION_UNITS).join(', ');
  if (!m) return fail(`must be a number with a unit (${units}), e.g. 30d or 3mo; got "${text}"`);
  const unit = (m[2] ?? '').toLowerCase();
  // Only the table's own keys: "1constructor" would otherwise find Object's constructor.
  const size = Object.hasOwn(DURATION_UNITS, unit) ? DURATION_UNITS[unit] : undefined;
  if (size === undefined) {
    const hint = unit === 'm' ? ' ("m" is ambiguous: use min or mo)' : '';
    return fail(`unknown unit "${m[2]}" in "${text}"${hint}; use one of ${units}`);
  }
  const value = Number(m[1]) * size;
  if (!(value > 0) || !Number.isFinite(value)) return fail(`must be positive, got "${text}"`);
  return { ok: true, value };
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
