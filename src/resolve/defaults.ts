import type { FlopsConvention } from '../core/enums.js';

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
