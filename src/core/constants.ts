/**
 * Named constants with unit and source. Efficiency-like numbers here are defaults that the output always
 * shows as assumptions; users override them with flags.
 */

/** Utilisation above this is higher than any large published run reached (PaLM 46.2% MFU, 57.8% HFU). */
export const MFU_WARN_ABOVE = 0.6;

/**
 * Tokens per parameter for compute-optimal training: Hoffmann et al. 2022, "Training Compute-Optimal
 * Large Language Models" (Chinchilla), https://arxiv.org/abs/2203.15556 — about 20 tokens per parameter.
 */
export const CHINCHILLA_TOKENS_PER_PARAM = 20;
