// Dense Hugging Face config.json families: each reads, and its parameter count meets the published
// figure. Fixtures and their sources: tests/fixtures/hf/README.md. Where no byte-for-byte public copy
// of the official file was found, the fields are written inline from the public copy named beside
// them (the way hf-moe.test.ts does for Mixtral 8x22B).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GpucostError } from '../../src/errors.js';
import { paramCounts } from '../../src/core/params.js';
import type { ModelArch } from '../../src/core/types.js';
import { archFromHfConfig, HF_MODEL_TYPES, type HfModel } from '../../src/presets/hf-config.js';
import { within } from '../helpers/cli.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'hf');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, name, 'config.json'), 'utf8')) as Record<string, unknown>;
const read = (config: Record<string, unknown>): HfModel => archFromHfConfig(config, 'config.json');
const total = (a: ModelArch): number => paramCounts(a).total;
const nonEmbedding = (a: ModelArch): number => paramCounts(a).total - paramCounts(a).embedding;

// Inline configs: the fields of the official file that the loader reads, as the named public copy has them.
const INLINE: Record<string, Record<string, unknown>> = {
  // google/gemma-2-9b (https://huggingface.co/google/gemma-2-9b/blob/main/config.json), as
  // AI-Hypercomputer/maxtext MaxText/utils/ckpt_conversion/utils/hf_model_configs.py builds it
  // (gemma2_9b_config; vocab_size and max_position_embeddings left to Gemma2Config, 256000 and 8192).
  'gemma-2-9b': {
    model_type: 'gemma2',
    hidden_size: 3584,
    intermediate_size: 14336,
    num_hidden_layers: 42,
    num_attention_heads: 16,
    num_key_value_heads: 8,
    head_dim: 256,
    vocab_size: 256000,
    max_position_embeddings: 8192,
    sliding_window: 4096,
  },
  // google/gemma-3-12b-it (https://huggingface.co/google/gemma-3-12b-it/blob/main/config.json): a public
  // Python copy of the whole file (_GEMMA3_CONFIG_DICT, "Source: google/gemma-3-12b-it config.json") found
  // by the code index; its text_config, like the official one, has no vocab_size, head_dim or
  // max_position_embeddings. The vision_config is left out: the loader does not read it.
  'gemma-3-12b': {
    architectures: ['Gemma3ForConditionalGeneration'],
    model_type: 'gemma3',
    text_config: {
      hidden_size: 3840,
      intermediate_size: 15360,
      model_type: 'gemma3_text',
      num_attention_heads: 16,
      num_hidden_layers: 48,
      num_key_value_heads: 8,
      rope_scaling: { factor: 8.0, rope_type: 'linear' },
      sliding_window: 1024,
    },
  },
  // microsoft/Phi-3-mini-4k-instruct (https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/config.json),
  // as NVIDIA/TensorRT-LLM tests/unittest/_torch/modeling/test_modeling_phi3.py copies it (PHI3_MINI_4K_CONFIG).
  'phi-3-mini-4k': {
    model_type: 'phi3',
    hidden_size: 3072,
    intermediate_size: 8192,
    max_position_embeddings: 4096,
    num_attention_heads: 32,
    num_hidden_layers: 32,
    num_key_value_heads: 32,
    sliding_window: 2047,
    tie_word_embeddings: false,
    attention_bias: false,
    vocab_size: 32064,
  },
  // allenai/OLMo-7B-hf (https://huggingface.co/allenai/OLMo-7B-hf/blob/main/config.json): the shape as
  // Lightning-AI/litgpt litgpt/config.py (commit 0006c973) records it from that file (OLMo-7B-hf: 32 layers, 32 heads,
  // intermediate_size 11008, padded vocabulary 50304, block size 2048; hidden 4096 from the model card).
  'olmo-7b': {
    model_type: 'olmo',
    hidden_size: 4096,
    intermediate_size: 11008,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 32,
    vocab_size: 50304,
    max_position_embeddings: 2048,
    tie_word_embeddings: false,
    clip_qkv: null,
  },
  // allenai/OLMo-2-1124-7B (https://huggingface.co/allenai/OLMo-2-1124-7B/blob/main/config.json): the
  // same litgpt file (OLMo-2-1124-7B: n_embd 4096, 32 layers, 32 heads and query groups, intermediate
  // 11008, padded vocabulary 100352, block size 4096, untied).
  'olmo-2-1124-7b': {
    model_type: 'olmo2',
    hidden_size: 4096,
    intermediate_size: 11008,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 32,
    vocab_size: 100352,
    max_position_embeddings: 4096,
    rope_theta: 500000,
    tie_word_embeddings: false,
  },
};
const config = (name: string): Record<string, unknown> => INLINE[name] ?? fixture(name);

