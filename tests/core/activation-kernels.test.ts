// The activations a layer keeps, tensor by tensor, for the framework's kernels (--kernels eager|fused;
// core/memory.ts heldLayerActivationBytes), against Korthikanti et al.'s count and by hand.
import { describe, expect, it } from 'vitest';
import { type TrainedLinears, activationBytesPerGpu, heldLayerActivationBytes, layerActivationBytes } from '../../src/core/memory.js';
import type { ParallelPlan } from '../../src/core/parallel.js';
import type { ModelArch } from '../../src/core/types.js';
import { estimateJson } from '../helpers/cli.js';
import { arch } from '../helpers/presets.js';

type Plan = Pick<ParallelPlan, 'tp' | 'microBatch' | 'recompute' | 'sequenceParallel' | 'cp'>;
const plan = (o: Partial<Plan> = {}): Plan => ({ tp: 1, microBatch: 1, recompute: 'none', sequenceParallel: false, cp: 1, ...o });
const frozenMlp: TrainedLinears = { attention: true, mlp: false };

/** Bytes per token and layer in units of the hidden width h. */
const perTokenH = (m: ModelArch, bytes: number, p: Plan = plan()): number => bytes / ((m.seqLen / (p.cp ?? 1)) * p.microBatch * m.dModel);

describe('the tensor-by-tensor count', () => {
  // GPT-3's shape: multi-head attention and a 4h GeLU MLP, which Korthikanti et al. counted.
  const gpt3 = arch('gpt3-175b', { attention: 'flash' });

  it("is Korthikanti et al.'s 34·s·b·h for GPT-3's shape, with either kernels, with and without TP and sequence parallelism", () => {
    for (const p of [plan(), plan({ tp: 8 }), plan({ tp: 8, sequenceParallel: true }), plan({ tp: 4, microBatch: 2, recompute: 'selective' })])
      for (const kernels of ['eager', 'fused'] as const)
        expect(heldLayerActivationBytes(gpt3, p, undefined, kernels)).toBeCloseTo(layerActivationBytes(gpt3, p), 0);
  });

  it('keeps eager attention’s scores without recomputation, as Korthikanti et al. count them', () => {
    const eagerAttention = { ...gpt3, attention: 'eager' as const };
    expect(heldLayerActivationBytes(eagerAttention, plan(), undefined, 'fused')).toBeCloseTo(layerActivationBytes(eagerAttention, plan()), 0);
  });

  // Llama 3 8B: h = 4,096, 32 query heads and 8 key/value heads of 128, a SwiGLU MLP of f = 14,336 = 3.5h.
  const llama = arch('llama3-8b', { attention: 'flash' });

  it('Llama 3 8B, fused: norms, masks and the two inputs 10h; Q 2h, K and V 0.5h each, output 2h; SwiGLU input 4f = 14h and down input 2f = 7h: 36h', () => {
    expect(perTokenH(llama, heldLayerActivationBytes(llama, plan(), undefined, 'fused'))).toBeCloseTo(36, 9);
  });

  it('Llama 3 8B, eager: K and V repeated to the 32 query heads (2h each) and the gate, SiLU output and up kept (6f = 21h): 46h', () => {
    expect(perTokenH(llama, heldLayerActivationBytes(llama, plan(), undefined, 'eager'))).toBeCloseTo(46, 9);
  });

  it('fused kernels keep no input of a frozen layer: LoRA on the attention drops the MLP input (2h) and the down projection’s (7h)', () => {
    const all = heldLayerActivationBytes(llama, plan(), undefined, 'fused');
    expect(perTokenH(llama, all - heldLayerActivationBytes(llama, plan(), frozenMlp, 'fused'))).toBeCloseTo(9, 9);
  });

  it('eager kernels keep them all the same (nn.Linear on a batch goes through matmul, which saves both operands)', () => {
    expect(heldLayerActivationBytes(llama, plan(), frozenMlp, 'eager')).toBe(heldLayerActivationBytes(llama, plan(), undefined, 'eager'));
  });

  it('full recomputation keeps each layer’s input only, whatever the kernels; mixtures of experts keep Korthikanti’s count', () => {
    for (const kernels of ['eager', 'fused'] as const)
      expect(heldLayerActivationBytes(llama, plan({ recompute: 'full' }), undefined, kernels)).toBe(layerActivationBytes(llama, plan({ recompute: 'full' })));
    const mixtral = arch('mixtral-8x7b', { attention: 'flash' });
    expect(heldLayerActivationBytes(mixtral, plan(), undefined, 'eager')).toBe(layerActivationBytes(mixtral, plan()));
  });

  it('under full recomputation the layer rebuilt in the backward is counted with the kernels', () => {
    const full = { ...plan({ recompute: 'full' }), pp: 1, virtualStages: 1, globalBatch: 1, dp: 1 };
    const eager = activationBytesPerGpu(llama, full, { includeLoss: false, kernels: 'eager' });
    const fused = activationBytesPerGpu(llama, full, { includeLoss: false, kernels: 'fused' });
    expect(perTokenH(llama, eager - fused)).toBeCloseTo(10, 9);
  });
});

describe('--kernels', () => {
  type E = { kernels: string | null; memoryBreakdownGB: { activations: number }; assumptions: { name: string; origin: string }[] };
  const base = ['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '8', '--tp', '1', '--pp', '1', '--micro-batch', '2', '--recompute', 'none'];
  const run = (args: string[]) => estimateJson<E>(args);

  it('defaults to fused for pre-training and eager for fine-tuning, and says so in the assumptions and JSON', async () => {
    const pre = await run(base);
    expect(pre.kernels).toBe('fused');
    expect(pre.assumptions.find((a) => a.name === 'Kernels')?.origin).toMatch(/^default for pre-training/);
    const ft = await run([...base, '--finetune', 'lora', '--dataset-tokens', '1e7']);
    expect(ft.kernels).toBe('eager');
    expect(ft.assumptions.find((a) => a.name === 'Kernels')?.origin).toMatch(/^default for fine-tuning/);
  });

  it('eager holds more activations than fused for Llama 3 8B (46h against 36h a token and layer), and the flag is said as given', async () => {
    const [eager, fused] = await Promise.all([run([...base, '--kernels', 'eager']), run([...base, '--kernels', 'fused'])]);
    expect(eager.assumptions.find((a) => a.name === 'Kernels')?.origin).toBe('flag --kernels');
    expect(eager.memoryBreakdownGB.activations).toBeGreaterThan(fused.memoryBreakdownGB.activations);
  });
});
