/**
 * Calendar dates from a clock reading, without `Date`: the first `Date` object a process makes
 * loads the time-zone database (about 1 ms at start-up), which a UTC date does not need.
 */
import { MS_PER_SECOND, SECONDS_PER_DAY } from './units.js';

const MS_PER_DAY = SECONDS_PER_DAY * MS_PER_SECOND;
/** Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar. */
const DAYS_FROM_0000_03_01_TO_EPOCH = 719_468;
const DAYS_PER_400_YEARS = 146_097;

/**
 * The UTC date (YYYY-MM-DD) of a time in milliseconds since 1970-01-01T00:00Z, by the civil-from-days
 * algorithm of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"
 * (https://howardhinnant.github.io/date_algorithms.html#civil_from_days): years counted from March,
 * so that the leap day ends a year, in 400-year eras.
 */
export function isoDateUtc(epochMs: number): string {
  const z = Math.floor(epochMs / MS_PER_DAY) + DAYS_FROM_0000_03_01_TO_EPOCH;
  const era = Math.floor(z / DAYS_PER_400_YEARS);
  const dayOfEra = z - era * DAYS_PER_400_YEARS;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
