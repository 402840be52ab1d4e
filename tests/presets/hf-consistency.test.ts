// A config.json whose fields contradict each other was read as if they did not: more experts per
// token than experts, heads that kv-heads do not divide, a fractional head width, more dense layers
// than layers. Each is now one line naming the fields, the values and the file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GpucostError, PresetError } from '../../src/errors.js';
import { archFromHfConfig } from '../../src/presets/hf-config.js';
import { loadPresetFile } from '../../src/presets/load.js';
import { cli } from '../helpers/cli.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'hf', name, 'config.json'), 'utf8')) as Record<string, unknown>;

function problem(config: Record<string, unknown>): string {
  try {
    archFromHfConfig(config, 'config.json');
  } catch (e) {
    expect(e).toBeInstanceOf(GpucostError);
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('config.json fields that contradict each other', () => {
  it('more experts per token than experts, in every MoE family', () => {
    expect(problem({ ...fixture('mixtral-8x7b'), num_experts_per_tok: 9 })).toBe('config.json: num_experts_per_tok 9 is more than num_local_experts 8');
    expect(problem({ ...fixture('qwen3-30b-a3b'), num_experts_per_tok: 200 })).toBe('config.json: num_experts_per_tok 200 is more than num_experts 128');
    expect(problem({ ...fixture('deepseek-v3'), num_experts_per_tok: 257 })).toBe('config.json: num_experts_per_tok 257 is more than n_routed_experts 256');
    expect(problem({ ...fixture('gpt-oss-20b'), experts_per_token: 64 })).toMatch(/^config\.json: experts_per_token 64 is more than num_local_experts 32$/);
  });

  it('key/value heads that do not divide the heads', () => {
    expect(problem({ ...fixture('mistral-7b'), num_key_value_heads: 5 })).toBe(
      'config.json: num_attention_heads 32 is not a multiple of num_key_value_heads 5',
    );
    expect(problem({ ...fixture('mistral-7b'), num_key_value_heads: 64 })).toBe(
      'config.json: num_attention_heads 32 is not a multiple of num_key_value_heads 64',
    );
  });

  it('a hidden size the heads do not divide, with no head_dim', () => {
    expect(problem({ ...fixture('llama2-7b'), num_attention_heads: 24, num_key_value_heads: 24 })).toBe(
      'config.json: hidden_size 4096 is not divisible by num_attention_heads 24, and there is no head_dim',
    );
    expect(problem({ ...fixture('gpt2'), n_head: 7 })).toBe('config.json: n_embd 768 is not divisible by n_head 7, and there is no head_dim');
    // With head_dim given, the two need not divide (Gemma 7B: 3072 = 16 × 192, head_dim 256).
    expect(() => archFromHfConfig({ ...fixture('llama2-7b'), num_attention_heads: 24, num_key_value_heads: 24, head_dim: 128 }, 'config.json')).not.toThrow();
  });

  it('leading dense layers that leave no MoE layer, or an MoE step that does', () => {
    expect(problem({ ...fixture('deepseek-v3'), first_k_dense_replace: 61 })).toBe(
      'config.json: first_k_dense_replace 61 leaves no MoE layer of num_hidden_layers 61',
    );
    expect(problem({ ...fixture('qwen3-30b-a3b'), decoder_sparse_step: 49 })).toBe(
      'config.json: decoder_sparse_step 49 leaves no MoE layer of num_hidden_layers 48',
    );
  });

  it('the CLI refuses such a file with exit 2, one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gpucost-hf-')), 'config.json');
    writeFileSync(file, JSON.stringify({ ...fixture('mixtral-8x7b'), num_experts_per_tok: 9 }));
    const r = await cli(['estimate', '--model', file, '--gpu', 'h100', '--gpus', '8']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${file}: num_experts_per_tok 9 is more than num_local_experts 8`);
  });
});

describe('architecture flags that leave a preset inconsistent', () => {
  it("--layers at or below an MoE model's dense layers", async () => {
    const r = await cli(['estimate', '--model', 'deepseek-v3', '--layers', '3', '--gpu', 'h100', '--gpus', '64']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--layers 3 leaves no MoE layer: the model has 3 dense layers first');
  });
});

describe('model presets whose fields contradict each other', () => {
  const mixtral = readFileSync(join(import.meta.dirname, '..', '..', 'presets', 'models', 'mixtral-8x7b.yaml'), 'utf8');
  const load = (text: string): string[] => {
    const file = join(mkdtempSync(join(tmpdir(), 'gpucost-model-')), 'm.yaml');
    writeFileSync(file, text);
    try {
      loadPresetFile(file, 'models');
    } catch (e) {
      if (e instanceof PresetError) return e.problems.filter((p) => p.severity === 'error').map((p) => `${p.field}: ${p.message}`);
      throw e;
    }
    return [];
  };

  it('an MoE step that leaves no MoE layer', () => {
    expect(load(mixtral.replace('    expertsPerToken: 2\n', '    expertsPerToken: 2\n    moeEvery: 33\n'))).toEqual([
      'architecture.moe.moeEvery: moeEvery 33 leaves no MoE layer of the 32 layers',
    ]);
    expect(load(mixtral.replace('    expertsPerToken: 2\n', '    expertsPerToken: 9\n'))).toEqual([
      'architecture.moe.expertsPerToken: more experts per token than experts',
    ]);
    expect(load(mixtral)).toEqual([]);
  });
});
