/** From presets to the performance model's inputs: hardware of a GPU in a cluster, and the batch. */
import type { Precision } from '../core/enums.js';
import { FLASH_ATTENTION_EFFICIENCY, type PerfHardware } from '../core/perf.js';
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
    ...(FLASH_ATTENTION_EFFICIENCY[gpu.architecture] !== undefined ? { flashAttentionEfficiency: FLASH_ATTENTION_EFFICIENCY[gpu.architecture] } : {}),
    ...(precision === 'fp8' ? fp8Gemms(gpu) : {}),
  };
}

/**
 * The GEMM ceiling of a GPU at a precision: its measured best matmul rate ÷ its dense peak (the
 * preset's matmulTflops; FP16 takes the BF16 measurement, the same tensor-core rate). Without a
 * measurement the step-time model uses PerfConstants.gemmEfficiencyMax.
 */
function gemmCeiling(gpu: GpuPreset, precision: Precision): Pick<PerfHardware, 'gemmEfficiencyMax'> {
  const m = gpu.matmulTflops;
  const measured = precision === 'fp8' ? m?.fp8 : precision === 'bf16' ? m?.bf16 : precision === 'fp16' ? (m?.fp16 ?? m?.bf16) : undefined;
  const peak = peakTflops(gpu, precision);
  return measured !== undefined && peak !== undefined ? { gemmEfficiencyMax: measured / peak } : {};
}

/**
 * FP8 training as Transformer Engine runs it: the weight GEMMs take FP8 inputs at the FP8 peak,
 * attention and everything else stay in BF16 (Micikevicius et al. 2022, "FP8 Formats for Deep
 * Learning", https://arxiv.org/abs/2209.05433, §4; Transformer Engine's FP8 primer).
 */
function fp8Gemms(gpu: GpuPreset): Pick<PerfHardware, 'attentionPeakFlopsPerSecond' | 'gemmInputBytes'> {
  const bf16 = gpu.denseTflops.bf16 ?? gpu.denseTflops.fp16;
  return { gemmInputBytes: 1, ...(bf16 !== undefined ? { attentionPeakFlopsPerSecond: bf16 * TERA } : {}) };
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
