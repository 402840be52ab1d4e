/** Option value parsers shared by commands. Each throws InvalidArgumentError with a one-line reason. */
import { InvalidArgumentError } from 'commander';
import { ZERO_STAGES, type ZeroStage } from '../core/parallel.js';
import { parseQuantity } from '../core/quantity.js';
import { type Parsed, parseCountList, parseFraction, parsePositiveInt, parseScaling } from '../core/parse.js';

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

/** Turns a pure parser's reason into commander's InvalidArgumentError. */
export function wrap<T>(parse: (text: string) => Parsed<T>): (text: string) => T {
  return (text) => {
    const r = parse(text);
    if (!r.ok) throw new InvalidArgumentError(r.reason);
    return r.value;
  };
}

/** A positive whole number (GPU counts): 1024, 4k. */
export const positiveInt = wrap(parsePositiveInt);

/** A whole number, zero allowed (--shared-experts 0, --dense-layers 0). */
export function nonNegativeInt(text: string): number {
  if (text.trim() === '0') return 0;
  return positiveInt(text);
}

/** A positive real number (TFLOP/s). */
export function positiveNumber(text: string): number {
  return positiveCount(text);
}

/** A fraction in (0, 1], written 0.4 or 40%. */
export const fraction = wrap(parseFraction);

/** A non-negative amount of money, optionally with a leading "$": 2.5, $1.48, 2M. */
export function usd(text: string): number {
  const v = quantity(text.trim().replace(/^\$/, ''));
  if (v < 0) throw new InvalidArgumentError(`must not be negative, got ${text}`);
  return v;
}

/** One of a fixed set of values, case-insensitive, with the valid set in the error. */
export function oneOf<T extends string>(values: readonly T[], aliases: Readonly<Record<string, T>> = {}): (text: string) => T {
  // A Map, not the alias object: an object answers "constructor" or "__proto__" from its prototype.
  const accepted = new Map<string, T>(values.map((v) => [v, v]));
  for (const [alias, value] of Object.entries(aliases)) accepted.set(alias, value);
  return (text) => {
    const found = accepted.get(text.trim().toLowerCase());
    if (found === undefined) throw new InvalidArgumentError(`must be one of ${values.join(', ')}; got "${text}"`);
    return found;
  };
}

/** --scaling: linear, efficiency:0.9 (per doubling beyond 8 GPUs), efficiency:0.9@64, or model. */
export const scaling = wrap(parseScaling);

/** GPU counts: lists and ranges (see parseCountList). */
export const countList = wrap(parseCountList);

/** A comma-separated list of ids: "v100,a100-80gb,h100". */
export function idList(text: string): string[] {
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new InvalidArgumentError('needs at least one id');
  return [...new Set(ids)];
}

/** --zero: a ZeRO stage, 0 to 3. */
export function zeroStage(text: string): ZeroStage {
  const stage = oneOf(ZERO_STAGES.map(String))(text);
  return Number(stage) as ZeroStage;
}
