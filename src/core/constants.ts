/**
 * Named constants with unit and source. Efficiency-like numbers here are defaults that the output always
 * shows as assumptions; users override them with flags.
 */

/**
 * Default model-FLOPs utilisation (fraction of dense peak sustained over a whole run).
 * Published large runs span roughly 0.2–0.5: GPT-3 on V100 21.3%, MT-NLG 530B 30.2%, Gopher 32.5%,
 * PaLM 540B 46.2% (Chowdhery et al. 2022, "PaLM", Table 3, https://arxiv.org/abs/2204.02311).
 * 0.40 sits inside that band for current A100/H100-class runs; `gpucost backtest` measures how well it does.
 */
export const DEFAULT_MFU = 0.4;

/** Utilisation above this is higher than any large published run reached (PaLM 46.2% MFU, 57.8% HFU). */
export const MFU_WARN_ABOVE = 0.6;

/**
 * Tokens per parameter for compute-optimal training: Hoffmann et al. 2022, "Training Compute-Optimal
 * Large Language Models" (Chinchilla), https://arxiv.org/abs/2203.15556 — about 20 tokens per parameter.
 */
export const CHINCHILLA_TOKENS_PER_PARAM = 20;
