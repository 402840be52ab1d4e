/**
 * Training memory. Model state of mixed-precision Adam: fp16/bf16 weights (2 B) and gradients (2 B),
 * fp32 master weights (4 B), Adam momentum (4 B) and variance (4 B) = 16 bytes per parameter
 * (Rajbhandari et al. 2020, "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models",
 * §3.1, https://arxiv.org/abs/1910.02054).
 */
export const MIXED_PRECISION_ADAM_BYTES_PER_PARAM = 16;

/** Bytes of weights, gradients and optimizer state for mixed-precision Adam, before any sharding. */
export function modelStateBytes(params: number, bytesPerParam = MIXED_PRECISION_ADAM_BYTES_PER_PARAM): number {
  return params * bytesPerParam;
}
