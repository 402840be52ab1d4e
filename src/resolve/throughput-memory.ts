/**
 * Peak memory of the throughput rows that measured it (measured.memoryGiB), beside gpucost's memory
 * per GPU for the row's own layout, as `gpucost memory` gives it with the row's --kernels and
 * --fp8-params. The rows' figures are rank 0's, the first pipeline stage: the loss, which sits on the
 * last stage, counts only without pipelining, and the framework allowance counts as far as the
 * row's memory metric sees it (overheadSeenBy).
 */
import { type ActivationKernels, DEFAULT_ACTIVATION_KERNELS, DEFAULT_MEMORY_OPTIONS, bytesSeenBy, memoryPerGpu } from '../core/memory.js';
import { BYTES_PER_GIB } from '../core/units.js';
import { type ThroughputCase, gradientBytesOf } from './throughput.js';

export interface ThroughputMemoryCase {
  case: ThroughputCase;
  /** The kernels the activations are counted for: the row's, else pre-training's default. */
  kernels: ActivationKernels;
  measuredGiB: number;
  predictedGiB: number;
  /** predicted ÷ measured − 1. */
  error: number;
}

export function throughputMemoryCases(cases: ThroughputCase[]): ThroughputMemoryCase[] {
  return cases.flatMap((c) => {
    const measuredGiB = c.row.measured.memoryGiB;
    if (measuredGiB === undefined || c.layout === null) return [];
    const { plan } = c.layout;
    const kernels = c.row.kernels ?? DEFAULT_ACTIVATION_KERNELS;
    const memory = memoryPerGpu(c.arch, plan, {
      ...DEFAULT_MEMORY_OPTIONS,
      includeLoss: plan.pp === 1,
      kernels,
      gradBytes: gradientBytesOf(c.row.parallelism),
      ...(c.row.fp8Params ? { fp8Params: true } : {}),
    });
    const predictedGiB = bytesSeenBy(memory, c.row.measured.memoryMetric, plan) / BYTES_PER_GIB;
    return [{ case: c, kernels, measuredGiB, predictedGiB, error: predictedGiB / measuredGiB - 1 }];
  });
}
