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

/** The CLI's --gpu and --gpus lists, as compare and plan requests take them. */
export interface GpuLists {
  /** GPU preset ids or aliases (the CLI's --gpu). */
  gpu?: string[];
  /** GPU counts (the CLI's --gpus, expanded). */
  gpus?: number[];
}

/** A request with `gpu` and `gpus` moved to the names the resolver reads, `gpuList` and `gpusList`. */
export function withGpuLists<T extends { gpuList?: string[]; gpusList?: number[] }>(input: Omit<T, 'gpuList' | 'gpusList'> & GpuLists): T {
  const { gpu, gpus, ...rest } = input;
  const request = { ...rest } as T;
  if (gpu) request.gpuList = gpu;
  if (gpus) request.gpusList = gpus;
  return request;
}
