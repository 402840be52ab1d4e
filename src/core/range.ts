/**
 * Low / mid / high: the spread of sustained throughput behind every estimate's time and cost range.
 * Time and cost fall as throughput rises, so the high throughput gives the low time and cost.
 */

/**
 * Relative band around a throughput that was given or measured: ±12%. The same model on the same
 * hardware ran at 43% MFU on 8,192 H100s and 38% on 16,384 in Llama 3 405B pre-training (Llama Team
 * 2024, "The Llama 3 Herd of Models", https://arxiv.org/abs/2407.21783, Table 4): 38/43 = 0.88.
 */
export const MEASURED_THROUGHPUT_BAND = 0.12;

/**
 * Measured ÷ predicted throughput that brackets the step-time model's holdout rows: the narrowest
 * interval holding 90% of the 503 held-out rows of the throughput validation set
 * (presets/throughput/, `gpucost backtest --throughput --split holdout`), 1.99× wide: 1.96× on the
 * first 152, 1.89× once the layout search tried every interleaving count up to 8 that divides a
 * stage, 2.00× with the Ultra-Scale Playbook's 25 rows, which the model mostly overestimates, 2.04×
 * with gollem's nine one-H100 GPT-2 rows, which it overestimates at 1–4 sequences a micro-batch,
 * 2.22× with torchao's twelve one-node rows, power-limited B200 and MI300X among them, 2.26× with
 * IBM's four 512-H100 rows, 2.20× with MLPerf Training v5.0's fourteen Llama 3.1 405B systems,
 * 2.51× with MLPerf Training v5.1's 29 Llama 3.1 8B and 405B systems, whose multi-node 8B runs
 * measured up to 4× the model, 2.11× once collectives across nodes ran at every network interface
 * a group has in a node and paid NCCL's ring latency, and 1.94× once fused attention ran at the rate
 * of the kernel each framework calls (FLASH_KERNELS, 2026-12-06), 1.73× (0.770–1.332) with the
 * 58 rows of the two fresh held-out sources (Zero Bubble's and FP8-LM's Megatron-LM baselines), which
 * the model predicts within −10% to +13%, and 1.88× (0.708–1.332) with the second and third fresh
 * batches (four large runs' own rates, JAX-Toolbox's Paxml tables, Fast-LLM's quick-start), and
 * 1.86× (0.766–1.426) with the fourth and fifth (GPT-2 1.5B on one H200 and 8 H100; AMD Primus on
 * MI325X), 1.85× (0.749–1.385) once TorchTitan's and torchao's per-op checkpointing was timed as
 * such (recompute: op, 2026-12-06, after those rows had been seen), and 1.84× (0.722–1.332) with the
 * sixth fresh batch (InternLM's 7B on 8–1,024 A100 over RoCE, Megatron-LLaMA's 13B), which the model
 * overestimates at 512–1,024 GPUs on their slower networks, and 1.94× (0.688–1.332) with the seventh,
 * COAT's ten H100 rows, which ran at 0.38–0.75 of the model, and 1.91× (0.698–1.332, 433 rows) with
 * the ninth, MLPerf v3.0's and v3.1's GPT-3 175B on 512–10,752 H100 (1.00–1.19 of the model), and
 * 1.88× (0.706–1.329) once the constants were refitted on Megatron-LM Table 1's published layouts,
 * and 1.99× (0.656–1.306, 503 rows) with the tenth fresh batch: Aleph Alpha's Llama layout sweeps on
 * A100 (which ran at 0.48–1.08 of the model, slower the more tensor parallelism), OLMo-core's table
 * on H100 and the FlashAttention repository's GPT-3 rates.
 * tests/validation/throughput.test.ts recomputes it and fails when the data move it.
 */
export const STEP_TIME_MODEL_RANGE = { low: 0.656, high: 1.306 } as const;

