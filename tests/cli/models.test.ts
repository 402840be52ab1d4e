import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, estimateJson, within } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'gpucost-models-'));
function file(name: string, content: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
type ModelEstimate = { params: number; totalParams: number; model: string | null; modelName: string; notes: string[]; trainingFlops: number; tokens: number };
const estimate = (args: string[]) => estimateJson<ModelEstimate>(args);

// Llama 2 7B as published in its Hugging Face config (meta-llama/Llama-2-7b-hf); 6.74B parameters
// (Touvron et al. 2023, "Llama 2", https://arxiv.org/abs/2307.09288).
const llama2_7b = {
  model_type: 'llama',
  hidden_size: 4096,
  intermediate_size: 11008,
  num_attention_heads: 32,
  num_hidden_layers: 32,
  num_key_value_heads: 32,
  vocab_size: 32000,
  max_position_embeddings: 4096,
  tie_word_embeddings: false,
};

describe('--model config.json (Hugging Face)', () => {
  it('reads a llama config into the same architecture as a preset would', async () => {
    const e = await estimate(['--model', file('llama2.json', llama2_7b), '--tokens', '2T', '--gpu', 'a100']);
    expect(e.model).toBeNull();
    expect(within(e.params, 6.74e9)).toBeLessThan(0.01);
    expect(e.notes.join(' ')).toMatch(/max_position_embeddings/);
  });

  it('reads a mixtral config as MoE: FLOPs use active parameters', async () => {
    // mistralai/Mixtral-8x7B-v0.1 config values; 46.7B total, 12.9B active (Jiang et al. 2024, https://arxiv.org/abs/2401.04088).
    const mixtral = {
      ...llama2_7b,
      model_type: 'mixtral',
      intermediate_size: 14336,
      num_key_value_heads: 8,
      num_local_experts: 8,
      num_experts_per_tok: 2,
      max_position_embeddings: 32768,
    };
    const e = await estimate(['--model', file('mixtral.json', mixtral), '--tokens', '1T', '--gpu', 'h100']);
    expect(within(e.totalParams, 46.7e9)).toBeLessThan(0.01);
    expect(within(e.params, 12.9e9)).toBeLessThan(0.01);
    expect(e.trainingFlops).toBeCloseTo(6 * e.params * 1e12, -12);
  });

  it('reads gpt2 configs (tied, learned positions)', async () => {
    // openai-community/gpt2: 124M parameters.
    const e = await estimate([
      '--model',
      file('gpt2.json', { model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024, vocab_size: 50257 }),
      '--tokens',
      '10B',
      '--gpu',
      'a100',
    ]);
    expect(within(e.params, 124.4e6)).toBeLessThan(0.01);
  });

  it.each([
    [{ model_type: 'bert', hidden_size: 768 }, /model_type "bert" is not supported.*supported: llama, mistral, mixtral, qwen2, gpt2, gpt_neox, falcon, gemma/],
    [{ model_type: 'llama', hidden_size: 4096, num_attention_heads: 32 }, /missing "num_hidden_layers"/],
    [{ ...llama2_7b, num_hidden_layers: -1 }, /"num_hidden_layers" must be a positive integer/],
    ['{ not json', /not valid JSON at line 1, column 3/],
    [[1, 2], /is not a JSON object/],
  ])('bad config %# → one clear line, exit 2', async (content, message) => {
    const { code, err } = await cli(['estimate', '--model', file(`bad${Math.random()}.json`, content), '--tokens', '1T']);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('a directory or a missing file is one clear line', async () => {
    mkdirSync(join(tmp, 'dir.json'));
    expect((await cli(['estimate', '--model', join(tmp, 'dir.json')])).err).toMatch(/is a directory/);
    expect((await cli(['estimate', '--model', join(tmp, 'missing.json')])).err).toMatch(/cannot read .*ENOENT/);
  });
});

describe('architecture flags', () => {
  it('--layers/--d-model/… describe a model without a preset (Llama 2 70B shape: 69.0B)', async () => {
    const e = await estimate([
      '--layers',
      '80',
      '--d-model',
      '8192',
      '--heads',
      '64',
      '--kv-heads',
      '8',
      '--ffn',
      '28672',
      '--mlp',
      'swiglu',
      '--vocab',
      '32000',
      '--seq-len',
      '4096',
      '--tokens',
      '2T',
      '--gpu',
      'a100',
    ]);
    expect(within(e.params, 68.98e9)).toBeLessThan(0.005);
    expect(e.model).toBeNull();
  });

  it('GPT-style defaults reproduce GPT-3 175B from --layers 96 --d-model 12288', async () => {
    const e = await estimate(['--layers', '96', '--d-model', '12288', '--tokens', '300B', '--gpu', 'a100']);
    expect(within(e.params, 174.6e9)).toBeLessThan(0.005);
  });

  it('flags modify a preset: a longer context raises the megatron FLOPs, not the 6ND ones', async () => {
    const base = await estimate(['--model', 'gpt3-175b', '--flops', 'megatron']);
    const longer = await estimate(['--model', 'gpt3-175b', '--flops', 'megatron', '--seq-len', '8192']);
    expect(longer.trainingFlops).toBeGreaterThan(base.trainingFlops);
    expect(longer.modelName).toMatch(/modified/);
  });

  it('inconsistent flags are refused', async () => {
    expect((await cli(['estimate', '--model', 'gpt3-175b', '--kv-heads', '7'])).err).toMatch(/--kv-heads 7 must divide the 96/);
    expect((await cli(['estimate', '--params', '7B', '--seq-len', '4096'])).err).toMatch(/need a model to modify/);
  });
});

describe('mixture-of-experts flags (--experts, --top-k, --expert-ffn, --shared-experts, --dense-layers, --moe-every)', () => {
  it('override a preset MoE shape: Mixtral 8x7B with 16 experts, top-4', async () => {
    const base = await estimate(['--model', 'mixtral-8x7b', '--gpu', 'h100', '--tokens', '1T']);
    const e = await estimate(['--model', 'mixtral-8x7b', '--experts', '16', '--top-k', '4', '--gpu', 'h100', '--tokens', '1T']);
    // 8 more experts of 3 × 4096 × 14336 and 2 more active per token, in 32 layers, plus the wider router.
    const expert = 3 * 4096 * 14336;
    expect(e.totalParams - base.totalParams).toBe(32 * (8 * expert + 8 * 4096));
    expect(e.params - base.params).toBe(32 * (2 * expert + 8 * 4096));
    expect(e.notes.join(' ')).toMatch(/--experts, --top-k/);
  });

  it('make a dense model MoE: Llama 2 7B with 8 experts, top-2 (a Mixtral-like shape)', async () => {
    const dense = await estimate(['--model', 'llama2-7b', '--gpu', 'h100', '--tokens', '1T']);
    const e = await estimate(['--model', 'llama2-7b', '--experts', '8', '--top-k', '2', '--gpu', 'h100', '--tokens', '1T']);
    const expert = 3 * 4096 * 11008; // experts default to the dense MLP's width
    expect(e.totalParams - dense.totalParams).toBe(32 * (7 * expert + 8 * 4096));
    expect(e.params - dense.params).toBe(32 * (expert + 8 * 4096));
  });

  it('--shared-experts, --expert-ffn, --dense-layers and --moe-every reach the count (a DeepSeek-V2-Lite-like MLP on Llama 2 7B)', async () => {
    const dense = await estimate(['--model', 'llama2-7b', '--gpu', 'h100', '--tokens', '1T']);
    const flags = ['--experts', '64', '--top-k', '6', '--expert-ffn', '1408', '--shared-experts', '2', '--dense-layers', '1', '--moe-every', '1'];
    const e = await estimate(['--model', 'llama2-7b', ...flags, '--gpu', 'h100', '--tokens', '1T']);
    // 31 MoE layers after the 1 dense one; the shared experts take the experts' width, as the model had none.
    const expert = 3 * 4096 * 1408;
    const denseMlp = 3 * 4096 * 11008;
    const router = 4096 * 64;
    expect(e.totalParams - dense.totalParams).toBe(31 * (64 * expert + 2 * expert + router - denseMlp));
    expect(e.params - dense.params).toBe(31 * (6 * expert + 2 * expert + router - denseMlp));
    const everyOther = await estimate(['--model', 'llama2-7b', ...flags.slice(0, -1), '2', '--gpu', 'h100', '--tokens', '1T']);
    expect(everyOther.totalParams - dense.totalParams).toBe(15 * (64 * expert + 2 * expert + router - denseMlp)); // floor(31 / 2)
  });

  it.each([
    [['--model', 'mixtral-8x7b', '--top-k', '9'], /--top-k 9 is more than the 8 experts/],
    [['--model', 'llama2-7b', '--top-k', '2'], /--top-k needs a mixture of experts, and this model is dense/],
    [['--model', 'mixtral-8x7b', '--dense-layers', '32'], /--dense-layers 32 leaves no MoE layer of the 32/],
    [['--model', 'mixtral-8x7b', '--experts', '0'], /--experts.*positive whole number/],
    [['--model', 'mixtral-8x7b', '--moe-every', '40'], /--moe-every 40 leaves no MoE layer/],
  ])('refuses %j with one clear line', async (args, message) => {
    const { code, err } = await cli(['estimate', ...args, '--gpu', 'h100']);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('compare takes the MoE flags too', async () => {
    const { code, out } = await cli([
      'compare',
      '--model',
      'mixtral-8x7b',
      '--experts',
      '16',
      '--top-k',
      '4',
      '--gpu',
      'h100,a100',
      '--gpus',
      '64',
      '--tokens',
      '1T',
      '--format',
      'csv',
    ]);
    expect(code).toBe(0);
    expect(out.split('\n').length).toBeGreaterThan(2);
  });
});
