/**
 * The step-time model's second opinion on how GPU types rank, for rows timed at the default
 * utilisation. The default gives every GPU the same share of its peak, so GPUs rank by peak alone:
 * an H200 runs exactly as fast as an H100. The model also counts memory bandwidth, memory capacity
 * (larger micro-batches) and links, and on the held-out MLPerf Llama 2 70B LoRA systems its median
 * error per GPU type spans −16% (H100) to +4% (GB200) where the constant's spans −40% (H200) to
 * +37% (L40S) (presets/finetune/mlperf-llama2-70b-lora.yaml; +12% on MI325X before its measured
 * matmul rate).
 */
import type { ComputedEstimate } from './compute.js';
import { evaluateLayout } from './evaluate-layout.js';

export interface RankingRatio {
  gpu: string;
  /** The step-time model's rate per GPU ÷ the reference GPU's, on the layouts `--perf model` would choose. */
  model: number;
  /** The default's rate per GPU ÷ the reference GPU's (peak × default utilisation). */
  byDefault: number;
}

export interface ModelRanking {
  /** The GPU the others are measured against: the first compared. */
  reference: string;
  /** The GPU count compared at: the largest that every GPU type has a row for. */
  gpus: number;
  others: RankingRatio[];
}

/** How far the model's ratio may stray from the default's before it is worth saying (5%). */
export const RANKING_TOLERANCE = 0.05;

/** The model's ratios where they differ from the default's by more than RANKING_TOLERANCE; null otherwise. */
export function modelRanking(estimates: readonly ComputedEstimate[]): ModelRanking | null {
  const timed = estimates.filter(
    (e) => e.resolved.utilizationIsDefault && e.resolved.perf.value === 'mfu' && e.layout?.method === 'search' && e.layout.chosen.fits,
  );
  const byGpu = new Map<string, ComputedEstimate[]>();
  for (const e of timed) {
    const list = byGpu.get(e.resolved.gpu.id);
    if (list) list.push(e);
    else byGpu.set(e.resolved.gpu.id, [e]);
  }
  if (byGpu.size < 2) return null;
  const counts = [...byGpu.values()].map((list) => new Set(list.map((e) => e.resolved.gpus.value)));
  const shared = [...(counts[0] as Set<number>)].filter((n) => counts.every((c) => c.has(n)));
  if (shared.length === 0) return null;
  const gpus = Math.max(...shared);
  const at = [...byGpu.values()].map((list) => list.find((e) => e.resolved.gpus.value === gpus) as ComputedEstimate);
  const [reference, ...rest] = at as [ComputedEstimate, ...ComputedEstimate[]];
  const referenceRate = modelRate(reference);
  const others = rest.map((e) => ({
    gpu: e.resolved.gpu.id,
    model: modelRate(e) / referenceRate,
    byDefault: e.resolved.tflopsPerGpu.value / reference.resolved.tflopsPerGpu.value,
  }));
  if (others.every((o) => Math.abs(o.model / o.byDefault - 1) <= RANKING_TOLERANCE)) return null;
  return { reference: reference.resolved.gpu.id, gpus, others };
}

/**
 * Tokens per second per GPU that `--perf model` gives the row: the step-time model on the layout it
 * would choose (for pre-training the fastest that fits, not the one leaving room for peaks that the
 * default's memory column shows), so that the ratios are what the user sees on rerunning with it.
 */
function modelRate(e: ComputedEstimate): number {
  const timed = evaluateLayout({ ...e.resolved, perf: { value: 'model', origin: 'the step-time model' } });
  const chosen = timed?.chosen ?? (e.layout as NonNullable<ComputedEstimate['layout']>).chosen;
  const seqLen = e.resolved.model.arch?.seqLen ?? 0;
  return (chosen.plan.globalBatch * seqLen) / chosen.step.stepSeconds / e.resolved.gpus.value;
}