describe('dense families: total parameters within 1% of the published figure', () => {
  it.each([
    // Qwen/Qwen3-8B model card (https://huggingface.co/Qwen/Qwen3-8B): "Number of Parameters: 8.2B".
    ['qwen3-8b', 8.2e9],
    // Qwen/Qwen2.5-7B model card (https://huggingface.co/Qwen/Qwen2.5-7B): "Number of Parameters: 7.61B".
    ['qwen2.5-7b', 7.61e9],
    // Gemma Team 2024, "Gemma: Open Models Based on Gemini Research and Technology",
    // https://arxiv.org/abs/2403.08295, Table 2: 7B = 786,821,632 embedding + 7,751,248,896 non-embedding.
    ['gemma-7b', 786_821_632 + 7_751_248_896],
    // Gemma Team 2024, "Gemma 2: Improving Open Language Models at a Practical Size",
    // https://arxiv.org/abs/2408.00118, Table 2: 9B = 917,504,000 embedding + 8,324,201,984 non-embedding.
    ['gemma-2-9b', 917_504_000 + 8_324_201_984],
    // Gemma Team 2025, "Gemma 3 Technical Report", https://arxiv.org/abs/2503.19786, Table 1: 12B =
    // 417M vision encoder + 1,012M embedding + 10,759M non-embedding. The loader counts the language
    // model only (text_config), so the published figure compared is 1,012M + 10,759M.
    ['gemma-3-12b', 1012e6 + 10759e6],
    // Abdin et al. 2024, "Phi-3 Technical Report", https://arxiv.org/abs/2404.14219, abstract: "phi-3-mini,
    // a 3.8 billion parameter language model"; the report gives no more precise figure.
    ['phi-3-mini-4k', 3.8e9],
    // EleutherAI/gpt-neox-20b model card (https://huggingface.co/EleutherAI/gpt-neox-20b), hyperparameter
    // table: 20,554,567,680 parameters.
    ['gpt-neox-20b', 20_554_567_680],
    // openai-community/gpt2 model card (https://huggingface.co/openai-community/gpt2): "the smallest
    // version of GPT-2, with 124M parameters".
    ['gpt2', 124e6],
    // Mistral AI 2023, "Mistral 7B" (https://mistral.ai/news/announcing-mistral-7b): "a 7.3B parameter model".
    ['mistral-7b', 7.3e9],
  ])('%s: total ≈ %d', (name, published) => {
    expect(within(total(read(config(name)).arch), published)).toBeLessThan(0.01);
  });

  it.each([
    // Model cards above: Qwen3-8B "Non-Embedding: 6.95B", Qwen2.5-7B "Non-Embedding: 6.53B"; Gemma 2 and
    // Gemma 3 reports (above) give the non-embedding counts exactly.
    ['qwen3-8b', 6.95e9],
    ['qwen2.5-7b', 6.53e9],
    ['gemma-2-9b', 8_324_201_984],
    ['gemma-3-12b', 10759e6],
  ])('%s: non-embedding ≈ %d', (name, published) => {
    expect(within(nonEmbedding(read(config(name)).arch), published)).toBeLessThan(0.01);
  });

  // The OLMo model cards (https://huggingface.co/allenai/OLMo-7B-hf, https://huggingface.co/allenai/OLMo-2-1124-7B)
  // and papers (https://arxiv.org/abs/2402.00838, https://arxiv.org/abs/2501.00656) print only "7B", and
  // Llama 2's paper (https://arxiv.org/abs/2307.09288) only "7B": 6.5–7.5B. The counts land inside that
  // interval and are pinned to 0.1%, so a change in how these families are read shows.
  it.each([
    ['olmo-7b', 6.8886e9],
    ['olmo-2-1124-7b', 7.2984e9],
    ['llama2-7b', 6.7384e9],
  ])('%s: inside the "7B" rounding interval, pinned at %d', (name, pinned) => {
    const count = total(read(config(name)).arch);
    expect(count).toBeGreaterThan(6.5e9);
    expect(count).toBeLessThan(7.5e9);
    expect(within(count, pinned)).toBeLessThan(0.001);
  });
});

