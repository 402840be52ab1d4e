import { secondsToDays, secondsToMonths, secondsToYears } from '../core/units.js';
import type { ClaimQuantity } from '../presets/claims.js';
import type { ComputedEstimate } from '../resolve/compute.js';

/** The value of a claim's quantity in an estimate, in the claim's unit. */
export function claimQuantityValue(quantity: ClaimQuantity, e: ComputedEstimate): number | null {
  const { result } = e;
  switch (quantity) {
    case 'costUsd':
      return result.costUsd;
    case 'gpuHours':
      return result.gpuHours;
    case 'gpuYears':
      return result.gpuYears;
    case 'wallClockDays':
      return secondsToDays(result.wallClockSeconds);
    case 'wallClockMonths':
      return secondsToMonths(result.wallClockSeconds);
    case 'wallClockYears':
      return secondsToYears(result.wallClockSeconds);
  }
}
