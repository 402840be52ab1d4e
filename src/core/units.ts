/**
 * Unit conversions. Everything in `core` works in SI base units (seconds, FLOP, FLOP/s, bytes, USD);
 * these helpers convert at the edges. Calendar conventions are named here once.
 */

export const MS_PER_SECOND = 1000;
export const WATTS_PER_KILOWATT = 1000;
export const GRAMS_PER_KILOGRAM = 1000;
export const SECONDS_PER_MINUTE = 60;
export const SECONDS_PER_HOUR = 60 * SECONDS_PER_MINUTE;
export const HOURS_PER_DAY = 24;
export const SECONDS_PER_DAY = SECONDS_PER_HOUR * HOURS_PER_DAY;
/**
 * A year is 365 days. This is the convention behind the article's "355 GPU-years"
 * (3.14e23 FLOP / 28e12 FLOP/s = 1.12e10 s = 355.6 years of 365 days; Lambda Labs,
 * "OpenAI's GPT-3 Language Model: A Technical Overview", 2020).
 */
export const DAYS_PER_YEAR = 365;
export const SECONDS_PER_YEAR = SECONDS_PER_DAY * DAYS_PER_YEAR;
export const HOURS_PER_YEAR = HOURS_PER_DAY * DAYS_PER_YEAR;
/** A month is one twelfth of a 365-day year (30.42 days), so 0.5625 years = 6.75 months. */
export const MONTHS_PER_YEAR = 12;
export const SECONDS_PER_MONTH = SECONDS_PER_YEAR / MONTHS_PER_YEAR;

export const TERA = 1e12;
export const GIGA = 1e9;
/** Vendor memory sizes are decimal gigabytes (1e9 bytes); nvidia-smi reports MiB (2^20 bytes). */
export const BYTES_PER_GB = 1e9;
export const BYTES_PER_GIB = 2 ** 30;
export const BYTES_PER_MIB = 2 ** 20;

export const tflopsToFlopsPerSecond = (tflops: number): number => tflops * TERA;
export const flopsPerSecondToTflops = (flopsPerSecond: number): number => flopsPerSecond / TERA;
export const secondsToDays = (s: number): number => s / SECONDS_PER_DAY;
export const secondsToMonths = (s: number): number => s / SECONDS_PER_MONTH;
export const secondsToYears = (s: number): number => s / SECONDS_PER_YEAR;
export const hoursToYears = (h: number): number => h / HOURS_PER_YEAR;
export const daysToSeconds = (d: number): number => d * SECONDS_PER_DAY;
