/** Option value parsers shared by commands. Each throws InvalidArgumentError with a one-line reason. */
import { InvalidArgumentError } from 'commander';
import { ZERO_STAGES, type ZeroStage } from '../core/parallel.js';
import {
  type Parsed,
  parseCount,
  parseCountList,
  parseDuration,
  parseDurationIn,
  parseFraction,
  parseProbability,
  parseMoney,
  parseNonNegativeInt,
  parseNonNegativeNumber,
  parsePue,
  parsePositiveInt,
  parsePositiveNumber,
  parseScaling,
} from '../core/parse.js';

/** Turns a pure parser's reason into commander's InvalidArgumentError. */
export function wrap<T>(parse: (text: string) => Parsed<T>): (text: string) => T {
  return (text) => {
    const r = parse(text);
    if (!r.ok) throw new InvalidArgumentError(r.reason);
    return r.value;
  };
}

/** A positive count with optional suffix: 175B, 7b, 300e9, 1.5k, 1,000,000, 1_000_000. */
export const positiveCount = wrap(parseCount);

/** A positive whole number (GPU counts): 1024, 4k. */
export const positiveInt = wrap(parsePositiveInt);

/** A whole number, zero allowed (--shared-experts 0, --dense-layers 0). */
export const nonNegativeInt = wrap(parseNonNegativeInt);

/** PUE: facility power ÷ IT power, at least 1. */
export const pue = wrap(parsePue);

/** A positive real number (TFLOP/s, watts): the grammar of a count. */
export const positiveNumber = wrap(parsePositiveNumber);

/** A number that may be zero (gCO2e/kWh). */
export const nonNegativeNumber = wrap(parseNonNegativeNumber);

/** A fraction in (0, 1], written 0.4 or 40%. */
export const fraction = wrap(parseFraction);

/** A probability in [0, 1): a dropout rate. */
export const probability = wrap(parseProbability);

/** A non-negative amount of money, optionally with a leading "$": 2.5, $1.48, $5M, 5e6. */
export const usd = wrap(parseMoney);

/** A duration with a unit (30d, 3mo, 20min), in seconds; bare numbers refused (the flag names no unit). */
export const duration = wrap((text) => parseDuration(text));

/** A short duration (a step time, a checkpoint stall), with a matching example in its error. */
export const shortDuration = wrap((text) => parseDuration(text, undefined, '2.5s or 400ms'));

/** A duration in a flag named for its unit (--max-days): a bare number is in that unit, "4w" is converted to it. */
export function durationIn(unit: 'd' | 'y'): (text: string) => number {
  return wrap((text) => parseDurationIn(text, unit));
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
