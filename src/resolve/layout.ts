/** From presets to the performance model's inputs: hardware of a GPU in a cluster, and the batch. */
import { isLowPrecision, type LowPrecision, type Precision } from '../core/enums.js';
import { flashAttentionEfficiencies, type PerfHardware } from '../core/perf.js';
import type { ModelArch } from '../core/types.js';
import { BYTES_PER_GB, GIGA, TERA } from '../core/units.js';
import type { ClusterPreset, GpuPreset, ModelPreset } from '../presets/schema.js';
import { peakTflops } from '../presets/to-core.js';

/** Without a cluster preset: 8 GPUs per node and one 200 Gb/s HDR InfiniBand port per GPU (25 GB/s), as in a DGX A100. */
export const DEFAULT_GPUS_PER_NODE = 8;
export const DEFAULT_INTER_NODE_GBPS_PER_GPU = 25;

/**
 * Tokens per optimizer step when the model preset publishes none: 4M tokens, the batch of Llama 2
 * (Touvron et al. 2023, https://arxiv.org/abs/2307.09288, §2.2).
 */
export const DEFAULT_GLOBAL_BATCH_TOKENS = 4 * 2 ** 20;

export function perfHardware(gpu: GpuPreset, cluster: ClusterPreset | undefined, precision: Precision): PerfHardware {
  const peak = peakTflops(gpu, precision) ?? gpu.denseTflops.bf16 ?? gpu.denseTflops.fp16 ?? 0;
  return {
    peakFlopsPerSecond: peak * TERA,
    memoryBandwidthBytesPerSecond: gpu.memoryBandwidthTBps * TERA,
    intraNodeBytesPerSecond: (cluster?.intraNode.bandwidthGBpsPerDirection ?? gpu.intraNodeLink.bandwidthGBpsPerDirection) * GIGA,
    interNodeBytesPerSecond: (cluster?.interNode.bandwidthGBpsPerDirectionPerGpu ?? DEFAULT_INTER_NODE_GBPS_PER_GPU) * GIGA,
    gpusPerNode: cluster?.gpusPerNode ?? DEFAULT_GPUS_PER_NODE,
    ...gemmCeiling(gpu, precision),
    flashAttentionEfficiency: flashAttentionEfficiencies(gpu.architecture),
    ...(isLowPrecision(precision) ? lowPrecisionGemms(gpu, precision) : {}),
  };
}

/**
 * The GEMM ceiling of a GPU at a precision: its measured best matmul rate ÷ its dense peak (the
 * preset's matmulTflops; FP16 takes the BF16 measurement, the same tensor-core rate). A precision
 * without its own measurement takes the fraction measured at the nearest wider one (FP4 and MXFP8
 * take FP8's, FP8 takes BF16's): the fraction belongs to the chip's clocks and GEMM libraries, and
 * where both are measured FP8's is 0.88–0.99 of BF16's (H100 0.709 against 0.803, B200 0.763 against
 * 0.776). Until 2026-12-06 such a precision fell to PerfConstants.gemmEfficiencyMax (0.708), which
 * gave MI300X's FP8 GEMMs 2.8× its measured BF16 rate; torchao's MI300X rows (held out) showed it.
 * Without any measurement the step-time model uses PerfConstants.gemmEfficiencyMax.
 */
function gemmCeiling(gpu: GpuPreset, precision: Precision): Pick<PerfHardware, 'gemmEfficiencyMax'> {
  for (const p of CEILING_FALLBACK[precision]) {
    const measured = gpu.matmulTflops?.[p];
    const peak = peakTflops(gpu, p);
    if (measured !== undefined && peak !== undefined) return { gemmEfficiencyMax: measured / peak };
  }
  return {};
}

/** Where each precision's GEMM ceiling is read from, nearest first. */
const CEILING_FALLBACK: Record<Precision, readonly ('fp16' | 'bf16' | 'fp8')[]> = {
  fp64: [],
  fp32: [],
  tf32: [],
  fp16: ['fp16', 'bf16'],
  bf16: ['bf16'],
  fp8: ['fp8', 'bf16'],
  mxfp8: ['fp8', 'bf16'],
  fp4: ['fp8', 'bf16'],
};

/**
 * Bytes per element of a weight GEMM's inputs at each low precision, block scales included: FP8
 * with one scale per tensor, 1; MXFP8, 1 + 1/32 (one E8M0 byte per 32 elements; Transformer Engine,
 * "MXFP8", https://nvidia.github.io/TransformerEngine/features/low_precision_training/mxfp8/mxfp8.html);
 * NVFP4, 1/2 + 1/16 (one E4M3 byte per 16 elements; NVIDIA 2025, "Pretraining Large Language Models
 * with NVFP4", https://arxiv.org/abs/2509.25149, §2).
 */
export const LOW_PRECISION_INPUT_BYTES: Record<LowPrecision, number> = { fp8: 1, mxfp8: 1 + 1 / 32, fp4: 0.5 + 1 / 16 };

/**
 * Low-precision training as Transformer Engine runs it: the weight GEMMs take 8- or 4-bit inputs at
 * that precision's peak, attention and everything else stay in BF16 (Micikevicius et al. 2022, "FP8
 * Formats for Deep Learning", https://arxiv.org/abs/2209.05433, §4; Transformer Engine's FP8 primer).
 * Every weight GEMM is taken at the low precision: NVIDIA's NVFP4 recipe keeps a few sensitive
 * layers in BF16 (arXiv 2509.25149), so for FP4 this is the most the format can give.
 */
function lowPrecisionGemms(
  gpu: GpuPreset,
  precision: LowPrecision,
): Pick<PerfHardware, 'attentionPeakFlopsPerSecond' | 'gemmInputBytes' | 'fp8PeakFlopsPerSecond'> {
  const bf16 = gpu.denseTflops.bf16 ?? gpu.denseTflops.fp16;
  const fp8 = gpu.denseTflops.fp8;
  return {
    gemmInputBytes: LOW_PRECISION_INPUT_BYTES[precision],
    ...(bf16 !== undefined ? { attentionPeakFlopsPerSecond: bf16 * TERA } : {}),
    ...(fp8 !== undefined ? { fp8PeakFlopsPerSecond: fp8 * TERA } : {}),
  };
}

export function memoryCapacityBytes(gpu: GpuPreset): number {
  return gpu.memoryGB * BYTES_PER_GB;
}

/** Sequences per step: the model's published batch, else DEFAULT_GLOBAL_BATCH_TOKENS; at least 1. */
export function defaultGlobalBatch(arch: ModelArch, preset: ModelPreset | undefined): { value: number; origin: string } {
  const tokens = preset?.training.globalBatchTokens;
  if (tokens !== undefined) return { value: Math.max(1, Math.round(tokens / arch.seqLen)), origin: `preset ${preset?.id} (published batch)` };
  return { value: Math.max(1, Math.round(DEFAULT_GLOBAL_BATCH_TOKENS / arch.seqLen)), origin: 'default: 4M tokens per step (Llama 2)' };
}
