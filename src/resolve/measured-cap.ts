/**
 * The ceiling a default utilisation keeps to: the best MFU the throughput set measured on the GPU at
 * the precision (knownLimits), counted as that bound is, with attention FLOPs when the architecture is
 * known and 6N otherwise.
 */
import type { FlopsConvention } from '../core/enums.js';
import { flopsPerToken } from '../core/flops.js';
import type { ModelArch } from '../core/types.js';
import type { BestMeasuredMfu } from './best-mfu.js';

/**
 * `utilization` (a fraction of the peak, counted in `convention`'s FLOPs, less a frozen base's weight
 * gradients when `adapterParams` is given) lowered so that the MFU it implies is the best measured,
 * rounded down to three places so that it stays at or under it; null when it is already under, or
 * nothing was measured.
 */
export function capAtMeasured(
  utilization: number,
  best: BestMeasuredMfu | null,
  params: number,
  arch: ModelArch | undefined,
  convention: FlopsConvention,
  adapterParams?: number,
): { utilization: number; note: string } | null {
  if (!best) return null;
  // A fine-tune's FLOPs skip the frozen base's weight gradients, in the MFU as in the convention.
  const finetune = adapterParams === undefined ? {} : { finetune: { adapterParams } };
  const counted = flopsPerToken({ convention: arch ? '6nd-attn' : '6nd', params, ...(arch ? { arch } : {}), ...finetune });
  const implied = (utilization * counted) / flopsPerToken({ convention, params, ...(arch ? { arch } : {}), ...finetune });
  const bound = measuredBound(best, arch !== undefined);
  if (implied <= bound) return null;
  return {
    utilization: Math.floor(((utilization * bound) / implied) * 1000) / 1000,
    note: `capped so that MFU stays at the best measured on ${best.gpu} at ${best.precision} (${(bound * 100).toFixed(1)}%, ${best.row})`,
  };
}

/** The best measured MFU as an estimate's MFU is counted: with attention FLOPs when it has an architecture, else 6N. */
export function measuredBound(best: BestMeasuredMfu, withAttention: boolean): number {
  return withAttention ? best.mfu : best.mfu6n;
}
