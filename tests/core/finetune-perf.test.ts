// Issue 20, item 3: the step-time model times LoRA and QLoRA. A frozen base computes no weight
// gradients, each adapted matrix adds two thin GEMMs, a quantised base is dequantised before every
// use, and only the adapters are synchronised and stepped.
import { describe, expect, it } from 'vitest';
import {
  LORA_DROPOUT_BYTES_PER_INPUT,
  NF4_BITS_PER_WEIGHT,
  PEFT_PREPARED_ACTIVATION_BYTES,
  activeLoraParams,
  adapterGemmShapes,
  loraDropoutBytesPerToken,
  loraParams,
  quantizedInputBytesPerToken,
} from '../../src/core/finetune.js';
import { CHUNKED_LOSS_BYTES_PER_LOGIT, UPCAST_LOSS_BYTES_PER_LOGIT, WEIGHT_BYTES } from '../../src/core/memory.js';
import { DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS, DEQUANT_TRAFFIC_FACTOR, type FrozenBase, archFlopTerms, stepTime } from '../../src/core/perf.js';
import { paramCounts } from '../../src/core/params.js';
import { perfHardware } from '../../src/resolve/layout.js';
import { cli, estimateJson } from '../helpers/cli.js';
import { QLORA_PREPARES_WITH_PEFT } from '../../src/resolve/finetune.js';
import type { ParallelPlan } from '../../src/core/parallel.js';
import { arch, oneGpuPlan, registry } from '../helpers/presets.js';

const llama = arch('llama2-7b', { seqLen: 2048, attention: 'flash' });
const gpu = registry.get('gpus', 'a100-sxm4-80gb');
const hw = perfHardware(gpu, undefined, 'bf16');
const plan = oneGpuPlan(2, 16);
const rank = 16;
const total = paramCounts(llama).total;
const frozen = (linearWeightBytes: number): FrozenBase => ({
  rank,
  targets: 'all',
  linearWeightBytes,
  trainableShare: loraParams(llama, rank, 'all') / total,
  adapterParamsPerToken: activeLoraParams(llama, rank, 'all'),
});
const step = (frozenBase?: FrozenBase, p: ParallelPlan = plan) =>
  stepTime(llama, p, hw, DEFAULT_PERF_CONSTANTS, frozenBase ? { ...DEFAULT_PERF_OPTIONS, frozenBase } : DEFAULT_PERF_OPTIONS);

