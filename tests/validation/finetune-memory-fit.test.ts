// Issue 20: the framework allowance on one GPU, fitted on the fit split. ms-swift's benchmark
// ("ms-swift LLM Benchmark", docs/finetune-measurements.md rows S13, S18, S23, S33, S38, S43, S48, S53,
// S58): LoRA at rank 8 on the models' default attention targets, 512 tokens, batch 1, gradient
// checkpointing on, one A100, peak GiB as measured. Each model is Llama 2's or Mistral's layout with
// its own widths; the parameter counts match the published ones to 0.01B.
import { describe, expect, it } from 'vitest';
import { loraParams } from '../../src/core/finetune.js';
import { DEFAULT_MEMORY_OPTIONS, FINETUNE_ACTIVATION_KERNELS, SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES, memoryPerGpu } from '../../src/core/memory.js';
import { paramCounts } from '../../src/core/params.js';
import type { ModelArch } from '../../src/core/types.js';
import { median } from '../../src/resolve/backtest.js';
import { arch, oneGpuPlan } from '../helpers/presets.js';

const GIB = 2 ** 30;
const at512 = (id: string, o: Partial<ModelArch> = {}) => arch(id, { seqLen: 512, attention: 'flash', tiedEmbeddings: false, ...o });
const ROWS: { name: string; model: ModelArch; publishedB: number; measuredGiB: number }[] = [
  {
    name: 'Qwen-1.8B',
    model: at512('llama2-7b', { layers: 24, dModel: 2048, heads: 16, kvHeads: 16, ffnHidden: 5504, vocab: 151936 }),
    publishedB: 1.84,
    measuredGiB: 6.99,
  },
  { name: 'Qwen-7B', model: at512('llama2-7b', { vocab: 151936 }), publishedB: 7.72, measuredGiB: 18.01 },
  { name: 'Qwen-14B', model: at512('llama2-13b', { ffnHidden: 13696, vocab: 152064 }), publishedB: 14.17, measuredGiB: 30.14 },
  { name: 'ChatGLM3-6B', model: at512('llama2-7b', { layers: 28, kvHeads: 2, ffnHidden: 13696, vocab: 65024 }), publishedB: 6.24, measuredGiB: 13.94 },
  { name: 'Yi-6B', model: at512('llama2-7b', { kvHeads: 4, vocab: 64000 }), publishedB: 6.06, measuredGiB: 13.72 },
  {
    name: 'Yi-34B',
    model: at512('llama2-7b', { layers: 60, dModel: 7168, heads: 56, kvHeads: 8, ffnHidden: 20480, vocab: 64000 }),
    publishedB: 34.39,
    measuredGiB: 66.72,
  },
  { name: 'OpenBuddy Zephyr 7B (Mistral-7B)', model: at512('mistral-7b'), publishedB: 7.24, measuredGiB: 14.99 },
  { name: 'Baichuan2-7B', model: at512('llama2-7b', { vocab: 125696 }), publishedB: 7.51, measuredGiB: 18.18 },
  { name: 'Baichuan2-13B', model: at512('llama2-13b', { ffnHidden: 13696, vocab: 125696 }), publishedB: 13.9, measuredGiB: 31.01 },
];
const plan = oneGpuPlan(1, 16);

describe('the one-GPU framework allowance (fit split)', () => {
  const residuals = ROWS.map(({ model, measuredGiB }) => {
    const total = paramCounts(model).total;
    const finetune = { baseWeightBytes: 2, trainableShare: loraParams(model, 8, 'attn') / total, optimizerBytesPerTrainable: 12 };
    // ms-swift trains with Hugging Face transformers and PEFT: eager kernels, as fine-tuning's default.
    const options = { ...DEFAULT_MEMORY_OPTIONS, frameworkOverhead: false, finetune, kernels: FINETUNE_ACTIVATION_KERNELS };
    const held = memoryPerGpu(model, plan, options).totalBytes / GIB;
    return measuredGiB - held;
  });

  it('each stand-in has its model’s published parameter count', () => {
    for (const { name, model, publishedB } of ROWS) expect(paramCounts(model).total / 1e9, name).toBeCloseTo(publishedB, 2);
  });

  it('is the median of what the nine rows hold beyond weights, adapters, activations and the loss: 2.54 GiB (1.03–4.04)', () => {
    expect(SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES / GIB).toBeCloseTo(median(residuals), 2);
    expect(Math.min(...residuals)).toBeCloseTo(1.03, 2);
    expect(Math.max(...residuals)).toBeCloseTo(4.04, 2);
  });
});
