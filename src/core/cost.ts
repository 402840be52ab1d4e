import { SECONDS_PER_HOUR, hoursToYears } from './units.js';

/** GPU-hours consumed by `gpus` GPUs running for `seconds` seconds. */
export function gpuHours(gpus: number, seconds: number): number {
  return (gpus * seconds) / SECONDS_PER_HOUR;
}

/** GPU-years (365-day years) for a number of GPU-hours. */
export function gpuYears(hours: number): number {
  return hoursToYears(hours);
}

/** Rental cost in USD of `hours` GPU-hours at `usdPerGpuHour`. */
export function costUsd(hours: number, usdPerGpuHour: number): number {
  return hours * usdPerGpuHour;
}