describe('the step-time model under a frozen base', () => {
  it('LoRA saves the weight-gradient GEMMs: its step lies between the hardware FLOP ratio (6N ÷ 8N with full recomputation) and the full step', () => {
    const full = step();
    const lora = step(frozen(WEIGHT_BYTES));
    expect(lora.stepSeconds).toBeLessThan(full.stepSeconds);
    expect(lora.stepSeconds / full.stepSeconds).toBeGreaterThan(6 / 8);
    // Model FLOPs: forward and activation gradients of the base (4N), all three passes of the adapters.
    const terms = archFlopTerms(llama);
    const perToken = 4 * terms.matmulParams + 3 * terms.attentionFlops + 2 * terms.logitFlops + 6 * activeLoraParams(llama, rank, 'all');
    expect(lora.modelFlops).toBeCloseTo(perToken * plan.globalBatch * llama.seqLen, -3);
    // The optimizer steps the adapters alone.
    expect(lora.optimizerSeconds / full.optimizerSeconds).toBeCloseTo(loraParams(llama, rank, 'all') / total, 9);
  });

  it('QLoRA adds the dequantisation of every layer weight before each of its three uses (forward, backward, recomputed forward), at the fitted traffic factor', () => {
    const nf4 = NF4_BITS_PER_WEIGHT / 8;
    const lora = step(frozen(WEIGHT_BYTES));
    const qlora = step(frozen(nf4));
    const layerWeights = archFlopTerms(llama).layerParams;
    const dequant = DEQUANT_TRAFFIC_FACTOR * (plan.globalBatch / plan.microBatch) * llama.layers * 3 * layerWeights * (nf4 + WEIGHT_BYTES);
    expect(qlora.stepSeconds - lora.stepSeconds).toBeCloseTo(dequant / hw.memoryBandwidthBytesPerSecond, 9);
    // Without recomputation a weight is used twice.
    const none = { ...plan, recompute: 'none' as const };
    const twice = DEQUANT_TRAFFIC_FACTOR * (plan.globalBatch / plan.microBatch) * llama.layers * 2 * layerWeights * (nf4 + WEIGHT_BYTES);
    expect(step(frozen(nf4), none).stepSeconds - step(frozen(WEIGHT_BYTES), none).stepSeconds).toBeCloseTo(twice / hw.memoryBandwidthBytesPerSecond, 9);
  });

  // ms-swift's benchmark (fit split; docs/finetune-measurements.md rows S1, S4, S5, S8): samples/s of
  // LoRA and QLoRA (bitsandbytes NF4) at rank 8, max length 2048, batch 1, checkpointing on, one A100.
  // Qwen-7B and Qwen-14B have Llama 2 7B's and 13B's layer shapes but their own MLP widths.
  it('the dequantisation factor is what the fit rows measure over the bandwidth-bound cost: 7.6 (Qwen-7B) and 7.5 (Qwen-14B)', () => {
    const nf4 = NF4_BITS_PER_WEIGHT / 8;
    const bandwidth = hw.memoryBandwidthBytesPerSecond;
    const cases = [
      { model: arch('llama2-7b', { ffnHidden: 11008, vocab: 151936 }), lora: 4.31, qlora: 2.41 },
      { model: arch('llama2-13b', { ffnHidden: 13696, vocab: 152064 }), lora: 2.6, qlora: 1.36 },
    ];
    const factors = cases.map(({ model, lora, qlora }) => {
      const boundSeconds = (model.layers * 3 * archFlopTerms(model).layerParams * (nf4 + WEIGHT_BYTES)) / bandwidth;
      return (1 / qlora - 1 / lora) / boundSeconds;
    });
    expect(factors[0]).toBeCloseTo(7.6, 1);
    expect(factors[1]).toBeCloseTo(7.5, 1);
    expect(DEQUANT_TRAFFIC_FACTOR).toBeCloseTo(((factors[0] as number) + (factors[1] as number)) / 2, 1);
  });

  it('adapter GEMMs: two per adapted matrix, x·A and (x·A)·B, whose parameters are the LoRA count', () => {
    const shapes = adapterGemmShapes(llama, rank, 'all', 1, 1);
    expect(shapes).toHaveLength(14);
    const params = shapes.reduce((sum, g) => sum + g.k * g.n * g.count, 0);
    expect(params * llama.layers).toBe(loraParams(llama, rank, 'all'));
  });

  it('data parallelism synchronises only the adapters’ gradients', () => {
    const dp8 = { ...plan, dp: 8, globalBatch: 128 };
    expect(step(frozen(WEIGHT_BYTES), dp8).dataParallelSeconds).toBeLessThan(step(undefined, dp8).dataParallelSeconds * 0.05);
  });
});

describe('estimate --finetune lora|qlora --perf model', () => {
  type Est = { stepSeconds: number; perf: string; fits: boolean; mfu: number; wallClockSeconds: number; steps: number; goodput: number };
  it('times LoRA and QLoRA with the step-time model; the step and the wall-clock tell one story', async () => {
    const args = ['--model', 'llama3-8b', '--gpu', 'rtx4090', '--examples', '50k', '--avg-len', '512', '--epochs', '3', '--perf', 'model', '--no-reliability'];
    const lora = await estimateJson<Est>([...args, '--finetune', 'lora']);
    const qlora = await estimateJson<Est>([...args, '--finetune', 'qlora']);
    for (const e of [lora, qlora]) {
      expect(e.perf).toBe('model');
      expect(e.wallClockSeconds).toBeCloseTo(e.steps * e.stepSeconds, 3);
    }
    expect(qlora.fits).toBe(true);
  });
});

