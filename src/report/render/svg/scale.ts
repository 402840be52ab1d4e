/**
 * Axes of the SVG charts: the span an axis covers, the values that get a tick, and where a value
 * lands on screen. Spans are kept in a transformed space (exponents on log axes, values divided by
 * the largest magnitude on linear ones), so that no input, however extreme, overflows to Infinity
 * or NaN on its way to a coordinate.
 */

/** GPU counts double, so their axis is log base 2 (ticks at 8, 16, 32 …); other log axes are base 10. */
export type AxisKind = 'linear' | 'log2' | 'log10';

export interface Axis {
  /** Ends of the axis in transformed space, `from` < `to`. */
  from: number;
  to: number;
  /** Values that get a tick, a grid line and a label, ascending. */
  ticks: number[];
  transform: (value: number) => number;
}

/** Aimed-at number of intervals on a linear axis. */
const LINEAR_INTERVALS = 6;
/** Most ticks on a log axis before every other (third …) power is skipped. */
const MOST_LOG_TICKS = 10;
/** A linear axis that would need more ticks than this has lost its precision: only its ends get one. */
const MOST_LINEAR_TICKS = 50;

/** A log axis has no place for zero or negative values; no axis has one for NaN or infinities. */
export function placeable(kind: AxisKind, value: number): boolean {
  return Number.isFinite(value) && (kind === 'linear' || value > 0);
}

/** The axis for these values; values it cannot place are ignored, and with none left it spans a default. */
export function makeAxis(kind: AxisKind, values: number[]): Axis {
  const usable = values.filter((v) => placeable(kind, v));
  const lo = usable.reduce((a, b) => Math.min(a, b), Infinity);
  const hi = usable.reduce((a, b) => Math.max(a, b), -Infinity);
  if (kind === 'log2') return usable.length ? log2Axis(lo, hi) : log2Axis(1, 16);
  if (kind === 'log10') return usable.length ? log10Axis(lo, hi) : log10Axis(1, 10);
  return usable.length ? linearAxis(lo, hi) : linearAxis(0, 1);
}

/** Screen coordinate of `value` when the axis runs from `start` to `end` pixels. */
export function position(axis: Axis, value: number, start: number, end: number): number {
  return start + ((axis.transform(value) - axis.from) / (axis.to - axis.from)) * (end - start);
}

/** 1, 2 or 5 times a power of ten, at least `raw`: steps people read without arithmetic. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = raw / power;
  return (factor <= 1 ? 1 : factor <= 2 ? 2 : factor <= 5 ? 5 : 10) * power;
}

/** Float noise off a tick value (0.30000000000000004 → 0.3), and no -0. */
const clean = (value: number): number => Number(value.toPrecision(12)) + 0;

const clampFinite = (value: number): number => Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, value));

/** Ticks every nice step, the ends widened to the steps around the data. */
function linearTicks(lo: number, hi: number): number[] {
  // hi/n - lo/n rather than (hi - lo)/n: the difference of two huge values can overflow.
  const step = niceStep(hi / LINEAR_INTERVALS - lo / LINEAR_INTERVALS);
  const first = Math.floor(lo / step);
  const last = Math.ceil(hi / step);
  if (!(step > 0) || !Number.isFinite(step) || last - first > MOST_LINEAR_TICKS) return [lo, hi];
  const ticks: number[] = [];
  for (let i = first; i <= last; i += 1) ticks.push(clean(i * step));
  return ticks.every(Number.isFinite) ? ticks : [lo, hi];
}

function linearAxis(lo: number, hi: number): Axis {
  if (lo === hi) {
    // One value (or several equal ones) sits in the middle of a span half its size either way.
    // Half of a subnormal rounds to 0, like half of 0.
    const pad = Math.abs(lo) / 2 || 1;
    [lo, hi] = [clampFinite(lo - pad), clampFinite(hi + pad)];
  }
  const ticks = linearTicks(lo, hi);
  const [from, to] = [ticks[0] as number, ticks[ticks.length - 1] as number];
  const magnitude = Math.max(Math.abs(from), Math.abs(to));
  return { from: from / magnitude, to: to / magnitude, ticks, transform: (v) => v / magnitude };
}

/** Integers from `first` to `last`, thinned to at most MOST_LOG_TICKS at multiples of a common stride. */
function powers(first: number, last: number): number[] {
  const stride = Math.max(1, Math.ceil((last - first + 1) / MOST_LOG_TICKS));
  const out: number[] = [];
  for (let k = Math.ceil(first / stride) * stride; k <= last; k += stride) out.push(k);
  return out;
}

/** The data's own ends (GPU counts need no widening); a single value gets one doubling either side. */
function log2Axis(lo: number, hi: number): Axis {
  let [from, to] = [Math.log2(lo), Math.log2(hi)];
  if (from === to) [from, to] = [from - 1, to + 1];
  let ticks = powers(Math.ceil(from), Math.floor(to)).map((k) => 2 ** k);
  // Less than a doubling apart: plain round numbers inside the span say more than one power of 2.
  if (ticks.length < 2) ticks = linearTicks(2 ** from, 2 ** to);
  // 2 ** log2(12) can come back as 11.999…: the ends are compared with a margin.
  const inside = (v: number): boolean => v > 0 && Number.isFinite(v) && Math.log2(v) >= from - 1e-9 && Math.log2(v) <= to + 1e-9;
  return { from, to, ticks: ticks.filter(inside), transform: Math.log2 };
}

/** Widened to whole decades; over two decades or less, 2× and 5× ticks fill in between. */
function log10Axis(lo: number, hi: number): Axis {
  let [from, to] = [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))];
  if (from === to) [from, to] = [from - 1, to + 1];
  const multiples = to - from <= 2 ? [1, 2, 5] : [1];
  const ticks = powers(from, to)
    .flatMap((k) => multiples.map((m) => clean(m * 10 ** k)))
    .filter((v) => v > 0 && Number.isFinite(v) && Math.log10(v) <= to);
  return { from, to, ticks, transform: Math.log10 };
}
