import type { FlopsConvention, GpuArchitecture } from '../core/enums.js';
import type { AttentionKernel } from '../core/types.js';
import type { GpuPreset } from '../presets/schema.js';

/**
 * What `gpucost estimate` computes with no options: the article's claim A6, GPT-3 175B on 1024 A100-80GB
 * at Megatron's measured 140 TFLOP/s (Narayanan et al. 2021 §5.1, https://arxiv.org/abs/2104.04473).
 */
export const DEFAULT_SCENARIO = 'gpt3-article';
export const DEFAULT_CLAIM = 'A6';

/** The FLOPs convention when neither a flag nor a scenario chooses one: the GPT-3 paper's 6·N·D. */
export const DEFAULT_CONVENTION: FlopsConvention = '6nd';

/** GPU count when neither a flag nor a scenario gives one: one 8-GPU node. */
export const DEFAULT_GPUS = 8;

/**
 * What `compare --finetune` compares without --gpu: the cards issue 20 names as the ones people
 * fine-tune on, and the two data-centre GPUs most rented for it, so that the cheapest and the fastest
 * that fit stand side by side.
 */
export const FINETUNE_COMPARE_GPUS = ['rtx-3090', 'rtx-4090', 'rtx-5090', 'l4', 'a10g', 'l40s', 'rtx-a6000', 'rtx-6000-ada', 'a100-sxm4-80gb', 'h100-sxm'];

/**
 * GPU generations whose training runs use fused attention by default: FlashAttention-2 supports
 * Ampere, Ada and Hopper (https://github.com/Dao-AILab/flash-attention, README), Blackwell has it
 * through cuDNN and later FlashAttention releases, and AMD's ROCm port covers the MI200 and MI300
 * series (CDNA2, CDNA3). Older GPUs, TPUs and Gaudi: eager attention.
 */
const FLASH_ATTENTION_GENERATIONS: ReadonlySet<GpuArchitecture> = new Set(['ampere', 'ada', 'hopper', 'blackwell', 'cdna2', 'cdna3']);

export function defaultAttention(gpu: Pick<GpuPreset, 'architecture'>): AttentionKernel {
  return FLASH_ATTENTION_GENERATIONS.has(gpu.architecture) ? 'flash' : 'eager';
}
