/** Enumerations declared once; types, zod enums, help text and commander choices derive from them. */

export const PRECISIONS = ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'mxfp8', 'fp4'] as const;
export type Precision = (typeof PRECISIONS)[number];

/**
 * Precisions whose weight GEMMs take 8- or 4-bit inputs while attention and everything else stay in
 * BF16: FP8 (per-tensor scaling, Hopper on), MXFP8 (one E8M0 scale per 32 elements) and NVFP4 (one
 * E4M3 scale per 16 elements), the last two native on Blackwell data-centre GPUs only (Transformer
 * Engine's support matrix, https://nvidia.github.io/TransformerEngine/support_matrix.html).
 */
export const LOW_PRECISIONS = ['fp8', 'mxfp8', 'fp4'] as const satisfies readonly Precision[];
export type LowPrecision = (typeof LOW_PRECISIONS)[number];

export function isLowPrecision(p: Precision): p is LowPrecision {
  return (LOW_PRECISIONS as readonly Precision[]).includes(p);
}

export const FLOPS_CONVENTIONS = ['6nd', '6nd-attn', 'megatron', '8nd'] as const;
export type FlopsConvention = (typeof FLOPS_CONVENTIONS)[number];

export const MLP_KINDS = ['gelu', 'relu', 'swiglu', 'geglu'] as const;
export type MlpKind = (typeof MLP_KINDS)[number];

export const NORM_KINDS = ['layernorm', 'rmsnorm'] as const;
export type NormKind = (typeof NORM_KINDS)[number];

/** `relative`: Transformer-XL relative encodings (Gopher, Chinchilla), a d_model × heads·d_head projection per layer. */
export const POSITION_EMBEDDINGS = ['learned', 'rope', 'alibi', 'relative', 'none'] as const;
export type PositionEmbedding = (typeof POSITION_EMBEDDINGS)[number];

export const VENDORS = ['nvidia', 'amd', 'google', 'intel'] as const;

export const BIAS_KINDS = ['none', 'qkv', 'all'] as const;
export type BiasKind = (typeof BIAS_KINDS)[number];

/** Accelerator generations; the calibrated default utilisation can differ by generation (see calibration.ts). */
export const GPU_ARCHITECTURES = ['volta', 'turing', 'ampere', 'ada', 'hopper', 'blackwell', 'cdna2', 'cdna3', 'tpu', 'gaudi'] as const;
export type GpuArchitecture = (typeof GPU_ARCHITECTURES)[number];

/** Rental price tiers of the price presets (`--price-tier`). */
export const PRICE_TIERS = ['on-demand', 'reserved-1y', 'reserved-3y', 'spot', 'capacity-block'] as const;
export type PriceTier = (typeof PRICE_TIERS)[number];

/** Where throughput comes from: peak × utilisation (`mfu`), or the step-time model of the layout (`model`). */
export const PERF_MODES = ['mfu', 'model'] as const;
export type PerfMode = (typeof PERF_MODES)[number];

/**
 * What a measured peak of GPU memory counts: `allocated`, the tensors alone (PyTorch's
 * max_memory_allocated); `reserved`, what PyTorch's caching allocator holds (max_memory_reserved:
 * the tensors and the allocator's spare blocks, but not the CUDA context nor NCCL's buffers, which
 * are allocated outside it); `device`, the whole device as nvidia-smi or rocm-smi shows it.
 */
export const MEMORY_METRICS = ['allocated', 'reserved', 'device'] as const;
export type MemoryMetric = (typeof MEMORY_METRICS)[number];

/** What a measured peak counts where its source does not say, as the presets' schemas state: the device's. */
export const DEFAULT_MEMORY_METRIC: MemoryMetric = 'device';

/** The attention kernel: fused (FlashAttention) or eager (materialised scores). */
export const ATTENTION_KERNELS = ['flash', 'eager'] as const;

/**
 * Which fused attention a run's framework calls: `cudnn`, cuDNN's fused attention (Transformer
 * Engine's choice on Hopper and Blackwell, so Megatron-Core and NeMo; FlashAttention-3 is as fast);
 * `fa2`, FlashAttention-2 (the flash-attn package, and PyTorch's scaled_dot_product_attention, whose
 * flash backend it is); `fa1`, the first FlashAttention.
 */
export const FLASH_KERNELS = ['cudnn', 'fa2', 'fa1'] as const;
export type FlashKernel = (typeof FLASH_KERNELS)[number];

/**
 * Which end of an estimate's range a target is held at: the estimate itself (mid), or the slow,
 * costly end of its range (high). CI gates (--gate-at) and plan deadlines (--deadline-at) take it.
 */
export const RANGE_ENDS = ['mid', 'high'] as const;
export type RangeEnd = (typeof RANGE_ENDS)[number];

/** What a message adds after a figure held at an end of the range: nothing at the estimate itself. */
export const RANGE_END_PHRASE: Record<RangeEnd, string> = { mid: '', high: ' at the slow end of its range' };