/**
 * The lowest measured ÷ predicted of the step-time model over the held-out rows with context
 * parallelism (45 rows of presets/throughput/): MLPerf v5.1's Llama 3.1 8B at CP 2–4 from 0.77
 * (on 512 GB200, a step small enough to be CUDA-graphed; 0.78 before the constants were refitted on
 * Megatron-LM Table 1's published layouts, 2026-12-06), Megatron-Core's ring attention (MoE Parallel
 * Folding's Mixtral 8x22B, Llama 3 405B at 128K) within 0.85–1.13, MLPerf's NeMo runs of Llama 3.1
 * 405B at CP 2 within 0.97–1.33 and TorchTitan's, on PyTorch's context_parallel, within 0.95–1.29. TorchTitan's ran at 0.59–0.87 while every framework's
 * attention was timed at one kernel rate: they call FlashAttention-2 through PyTorch's SDPA
 * (FLASH_KERNELS). A layout with CP takes this as the low end of its range where the general range
 * ends higher, so the range covers every such row.
 * tests/validation/throughput.test.ts recomputes it and fails when the data move it.
 */
export const CONTEXT_PARALLEL_LOWEST_RATIO = 0.769;

/**
 * The highest measured ÷ predicted over the same context-parallel rows: MLPerf v5.0's Llama 3.1
 * 405B on 512 H100 (CP 2), 1.33. CONTEXT_PARALLEL_SLOWER names the span; the test beside
 * CONTEXT_PARALLEL_LOWEST_RATIO's recomputes it.
 */
export const CONTEXT_PARALLEL_HIGHEST_RATIO = 1.33;

/**
 * Measured ÷ predicted tokens per second that brackets the step-time model on LoRA and QLoRA: the
 * narrowest interval holding 90% of the 181 held-out timed rows of the fine-tuning validation set
 * (presets/finetune/: 113 MLPerf Llama 2 70B LoRA systems of v4.0 to v5.1, IBM fms-acceleration,
 * torchtune, the Qwen README, and 32 of five fresh sources; `gpucost backtest --finetune`), 1.82× wide
 * (0.698–1.263, 1.81×, before the step-time constants were refitted on Megatron-LM Table 1's published
 * layouts, 2026-12-06; 0.700–1.263 on the 177 before XTuner's four full fine-tunes; 1.58×, 0.782–1.235, on the 149 before the fresh sources, whose Answer.AI rows include one-sequence
 * steps of 512 tokens that run at a fifth of the model's rate; 1.64×, 0.782–1.279, before
 * three MLPerf rows' FP8 settings were read from their logs; 1.80× before MLPerf's FP8
 * attention was timed, 1.88× before eager PyTorch's
 * attention was timed as FlashAttention-2 and Transformer Engine's as cuDNN's, FLASH_KERNELS; 1.84× on the 140 before v5.1's B300 and GB300
 * systems, which ran 1.18–1.39× the model; 1.99× on the 103 before
 * MLPerf v5.1's, 1.72× on the 79 before the Qwen README's, whose short sequences run slower than the
 * model). A LoRA or QLoRA estimate the model times takes its
 * range from these rows rather than from pre-training's. tests/validation/finetune-backtest.test.ts
 * recomputes it and fails when the data move it.
 */
export const FINETUNE_STEP_TIME_RANGE = { low: 0.707, high: 1.283 } as const;

/**
 * Published ÷ predicted GPU-hours that brackets gpucost's default estimate (peak × calibrated
 * utilisation) on the published runs: the narrowest interval holding 90% of the 91 runs in
 * presets/runs (`gpucost backtest`), 3.25× wide (2.11× on the first 32 runs; the 59 runs added on
 * 2026-12-06 spread wider). The default estimate's range is the mid rate divided by these.
 * tests/validation/backtest.test.ts recomputes it and fails when the data move it.
 */
export const DEFAULT_ESTIMATE_RANGE = { low: 0.556, high: 1.807 } as const;

/**
 * Measured ÷ predicted peak memory that 90% of the held-out fine-tuning rows stay under (79 rows of
 * presets/finetune/: torchtune, Unsloth's Hugging Face baseline, LitGPT, IBM fms-acceleration, the
 * Qwen README, and 24 of five fresh sources, on which the model mostly holds more than measured;
 * 1.38 on the 55 before them; `gpucost backtest --finetune --split holdout`). A layout that fits by less than this
 * draws MEMORY_TIGHT, fine-tune or pre-training (named FINETUNE_MEMORY_SPREAD until pre-training took
 * it on 2026-12-06; the Ultra-Scale Playbook sweep tests it there, docs/layout-ranking.md).
 * 1.39 before the activations were counted tensor by tensor for the framework's kernels (2026-12-06).
 * tests/validation/finetune-backtest.test.ts recomputes it and fails when the data move it.
 */