describe('what each family means by its fields', () => {
  it('qwen3 takes head_dim from the file (128 × 32 heads = 4,096), no q/k/v bias, and notes the q/k norms', () => {
    const { arch, notes } = read(fixture('qwen3-8b'));
    expect(arch).toMatchObject({ heads: 32, kvHeads: 8, dHead: 128, bias: 'none', tiedEmbeddings: false, mlp: 'swiglu' });
    expect(notes.join(' ')).toMatch(/q\/k RMSNorm gains/);
    // Absent head_dim is Qwen3Config's 128, not hidden_size / heads.
    const withoutHeadDim: Record<string, unknown> = { ...fixture('qwen3-8b'), hidden_size: 2048 };
    delete withoutHeadDim.head_dim;
    expect(read(withoutHeadDim).arch.dHead).toBe(128);
  });

  it('qwen2 keeps its q/k/v biases by code; olmo and olmo2 have none', () => {
    expect(read(fixture('qwen2.5-7b')).arch.bias).toBe('qkv');
    expect(read(config('olmo-7b')).arch.bias).toBe('none');
    expect(read(config('olmo-2-1124-7b')).arch.bias).toBe('none');
  });

  it('the Gemmas: GeGLU (three matrices), head_dim 256 by default, tied unless the file says otherwise', () => {
    const { arch } = read(config('gemma-2-9b'));
    expect(arch).toMatchObject({ mlp: 'geglu', dHead: 256, tiedEmbeddings: true, norm: 'rmsnorm' });
    const { head_dim: _, ...noHeadDim } = config('gemma-2-9b');
    expect(read(noHeadDim).arch.dHead).toBe(256);
    expect(read({ ...config('gemma-2-9b'), tie_word_embeddings: false }).arch.tiedEmbeddings).toBe(false);
  });

  it('gemma3 reads text_config with Gemma3TextConfig defaults, and says which it used', () => {
    const { arch, notes, modelType } = read(config('gemma-3-12b'));
    expect(modelType).toBe('gemma3');
    expect(arch).toMatchObject({ layers: 48, dModel: 3840, heads: 16, kvHeads: 8, dHead: 256, vocab: 262208, tiedEmbeddings: true, mlp: 'geglu' });
    const text = notes.join(' ');
    expect(text).toMatch(/vocab_size absent: 262208, the gemma3_text default/);
    expect(text).toMatch(/vision encoder .* not counted/);
    // The same text_config read as a text-only gemma3_text file gives the same language model.
    const textOnly = read({ ...(config('gemma-3-12b').text_config as Record<string, unknown>), model_type: 'gemma3_text' });
    expect(textOnly.arch).toEqual(arch);
  });

  it('gemma3 without text_config is refused with a hint; a bad text_config field is named with its prefix', () => {
    expect(() => read({ model_type: 'gemma3', hidden_size: 3840 })).toThrow(/model_type "gemma3" without a "text_config" object/);
    const { text_config, ...rest } = config('gemma-3-12b');
    expect(() => read({ ...rest, text_config: { ...(text_config as object), hidden_size: 'wide' } })).toThrow(
      /"text_config\.hidden_size" must be a positive integer/,
    );
  });

  it('phi3 counts its fused qkv_proj and gate_up_proj as the projections they hold', () => {
    const { arch, notes } = read(config('phi-3-mini-4k'));
    expect(arch).toMatchObject({ heads: 32, kvHeads: 32, dHead: 96, ffnHidden: 8192, mlp: 'swiglu', tiedEmbeddings: false });
    expect(notes.join(' ')).toMatch(/fused/);
  });

  it("olmo's LayerNorm and olmo2's RMSNorm and q/k norms are noted", () => {
    expect(read(config('olmo-7b')).arch.norm).toBe('layernorm');
    expect(read(config('olmo-7b')).notes.join(' ')).toMatch(/without gains or biases/);
    expect(read(config('olmo-2-1124-7b')).arch.norm).toBe('rmsnorm');
    expect(read(config('olmo-2-1124-7b')).notes.join(' ')).toMatch(/q\/k RMSNorm gains \(8192 per layer\)/);
  });

  it('a sliding window changes attention FLOPs, not parameters, and is noted only where it is used', () => {
    const gemma2 = read(config('gemma-2-9b'));
    expect(gemma2.notes.join(' ')).toMatch(/sliding_window 4096 on 21 of 42 layers: their attention FLOPs count the window/);
    const { sliding_window: _, ...full } = config('gemma-2-9b');
    expect(total(read(full).arch)).toBe(total(gemma2.arch));
    expect(read(full).arch.slidingWindow).toBeUndefined();
    // Qwen2.5 writes sliding_window 131072 with use_sliding_window false.
    expect(read(fixture('qwen2.5-7b')).notes.join(' ')).not.toMatch(/sliding_window/);
    expect(read(fixture('qwen2.5-7b')).arch.slidingWindow).toBeUndefined();
  });

  it('which layers slide, as transformers builds them: layer_types, Gemma 2 every other, Gemma 3 five in six, Mistral all', () => {
    // gpt-oss lists its layer_types: 12 of 24 sliding, window 128.
    expect(read(fixture('gpt-oss-20b')).arch.slidingWindow).toEqual({ tokens: 128, layers: 12 });
    expect(read(config('gemma-2-9b')).arch.slidingWindow).toEqual({ tokens: 4096, layers: 21 });
    // Gemma 3: every sixth layer global (sliding_window_pattern 6): 48 − 8 = 40 sliding.
    expect(read(config('gemma-3-12b')).arch.slidingWindow).toEqual({ tokens: 1024, layers: 40 });
    expect(read(fixture('mistral-7b')).arch.slidingWindow).toEqual({ tokens: 4096, layers: 32 });
  });

  it('an unsupported model_type lists every supported one', () => {
    try {
      read({ model_type: 'bert', hidden_size: 768 });
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(GpucostError);
      expect((e as GpucostError).hint).toContain(`supported: ${HF_MODEL_TYPES.join(', ')}`);
    }
    for (const t of ['llama', 'mistral', 'qwen2', 'qwen3', 'gemma', 'gemma2', 'gemma3', 'gemma3_text', 'phi3', 'olmo', 'olmo2', 'falcon', 'gpt_neox', 'gpt2']) {
      expect(HF_MODEL_TYPES).toContain(t);
    }
  });
});
