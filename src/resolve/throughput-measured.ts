/**
 * What a throughput row measured (presets/throughput/), as tokens per second per GPU and MFU, without
 * the step-time model: kept apart from ./throughput.ts so that the build step, which compiles the
 * best measured MFU per GPU (./best-mfu.ts), needs nothing the build itself generates.
 */
import { flopsPerToken } from '../core/flops.js';
import { paramCounts } from '../core/params.js';
import type { ModelArch } from '../core/types.js';
import { tflopsToFlopsPerSecond } from '../core/units.js';
import type { Registry } from '../presets/catalog.js';
import type { ThroughputRow } from '../presets/schema.js';
import { archFromInput, modelArch, peakTflops } from '../presets/to-core.js';
import { defaultAttention } from './defaults.js';

export interface MeasuredCase {
  arch: ModelArch;
  /** Dense peak of the row's GPU at its precision, TFLOP/s. */
  peakTflops: number;
  /** Model FLOPs per training token as PaLM counts them (6N + attention): what MFU and the constant-MFU rate divide by. */
  modelFlopsPerToken: number;
  /** Measured tokens per second per GPU, and how it was read from the source's figures. */
  measured: { tokensPerSecondPerGpu: number; from: string };
  /** Measured MFU under PaLM's convention (6N + attention), from the measured rate. */
  mfu: number;
}

/** What a row measured, as tokens/s/GPU and MFU, without running the step-time model. */
export function measuredCase(row: ThroughputRow, registry: Registry): MeasuredCase {
  const base =
    row.model !== undefined ? modelArch(registry.get('models', row.model)) : archFromInput(row.architecture as NonNullable<ThroughputRow['architecture']>);
  const gpu = registry.get('gpus', row.gpu);
  // The row's attention as the source states it, else what its GPU generation runs by default.
  const arch: ModelArch = { ...base, seqLen: row.seqLen ?? base.seqLen, attention: row.attention ?? defaultAttention(gpu) };
  const peak = peakTflops(gpu, row.precision) ?? 0;
  const modelFlopsPerToken = flopsPerToken({ convention: '6nd-attn', params: paramCounts(arch).active, arch });
  const measured = measuredRate(row, arch, peak, modelFlopsPerToken);
  return { arch, peakTflops: peak, modelFlopsPerToken, measured, mfu: (measured.tokensPerSecondPerGpu * modelFlopsPerToken) / tflopsToFlopsPerSecond(peak) };
}

/**
 * Tokens per second per GPU from what the source gives, in order of directness; an MFU alone is read
 * against the peak with PaLM's model FLOPs per token (`modelFlopsPerToken`).
 */
function measuredRate(row: ThroughputRow, arch: ModelArch, peakTflops: number, modelFlopsPerToken: number): MeasuredCase['measured'] {
  const m = row.measured;
  if (m.tokensPerSecondPerGpu !== undefined) return { tokensPerSecondPerGpu: m.tokensPerSecondPerGpu, from: 'tokens/s/GPU' };
  const batch = row.parallelism.globalBatch;
  if (m.stepSeconds !== undefined && batch !== undefined) return { tokensPerSecondPerGpu: (batch * arch.seqLen) / m.stepSeconds / row.gpus, from: 'step time' };
  if (m.tflopsPerGpu !== undefined && m.flopsConvention !== undefined) {
    return {
      tokensPerSecondPerGpu: tflopsToFlopsPerSecond(m.tflopsPerGpu) / flopsPerToken({ convention: m.flopsConvention, params: paramCounts(arch).active, arch }),
      from: `TFLOP/s (${m.flopsConvention})`,
    };
  }
  // MFU alone: read under PaLM's convention (6N + attention), the one Llama 3 and most recent papers cite.
  return { tokensPerSecondPerGpu: tflopsToFlopsPerSecond((m.mfu as number) * peakTflops) / modelFlopsPerToken, from: 'MFU (PaLM convention)' };
}