export const MEMORY_PEAK_SPREAD = 1.31;

/** Whether a peak MEMORY_PEAK_SPREAD × the estimate would not fit `haveBytes` (MEMORY_TIGHT where the estimate itself fits). */
export function withinPeakSpread(needBytes: number, haveBytes: number): boolean {
  return needBytes * MEMORY_PEAK_SPREAD > haveBytes;
}

/**
 * GPU time per layer per micro-batch (forward and backward, as the step-time model counts it,
 * layerSecondsPerMicroBatch in perf.ts) below which every timed measurement in the validation sets
 * that launched its kernels one by one ran well below the model: 7 held-out rows, gollem's GPT-2 124M on one H100 at 1, 2 and 4
 * sequences a micro-batch (torch.compile) and the Qwen README's Qwen 1.8B LoRA and full fine-tunes
 * at 256 and 512 tokens (Hugging Face Trainer, eager). The model charges nothing for launching
 * kernels or for the Python that issues them, and here they, not the GPU, set the pace. The next
 * rows above it ran at 0.80–0.97 of the model (gollem at 8 sequences, 2.2 ms, 0.91; MLPerf's GB200 LoRA,
 * 2.6 ms). Two rows under it launch nothing one by one: MLPerf v5.1's Llama 3.1 8B on 512 GB200 and
 * 512 GB300 (1.2 ms) capture whole steps in CUDA graphs and ran at 0.77 and 0.80 of the model (4.1×
 * and 2.2× while it charged their gradient reduction across racks at one network interface a GPU).
 * Chosen on 2026-12-06 after these held-out rows had been compared with the model: a threshold for a
 * check (HOST_BOUND), not a fitted term of the model. It was 2 ms until the step-time constants were
 * refitted on Megatron-LM Table 1's published layouts (2026-12-06), which put the Qwen 1.8B full
 * fine-tune at 512 tokens (0.19 of the model) at 2.01 ms: the line moved to 2.1 ms with the model's
 * seconds, so that it parts the same rows (the next above: gollem at 8 sequences, 2.2 ms, 0.91).
 * tests/validation/throughput.test.ts and finetune-backtest.test.ts recompute the band and fail when
 * the data move it.
 */
export const SMALL_STEP_LAYER_SECONDS = 2.1e-3;

/** Measured ÷ predicted over the rows below SMALL_STEP_LAYER_SECONDS: Qwen 1.8B full at 256 tokens to GPT-2 at 4 sequences (0.124–0.777 before the refit). */
export const SMALL_STEP_MEASURED_RANGE = { low: 0.133, high: 0.775 } as const;

/** Sustained rates bracketing the mid estimate (same unit as the mid, e.g. TFLOP/s). */
export interface ThroughputRange {
  low: number;
  high: number;
}

/** A symmetric relative band around `mid`: mid × (1 ∓ band). */
export function bandAround(mid: number, band: number): ThroughputRange {
  return { low: mid * (1 - band), high: mid * (1 + band) };
}

/** Throughput at an MFU range, with the mid kept inside it: [min(mid, low), max(mid, high)] × peak. */
export function mfuRange(peak: number, midMfu: number, lowMfu: number, highMfu: number): ThroughputRange {
  return { low: peak * Math.min(midMfu, lowMfu), high: peak * Math.max(midMfu, highMfu) };
}

/**
 * The narrowest interval [low, high] (by high ÷ low) holding `share` of the values: how
 * STEP_TIME_MODEL_RANGE and DEFAULT_ESTIMATE_RANGE were derived from their ratios, and how their
 * tests recompute them. `values` need not be sorted; at least one value.
 */
export function narrowestCovering(values: readonly number[], share: number): [low: number, high: number] {
  const sorted = [...values].sort((a, b) => a - b);
  const k = Math.ceil(share * sorted.length);
  let best: [number, number] = [0, Number.POSITIVE_INFINITY];
  for (let i = 0; i + k - 1 < sorted.length; i++) {
    const [lo, hi] = [sorted[i] as number, sorted[i + k - 1] as number];
    if (hi / lo < best[1] / best[0]) best = [lo, hi];
  }
  return best;
}