describe('--loss fused and chunked', () => {
  type Mem = { memoryPerGpuGB: number; memoryBreakdownGB: { activations: number } };
  const args = ['memory', '--model', 'llama3-8b', '--gpu', 'rtx4090', '--gpus', '1', '--tokens', '1e9', '--seq-len', '2048'];
  const fixed = [...args, '--micro-batch', '2', '--global-batch', '2', '--recompute', 'full', '--finetune', 'lora', '--format', 'json'];
  it('holds no logits: memory falls by exactly the loss’s 10 bytes per logit of one micro-batch', async () => {
    const full = JSON.parse((await cli(fixed)).out) as Mem;
    const fused = JSON.parse((await cli([...fixed, '--loss', 'fused'])).out) as Mem;
    const logits = (2 * 2048 * 128256 * 10) / 1e9;
    expect(full.memoryPerGpuGB - fused.memoryPerGpuGB).toBeCloseTo(logits, 6);
    expect(full.memoryBreakdownGB.activations - fused.memoryBreakdownGB.activations).toBeCloseTo(logits, 6);
  });

  it('--loss chunked holds the 16-bit logits and one of 8 chunks in 32 bits with its gradient: 3 bytes a logit, 7 fewer than full', async () => {
    const chunked = JSON.parse((await cli([...fixed, '--loss', 'chunked'])).out) as Mem;
    const full = JSON.parse((await cli(fixed)).out) as Mem;
    const logitCount = 2 * 2048 * 128256;
    expect(CHUNKED_LOSS_BYTES_PER_LOGIT).toBe(3);
    expect(full.memoryPerGpuGB - chunked.memoryPerGpuGB).toBeCloseTo((logitCount * (10 - 3)) / 1e9, 6);
    const e = await estimateJson<{ assumptions: { name: string; value: string }[] }>([...fixed.slice(1, -2), '--loss', 'chunked']);
    expect(e.assumptions.find((a) => a.name === 'Loss')?.value).toBe('16-bit logits, upcast a chunk at a time (3 bytes each)');
  });

  it('--loss upcast, Hugging Face transformers before v4.46: 32-bit logits returned, a shifted 32-bit copy and the log-probabilities, 2 bytes a logit more than full', async () => {
    const upcast = JSON.parse((await cli([...fixed, '--loss', 'upcast'])).out) as Mem;
    const full = JSON.parse((await cli(fixed)).out) as Mem;
    expect(UPCAST_LOSS_BYTES_PER_LOGIT).toBe(12);
    expect(upcast.memoryPerGpuGB - full.memoryPerGpuGB).toBeCloseTo((2 * 2048 * 128256 * 2) / 1e9, 6);
    const e = await estimateJson<{ assumptions: { name: string; value: string }[] }>([...fixed.slice(1, -2), '--loss', 'upcast']);
    expect(e.assumptions.find((a) => a.name === 'Loss')?.value).toMatch(/as Hugging Face transformers before v4\.46 \(12 bytes each\)/);
  });
});

