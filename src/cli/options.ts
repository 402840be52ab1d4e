/** Option value parsers shared by commands. Each throws InvalidArgumentError with a one-line reason. */
import { InvalidArgumentError } from 'commander';
import { parseQuantity } from '../core/quantity.js';

function quantity(text: string): number {
  const parsed = parseQuantity(text);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.reason);
  return parsed.value;
}

/** A positive count with optional suffix: 175B, 300e9, 1.5k. */
export function positiveCount(text: string): number {
  const v = quantity(text);
  if (v <= 0) throw new InvalidArgumentError(`must be positive, got ${text}`);
  return v;
}

/** A positive whole number (GPU counts): 1024, 4k. */
export function positiveInt(text: string): number {
  const v = quantity(text);
  if (!Number.isInteger(v) || v <= 0) throw new InvalidArgumentError(`must be a positive whole number, got ${text}`);
  if (v > Number.MAX_SAFE_INTEGER) throw new InvalidArgumentError(`is too large: ${text}`);
  return v;
}

/** A positive real number (TFLOP/s). */
export function positiveNumber(text: string): number {
  return positiveCount(text);
}

/** A fraction in (0, 1], written 0.4 or 40%. */
export function fraction(text: string): number {
  const percent = text.trim().endsWith('%');
  const v = quantity(percent ? text.trim().slice(0, -1) : text) / (percent ? 100 : 1);
  if (!(v > 0 && v <= 1)) throw new InvalidArgumentError(`must be between 0 and 1 (or 0% and 100%), got ${text}`);
  return v;
}

/** A non-negative amount of money, optionally with a leading "$": 2.5, $1.48, 2M. */
export function usd(text: string): number {
  const v = quantity(text.trim().replace(/^\$/, ''));
  if (v < 0) throw new InvalidArgumentError(`must not be negative, got ${text}`);
  return v;
}

/** One of a fixed set of values, case-insensitive, with the valid set in the error. */
export function oneOf<T extends string>(values: readonly T[], aliases: Record<string, T> = {}): (text: string) => T {
  return (text) => {
    const key = text.trim().toLowerCase();
    const found = values.find((v) => v === key) ?? aliases[key];
    if (!found) throw new InvalidArgumentError(`must be one of ${values.join(', ')}; got "${text}"`);
    return found;
  };
}
