/**
 * en-US number text without Intl. `value.toLocaleString('en-US', { maximumFractionDigits })` costs
 * tens of milliseconds on its first call (ICU sets up a number formatter), more than the rest of a
 * `gpucost estimate`; this gives the same text from the number's shortest decimal form.
 */

/**
 * The same text as `value.toLocaleString('en-US', { maximumFractionDigits })`: thousands grouped by
 * commas, at most `maxFractionDigits` decimals (rounded half away from zero, ECMA-402's default
 * "halfExpand"), no trailing zeros, "-0" kept, "∞" and "NaN" as Intl writes them.
 * `tests/core/grouping.test.ts` checks it against Intl on random numbers.
 */
export function formatGrouped(value: number, maxFractionDigits = 0): string {
  if (Number.isNaN(value)) return 'NaN';
  const negative = value < 0 || Object.is(value, -0);
  if (!Number.isFinite(value)) return negative ? '-∞' : '∞';
  const { digits, pointAt } = shortestDecimal(Math.abs(value));
  // Digits kept: those before the point and maxFractionDigits after it.
  const keep = pointAt + maxFractionDigits;
  let kept: string;
  let point = pointAt;
  if (keep >= digits.length) {
    kept = digits;
  } else if (keep < 0) {
    kept = '';
  } else {
    kept = digits.slice(0, keep);
    if ((digits[keep] as string) >= '5') {
      // Round up: add one at the last kept place, carrying.
      const up = incrementDigits(kept);
      if (up.length > kept.length) point += 1;
      kept = up;
    }
  }
  // Place the point: pad with zeros on either side as needed.
  let intPart: string;
  let fracPart: string;
  if (point <= 0) {
    intPart = '0';
    fracPart = '0'.repeat(-point) + kept;
  } else if (point >= kept.length) {
    intPart = kept + '0'.repeat(point - kept.length);
    fracPart = '';
  } else {
    intPart = kept.slice(0, point);
    fracPart = kept.slice(point);
  }
  fracPart = fracPart.slice(0, Math.max(0, maxFractionDigits)).replace(/0+$/, '');
  intPart = intPart.replace(/^0+(?=\d)/, '');
  const grouped = intPart.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${negative ? '-' : ''}${grouped}${fracPart ? `.${fracPart}` : ''}`;
}

/** x > 0 finite (or 0) as digits without leading zeros and the position of the decimal point in them. */
function shortestDecimal(x: number): { digits: string; pointAt: number } {
  if (x === 0) return { digits: '0', pointAt: 1 };
  const text = String(x); // ECMAScript Number::toString: the shortest round-tripping digits
  const [mantissa = '', exp = '0'] = text.split('e');
  const dot = mantissa.indexOf('.');
  const intDigits = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const all = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  let pointAt = intDigits.length + Number(exp);
  // Strip leading zeros (0.00123 → "123" with the point moved left).
  const lead = /^0*/.exec(all)?.[0].length ?? 0;
  pointAt -= lead;
  return { digits: all.slice(lead), pointAt };
}

function incrementDigits(digits: string): string {
  const out = digits.split('');
  let i = out.length - 1;
  for (; i >= 0; i--) {
    if (out[i] === '9') {
      out[i] = '0';
    } else {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
  }
  return `1${out.join('')}`;
}