describe('--lora-dropout', () => {
  // PEFT passes each adapter's input through its own dropout when lora_dropout > 0 and keeps the
  // 1-byte mask and the 16-bit dropped copy: Llama 3 8B with adapters on every linear layer has
  // q, k, v, o, gate, up (6 × 4096) and down (14336) inputs, 38,912 elements a token and layer.
  type Mem = { memoryBreakdownGB: { activations: number }; finetune: { loraDropout: number } };
  const base = [
    'memory',
    '--model',
    'llama3-8b',
    '--finetune',
    'lora',
    '--lora-rank',
    '16',
    '--gpu',
    'a100',
    '--gpus',
    '1',
    '--seq-len',
    '2048',
    '--micro-batch',
    '1',
    '--tokens',
    '1e9',
    '--format',
    'json',
  ];
  const activations = async (dropout: string, recompute: string) =>
    (JSON.parse((await cli([...base, '--lora-dropout', dropout, '--recompute', recompute])).out) as Mem).memoryBreakdownGB.activations;
  const perLayer = (2048 * 38912 * LORA_DROPOUT_BYTES_PER_INPUT) / 1e9;

  it('keeps 3 bytes per input element of every adapted matrix in every layer; under full recomputation in the rebuilt layer only', async () => {
    expect((await activations('0.1', 'none')) - (await activations('0', 'none'))).toBeCloseTo(32 * perLayer, 6);
    expect((await activations('0.1', 'full')) - (await activations('0', 'full'))).toBeCloseTo(perLayer, 6);
    expect(loraDropoutBytesPerToken(arch('llama3-8b'), 'all', 0)).toBe(0);
    const e = await estimateJson<{ finetune: { loraDropout: number }; assumptions: { name: string; value: string }[] }>([
      ...base.slice(1, -2),
      '--lora-dropout',
      '5%',
    ]);
    expect(e.finetune.loraDropout).toBe(0.05);
    expect(e.assumptions.find((a) => a.name === 'Fine-tuning')?.value).toMatch(/dropout 0\.05 on each adapter's input, whose copy and mask are kept/);
  });
});

// bitsandbytes before 0.43.2 kept each 4-bit layer's 16-bit input for the backward (pull request 1270).
describe('QLoRA on bitsandbytes before 0.43.2 (--bnb-legacy)', () => {
  const args = (recompute: string, legacy: boolean) => [
    'estimate',
    '--model',
    'llama2-7b',
    '--finetune',
    'qlora',
    '--gpu',
    'a100',
    '--gpus',
    '1',
    '--seq-len',
    '1304',
    '--micro-batch',
    '1',
    '--recompute',
    recompute,
    '--tokens',
    '1e9',
    '--format',
    'json',
    ...(legacy ? ['--bnb-legacy'] : []),
  ];
  type Legacy = { memoryBreakdownGB: { activations: number }; finetune: { bnbLegacy: boolean | null }; assumptions: { name: string; value: string }[] };
  const run = async (recompute: string, legacy: boolean) => JSON.parse((await cli(args(recompute, legacy))).out).estimates[0] as Legacy;

  it('Llama 2 7B keeps 2 × (4,096 + 4,096 + 4,096 + 11,008) bytes a token in each layer: the attention and output-projection inputs, the MLP and down-projection inputs', () => {
    expect(quantizedInputBytesPerToken(arch('llama2-7b'))).toBe(2 * (4096 + 4096 + 4096 + 11008));
  });

  it('in every layer without recomputation, in the rebuilt layer only under full recomputation; said in the JSON and the assumptions', async () => {
    const perLayer = (1304 * 2 * (3 * 4096 + 11008)) / 1e9;
    const [none, noneLegacy, full, fullLegacy] = await Promise.all([run('none', false), run('none', true), run('full', false), run('full', true)]);
    expect(noneLegacy.memoryBreakdownGB.activations - none.memoryBreakdownGB.activations).toBeCloseTo(32 * perLayer, 6);
    expect(fullLegacy.memoryBreakdownGB.activations - full.memoryBreakdownGB.activations).toBeCloseTo(perLayer, 6);
    expect(noneLegacy.finetune.bnbLegacy).toBe(true);
    expect(none.finetune.bnbLegacy).toBe(false);
    expect(noneLegacy.assumptions.find((a) => a.name === 'Fine-tuning')?.value).toMatch(
      /bitsandbytes before 0\.43\.2: each 4-bit layer keeps its 16-bit input/,
    );
  });

  it('applies to QLoRA only: with LoRA or no fine-tune it is one line, exit 2', async () => {
    const lora = await cli(['estimate', '--model', 'llama2-7b', '--finetune', 'lora', '--gpu', 'a100', '--tokens', '1e9', '--bnb-legacy']);
    expect(lora.code).toBe(2);
    expect(lora.err).toMatch(/--bnb-legacy applies to --finetune qlora only/);
    const none = await cli(['estimate', '--model', 'llama2-7b', '--gpu', 'a100', '--tokens', '1e9', '--bnb-legacy']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--bnb-legacy needs --finetune lora or qlora/);
    // bitsandbytes' 8-bit layers keep their inputs in every version (MatMul8bitLt); not modelled, so refused.
    const int8 = await cli(['estimate', '--model', 'llama2-7b', '--finetune', 'qlora', '--quant', 'int8', '--gpu', 'a100', '--tokens', '1e9', '--bnb-legacy']);
    expect(int8.code).toBe(2);
    expect(int8.err).toMatch(/--bnb-legacy describes bitsandbytes' 4-bit layers/);
  });
});

// PEFT's prepare_model_for_kbit_training (which TRL's SFTTrainer calls on a 4- or 8-bit model) leaves
// the norms in fp32, so the activations between the linear layers are 32-bit.
describe('QLoRA prepared by PEFT (--peft-prepare)', () => {
  const args = (recompute: string, prepared: boolean, mode = 'qlora') => [
    'estimate',
    '--model',
    'mistral-7b',
    '--finetune',
    mode,
    '--gpu',
    'a100-sxm4-80gb',
    '--gpus',
    '1',
    '--seq-len',
    '4096',
    '--micro-batch',
    '2',
    '--recompute',
    recompute,
    '--perf',
    'model',
    '--tokens',
    '1e9',
    '--format',
    'json',
    ...(mode === 'qlora' ? [prepared ? '--peft-prepare' : '--no-peft-prepare'] : []),
  ];
  type Prepared = {
    memoryBreakdownGB: { activations: number };
    tflopsPerGpu: number;
    finetune: { peftPrepare: boolean | null };
    assumptions: { name: string; value: string }[];
  };
  const run = async (recompute: string, prepared: boolean) => JSON.parse((await cli(args(recompute, prepared))).out).estimates[0] as Prepared;
  const m = arch('mistral-7b', { seqLen: 4096 });
  // The loss's logits come out of the output head, which TRL casts back to 16 bits: they do not widen.
  const lossGB = (2 * 4096 * m.vocab * 10) / 1e9;

  it('doubles the layer activations (not the loss) with and without recomputation; said in the JSON and the assumptions', async () => {
    expect(PEFT_PREPARED_ACTIVATION_BYTES).toBe(4);
    for (const recompute of ['none', 'full']) {
      const [plain, prepared] = await Promise.all([run(recompute, false), run(recompute, true)]);
      const layers = plain.memoryBreakdownGB.activations - lossGB;
      expect(prepared.memoryBreakdownGB.activations - lossGB, recompute).toBeCloseTo(2 * layers, 6);
      expect(prepared.finetune.peftPrepare).toBe(true);
      expect(plain.finetune.peftPrepare).toBe(false);
      expect(prepared.assumptions.find((a) => a.name === 'Fine-tuning')?.value).toMatch(
        /prepare_model_for_kbit_training as the QLoRA recipe and TRL do: fp32 norms make the activations 32-bit/,
      );
      // The kernels between the GEMMs move twice the bytes: slower, and by less than the memory grows.
      const slower = prepared.tflopsPerGpu / plain.tflopsPerGpu;
      expect(slower).toBeLessThan(1);
      expect(slower).toBeGreaterThan(0.7);
    }
  });

  it("widens LoRA dropout's kept copy to 4 bytes; the mask stays 1", () => {
    expect(loraDropoutBytesPerToken(m, 'attn', 0.1, 4) / loraDropoutBytesPerToken(m, 'attn', 0.1)).toBeCloseTo(5 / 3, 12);
  });

  it('is the QLoRA default, as the QLoRA recipe and TRL prepare the base', async () => {
    const bare = ['estimate', '--model', 'mistral-7b', '--finetune', 'qlora', '--gpu', 'a100', '--tokens', '1e9', '--format', 'json'];
    const e = JSON.parse((await cli(bare)).out).estimates[0] as Prepared;
    expect(QLORA_PREPARES_WITH_PEFT).toBe(true);
    expect(e.finetune.peftPrepare).toBe(true);
    const off = JSON.parse((await cli([...bare, '--no-peft-prepare'])).out).estimates[0] as Prepared;
    expect(off.finetune.peftPrepare).toBe(false);
    expect(off.assumptions.find((a) => a.name === 'Fine-tuning')?.value).toMatch(/16-bit activations \(--no-peft-prepare\)/);
  });

  it('applies to QLoRA only: LoRA, full fine-tuning or no fine-tune is one line, exit 2; LoRA JSON says null', async () => {
    const lora = await cli([...args('full', false, 'lora'), '--peft-prepare']);
    expect(lora.code).toBe(2);
    expect(lora.err).toMatch(/--peft-prepare applies to --finetune qlora only/);
    const none = await cli(['estimate', '--model', 'mistral-7b', '--gpu', 'a100', '--tokens', '1e9', '--peft-prepare']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--peft-prepare needs --finetune lora or qlora/);
    const full = await cli(['estimate', '--model', 'mistral-7b', '--finetune', 'full', '--gpu', 'a100', '--tokens', '1e9', '--peft-prepare']);
    expect(full.code).toBe(2);
    const plainLora = JSON.parse((await cli(args('full', false, 'lora'))).out).estimates[0] as Prepared;
    const noLora = await cli([...args('full', false, 'lora'), '--no-peft-prepare']);
    expect(noLora.err).toMatch(/--no-peft-prepare applies to --finetune qlora only/);
    expect(plainLora.finetune.peftPrepare).toBeNull();
  });
});
