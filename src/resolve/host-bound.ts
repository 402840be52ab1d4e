/**
 * Steps too small for the step-time model: where a layer's forward and backward carry less GPU work
 * per micro-batch than SMALL_STEP_LAYER_SECONDS, kernel launches and the Python that issues them set
 * the pace, and every such held-out measurement ran well below the model (core/range.ts).
 */
import { layerSecondsPerMicroBatch } from '../core/perf.js';
import { SMALL_STEP_LAYER_SECONDS, SMALL_STEP_MEASURED_RANGE } from '../core/range.js';
import { type Warning, warning } from '../core/warnings.js';
import type { ResolvedEstimate } from './estimate.js';
import type { LayoutResult } from './evaluate-layout.js';

/**
 * GPU seconds per layer per micro-batch of the chosen layout when under the threshold; null otherwise,
 * and for the leanest layout of a memory check alone (compare's long lists), which no run would time.
 */
export function hostBoundLayerSeconds(e: ResolvedEstimate, layout: LayoutResult | null): number | null {
  const arch = e.model.arch;
  if (!layout || !arch || layout.method === 'lean') return null;
  const seconds = layerSecondsPerMicroBatch(layout.chosen.step, layout.chosen.plan, arch.layers);
  return seconds < SMALL_STEP_LAYER_SECONDS ? seconds : null;
}

/**
 * HOST_BOUND, for a rate gpucost predicts (the step-time model or the default utilisation), not one
 * the user gave or measured. `rangeReaches`: whether the estimate's range was taken down to the
 * slowest such row (it is where the step-time model times the run).
 */
export function hostBoundWarnings(e: ResolvedEstimate, layout: LayoutResult | null, rangeReaches: boolean): Warning[] {
  if (e.perf.value !== 'model' && !e.utilizationIsDefault) return [];
  const seconds = hostBoundLayerSeconds(e, layout);
  if (seconds === null || !layout) return [];
  const { low, high } = SMALL_STEP_MEASURED_RANGE;
  const ms = (seconds * 1e3).toPrecision(2);
  const range = rangeReaches ? 'the time range reaches that far' : 'the time range, drawn from larger runs, does not reach that far';
  return [
    warning(
      'HOST_BOUND',
      `each layer carries ${ms} ms of GPU work per micro-batch of ${layout.chosen.plan.microBatch} (forward and backward), under the ${SMALL_STEP_LAYER_SECONDS * 1e3} ms below which every held-out measurement that launched its kernels one by one ran at ${low}–${high} of the step-time model's rate (GPT-2 124M at 1–4 sequences, Qwen 1.8B fine-tunes at 256–512 tokens): kernel launches and Python overhead, which gpucost does not time, set the pace, so the run may take up to ${Math.round(1 / low)}× the time shown unless it captures its steps in CUDA graphs; ${range}`,
      {
        layerSeconds: seconds,
        thresholdSeconds: SMALL_STEP_LAYER_SECONDS,
        microBatch: layout.chosen.plan.microBatch,
        lowestMeasuredOverPredicted: low,
        highestMeasuredOverPredicted: high,
      },
    ),
  ];
}
