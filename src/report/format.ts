/** Text formatting of raw values for people (table and Markdown). Deterministic: en-US digits without Intl, no clock. */
import { formatQuantity } from '../core/quantity.js';
import { SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, SECONDS_PER_MONTH, SECONDS_PER_YEAR } from '../core/units.js';
import { formatGrouped } from '../core/grouping.js';
import type { Scalar, ValueKind } from './model.js';

/** Rounds to `digits` significant digits and groups thousands: 830779.2 → "830,800". */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(digits));
  return formatGrouped(rounded, 20);
}

/** 3.1428e23 → "3.14e23". */
export function formatScientific(value: number, digits = 3): string {
  const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
  return `${mantissa}e${Number(exponent)}`;
}

/** Duration units, each used below its limit (in seconds), with its long and short names. */
const DURATION_UNITS = [
  { below: 2 * SECONDS_PER_MINUTE, seconds: 1, long: 's', short: 's' },
  { below: 2 * SECONDS_PER_HOUR, seconds: SECONDS_PER_MINUTE, long: 'min', short: 'min' },
  { below: 2 * SECONDS_PER_DAY, seconds: SECONDS_PER_HOUR, long: 'hours', short: 'h' },
  { below: 90 * SECONDS_PER_DAY, seconds: SECONDS_PER_DAY, long: 'days', short: 'd' },
  { below: 2 * SECONDS_PER_YEAR, seconds: SECONDS_PER_MONTH, long: 'months', short: 'mo' },
  { below: Infinity, seconds: SECONDS_PER_YEAR, long: 'years', short: 'y' },
] as const;

function durationText(seconds: number, short: boolean): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  // The last unit's limit is Infinity, so one always matches.
  const unit = DURATION_UNITS.find((u) => seconds < u.below) as (typeof DURATION_UNITS)[number];
  const text = `${formatNumber(seconds / unit.seconds, 3)} ${short ? unit.short : unit.long}`;
  // Months are uneven: the long form gives the days too.
  return !short && unit.long === 'months' ? `${text} (${formatNumber(seconds / SECONDS_PER_DAY, 3)} days)` : text;
}

/** Seconds in the largest unit that keeps the number readable: "33.8 days", "6.74 months (205 days)", "35.9 years". */
export function formatDuration(seconds: number): string {
  return durationText(seconds, false);
}

/** Compact durations for wide tables: "45 s", "12 min", "5.3 h", "33.8 d", "6.76 mo", "36 y". */
export function formatDurationShort(seconds: number): string {
  return durationText(seconds, true);
}

/**
 * Units a column of durations is shown in, one for the whole column. Months are left out: they are
 * uneven, and a column of them beside days would read as if they were.
 */
const COLUMN_DURATION_UNITS = [
  { below: 2 * SECONDS_PER_MINUTE, seconds: 1, short: 's', long: 'seconds' },
  { below: 2 * SECONDS_PER_HOUR, seconds: SECONDS_PER_MINUTE, short: 'min', long: 'minutes' },
  { below: 2 * SECONDS_PER_DAY, seconds: SECONDS_PER_HOUR, short: 'h', long: 'hours' },
  { below: 2 * SECONDS_PER_YEAR, seconds: SECONDS_PER_DAY, short: 'd', long: 'days' },
  { below: Infinity, seconds: SECONDS_PER_YEAR, short: 'y', long: 'years' },
] as const;

export type DurationUnit = (typeof COLUMN_DURATION_UNITS)[number];

/**
 * One unit for a column of durations (seconds): the unit of its shortest finite value, so that no
 * row reads "0.01 y"; the longest then has more digits ("13,150 d"), which reads better than a
 * column that switches units between rows. Undefined when the column has no finite value.
 */
export function durationColumnUnit(seconds: readonly number[]): DurationUnit | undefined {
  const finite = seconds.filter((s) => Number.isFinite(s));
  if (finite.length === 0) return undefined;
  const shortest = Math.min(...finite.map(Math.abs));
  return COLUMN_DURATION_UNITS.find((u) => shortest < u.below) as DurationUnit;
}

/** A duration in a column's unit, without the unit (the header carries it): "33.8", "13,150". */
export function formatInUnit(seconds: number, unit: DurationUnit): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  return formatNumber(seconds / unit.seconds, 3);
}

/** "$4.61M", "$950k", "$1,234". */
export function formatUsd(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e4) return `$${formatQuantity(value, 3)}`;
  return `$${formatGrouped(value, abs < 10 ? 2 : 0)}`;
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Signed percentage with a true minus sign: "+0.3%", "−0.5%". */
export function formatDeviation(fraction: number): string {
  const text = formatPercent(Math.abs(fraction));
  if (text === formatPercent(0)) return text;
  return `${fraction < 0 ? '−' : '+'}${text}`;
}

export function formatValue(value: Scalar, kind: ValueKind, unit?: string): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  const withUnit = (s: string): string => (unit ? `${s} ${unit}` : s);
  switch (kind) {
    case 'text':
      return String(value);
    case 'integer':
      return withUnit(formatGrouped(Math.round(value)));
    case 'number':
      return withUnit(formatNumber(value));
    case 'count':
      return withUnit(formatQuantity(value, 4));
    case 'flops':
      return withUnit(formatScientific(value));
    case 'tflops':
      return `${formatNumber(value)} TFLOP/s`;
    case 'duration':
      return formatDuration(value);
    case 'duration-short':
      return formatDurationShort(value);
    case 'hours':
      return withUnit(formatNumber(value));
    case 'years':
      return withUnit(formatNumber(value));
    case 'usd':
      return formatUsd(value);
    case 'fraction':
      return formatPercent(value);
    case 'deviation':
      return formatDeviation(value);
  }
}
