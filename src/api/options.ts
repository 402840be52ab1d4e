/** What every library call takes besides its request. */
import type { Registry } from '../presets/catalog.js';
import { isoDateUtc } from '../core/calendar.js';
import { builtinRegistry } from '../presets/builtin.js';

export interface ApiOptions {
  /** Presets to resolve ids against (from loadPresets); default: the bundled presets. */
  presets?: Registry;
  /**
   * Today's date, YYYY-MM-DD, for the age of a price; default: the current date (UTC). Pass a fixed
   * date for answers that do not change from one day to the next.
   */
  today?: string;
}

export function presetsOf(options: ApiOptions): Registry {
  return options.presets ?? builtinRegistry();
}

export function todayOf(options: ApiOptions): string {
  return options.today ?? isoDateUtc(Date.now());
}
