// Mixture-of-experts Hugging Face configs: each loads, and its total and active parameter counts
// meet the published figures. Fixtures and their sources: tests/fixtures/hf/README.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moeLayerCount, paramCounts } from '../../src/core/params.js';
import type { ModelArch } from '../../src/core/types.js';
import { archFromHfConfig, type HfModel } from '../../src/presets/hf-config.js';
import { within } from '../helpers/cli.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'hf');
const load = (name: string): HfModel => archFromHfConfig(JSON.parse(readFileSync(join(dir, name, 'config.json'), 'utf8')), name);
/** Active parameters without the input embedding, a table lookup: the convention of OpenAI's gpt-oss model card. */
const activeWithoutInputEmbedding = (a: ModelArch): number => paramCounts(a).active - a.vocab * a.dModel;

// Published active counts given to two significant digits are rounded: "37B" stands for 36.5–37.5B,
// "3.3B" for 3.25–3.35B. The shapes land 1–2% above the printed figure and inside (or within 1% of) its
// rounding interval; both are pinned, so a change in how active parameters are counted shows either way.
const roundingInterval = (published: number, lastDigit: number): [number, number] => [published - lastDigit / 2, published + lastDigit / 2];
const withinRounding = (count: number, [low, high]: [number, number]): boolean => count >= low * 0.99 && count <= high * 1.01;

describe('MoE config.json fixtures: published totals and active parameters within 1%', () => {
  it.each([
    // Qwen/Qwen3-30B-A3B model card (https://huggingface.co/Qwen/Qwen3-30B-A3B): "30.5B in total";
    // "Number of Paramaters (Non-Embedding): 29.9B".
    ['qwen3-30b-a3b', 30.5e9],
    // DeepSeek-AI 2024, "DeepSeek-V3 Technical Report", https://arxiv.org/abs/2412.19437, abstract and §4.2:
    // 671B total. The 14B multi-token-prediction module is not in it (README_WEIGHTS.md: the 685B
    // checkpoint = 671B main model + 11.5B unique MTP parameters + …), and the loader does not count it.
    ['deepseek-v3', 671e9],
    // OpenAI 2025, "gpt-oss-120b & gpt-oss-20b Model Card", https://arxiv.org/abs/2508.10925, Table 1:
    // total 20.91B and 116.83B.
    ['gpt-oss-20b', 20.91e9],
    ['gpt-oss-120b', 116.83e9],
  ])('%s: total ≈ %d', (name, published) => {
    expect(within(paramCounts(load(name).arch).total, published)).toBeLessThan(0.01);
  });

  it.each([
    // gpt-oss model card Table 1 (above): active 3.61B and 5.13B. Its active count is MLP + attention +
    // unembedding: 20.91B total − 19.12B MLP − 0.64B attention leaves 1.16B embedding + unembedding,
    // of which the active figure carries one (0.58B); the input embedding is a lookup, not a matmul.
    ['gpt-oss-20b', 3.61e9],
    ['gpt-oss-120b', 5.13e9],
  ])('%s: active (without the input embedding, as OpenAI counts) ≈ %d', (name, published) => {
    expect(within(activeWithoutInputEmbedding(load(name).arch), published)).toBeLessThan(0.01);
  });

  it('qwen3-30b-a3b reads 128 experts of width 768, 8 per token, no shared expert, every layer MoE', () => {
    const { arch, notes } = load('qwen3-30b-a3b');
    expect(arch.moe).toEqual({ experts: 128, expertsPerToken: 8, sharedExperts: 0, expertFfnHidden: 768, sharedExpertFfnHidden: 768, denseLayers: 0 });
    expect(moeLayerCount(arch)).toBe(48);
    expect(arch.dHead).toBe(128); // head_dim 128 although hidden_size 2048 / 32 heads = 64
    expect(notes.join(' ')).toMatch(/no shared expert/);
  });

  it('deepseek-v3 reads MLA, 3 dense layers, 1 shared + 256 routed experts, and says the MTP module is not counted', () => {
    const { arch, notes } = load('deepseek-v3');
    expect(arch.mla).toEqual({ qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 });
    expect(arch.moe).toMatchObject({ experts: 256, expertsPerToken: 8, sharedExperts: 1, expertFfnHidden: 2048, denseLayers: 3 });
    expect(arch.ffnHidden).toBe(18432);
    expect(notes.join(' ')).toMatch(/multi-token-prediction.*not counted.*671B/);
  });

  it('gpt-oss reads biases on attention and experts, and experts_per_token', () => {
    const { arch } = load('gpt-oss-20b');
    expect(arch.bias).toBe('all');
    expect(arch.moe).toMatchObject({ experts: 32, expertsPerToken: 4, sharedExperts: 0, expertFfnHidden: 2880 });
    expect(arch).toMatchObject({ heads: 64, kvHeads: 8, dHead: 64, tiedEmbeddings: false });
  });

  // DeepSeek-V3 report (above): "37B activated". The shapes give 37.55B with embedding and head, and
  // 36.63B without the input embedding; DeepSeek's README_WEIGHTS.md gives 36.7B "including 0.9B for
  // Embedding and 0.9B for the output Head". The total matches to 0.01%, so the shapes are right; the
  // difference is in what DeepSeek counts as activated, which it does not spell out.
  it('deepseek-v3 active: 1.0–2.0% above the printed 37B, within 1% of its rounding interval (36.5–37.5B)', () => {
    const active = paramCounts(load('deepseek-v3').arch).active;
    expect(active / 37e9 - 1).toBeGreaterThan(0.01);
    expect(active / 37e9 - 1).toBeLessThan(0.02);
    expect(withinRounding(active, roundingInterval(37e9, 1e9))).toBe(true);
  });

  // Qwen3-30B-A3B model card (above): "3.3B activated". The shapes give 3.353B with embedding and
  // head (3.04B, 8% below, without the input embedding): the printed figure is rounded down.
  it('qwen3-30b-a3b active: 1.0–2.0% above the printed 3.3B, within 1% of its rounding interval (3.25–3.35B)', () => {
    const active = paramCounts(load('qwen3-30b-a3b').arch).active;
    expect(active / 3.3e9 - 1).toBeGreaterThan(0.01);
    expect(active / 3.3e9 - 1).toBeLessThan(0.02);
    expect(withinRounding(active, roundingInterval(3.3e9, 0.1e9))).toBe(true);
  });
});

// No public copy of these published config.json files was found (README.md), so these configs hold only
// the fields the loader reads, with the values of the public copies named beside each; they are not fixtures.
describe('MoE families without a fixture: the fields the loader reads', () => {
  // Qwen/Qwen1.5-MoE-A2.7B config values, as in public copies of the -Chat and -Chat-GPTQ-Int4 configs
  // (same architecture). Model card: "14.3B parameters in total and 2.7B activated parameters".
  const qwen15Moe = {
    model_type: 'qwen2_moe',
    hidden_size: 2048,
    intermediate_size: 5632,
    num_hidden_layers: 24,
    num_attention_heads: 16,
    num_key_value_heads: 16,
    vocab_size: 151936,
    num_experts: 60,
    num_experts_per_tok: 4,
    moe_intermediate_size: 1408,
    shared_expert_intermediate_size: 5632,
    decoder_sparse_step: 1,
    max_position_embeddings: 8192,
    tie_word_embeddings: false,
  };

  it('qwen2_moe (Qwen1.5-MoE-A2.7B): 14.3B total, 2.7B active, one shared expert of its own width', () => {
    const { arch, notes } = archFromHfConfig(qwen15Moe, 'qwen1.5-moe-a2.7b');
    expect(arch.moe).toEqual({ experts: 60, expertsPerToken: 4, sharedExperts: 1, expertFfnHidden: 1408, sharedExpertFfnHidden: 5632, denseLayers: 0 });
    expect(arch.bias).toBe('qkv');
    const counts = paramCounts(arch);
    expect(within(counts.total, 14.3e9)).toBeLessThan(0.01);
    expect(within(counts.active, 2.7e9)).toBeLessThan(0.01);
    expect(notes.join(' ')).toMatch(/sigmoid gate/);
  });

  it('qwen2_moe decoder_sparse_step 2 makes every second layer MoE', () => {
    const { arch } = archFromHfConfig({ ...qwen15Moe, decoder_sparse_step: 2 }, 'sparse-step');
    expect(arch.moe?.moeEvery).toBe(2);
    expect(moeLayerCount(arch)).toBe(12);
  });

  // mistralai/Mixtral-8x22B-v0.1 config values, as a public test suite copies them in full
  // (scaleapi/llm-engine, model-engine/tests/unit/domain/test_llm_use_cases.py). Mistral AI 2024,
  // "Cheaper, Better, Faster, Stronger" (https://mistral.ai/news/mixtral-8x22b): "39B active parameters
  // out of 141B".
  const mixtral8x22b = {
    model_type: 'mixtral',
    hidden_size: 6144,
    intermediate_size: 16384,
    max_position_embeddings: 65536,
    num_attention_heads: 48,
    num_experts_per_tok: 2,
    num_hidden_layers: 56,
    num_key_value_heads: 8,
    num_local_experts: 8,
    vocab_size: 32000,
  };

  it('mixtral (Mixtral 8x22B): 141B total, 39B active', () => {
    const { arch } = archFromHfConfig(mixtral8x22b, 'mixtral-8x22b');
    expect(arch.moe).toMatchObject({ experts: 8, expertsPerToken: 2, sharedExperts: 0, expertFfnHidden: 16384 });
    const counts = paramCounts(arch);
    expect(within(counts.total, 141e9)).toBeLessThan(0.01);
    expect(within(counts.active, 39e9)).toBeLessThan(0.01);
  });

  // Qwen/Qwen2-57B-A14B config values, as NVIDIA's TensorRT-LLM tests copy them in full
  // (tests/unittest/_torch/modeling/test_modeling_qwen_moe.py). Qwen Team 2024, "Qwen2 Technical Report",
  // https://arxiv.org/abs/2407.10671, Table 1: 57B total, 14B activated.
  const qwen2_57b = {
    model_type: 'qwen2_moe',
    decoder_sparse_step: 1,
    hidden_size: 3584,
    intermediate_size: 18944,
    max_position_embeddings: 131072,
    moe_intermediate_size: 2560,
    num_attention_heads: 28,
    num_experts: 64,
    num_experts_per_tok: 8,
    num_hidden_layers: 28,
    num_key_value_heads: 4,
    shared_expert_intermediate_size: 20480,
    tie_word_embeddings: false,
    vocab_size: 151936,
  };

  // 57.41B and 14.25B: the total within 1%; the active count 1.8% above the printed "14B", inside its
  // rounding interval (13.5–14.5B), as for Qwen3-30B-A3B above.
  it('qwen2_moe (Qwen2-57B-A14B): 57B total within 1%, 14B active within its rounding', () => {
    const { arch } = archFromHfConfig(qwen2_57b, 'qwen2-57b-a14b');
    expect(arch.moe).toEqual({ experts: 64, expertsPerToken: 8, sharedExperts: 1, expertFfnHidden: 2560, sharedExpertFfnHidden: 20480, denseLayers: 0 });
    const counts = paramCounts(arch);
    expect(within(counts.total, 57e9)).toBeLessThan(0.01);
    expect(counts.active / 14e9 - 1).toBeGreaterThan(0.01);
    expect(counts.active / 14e9 - 1).toBeLessThan(0.02);
    expect(withinRounding(counts.active, roundingInterval(14e9, 1e9))).toBe(true);
  });

  // deepseek-ai/DeepSeek-V2-Lite config values, as in a public transformers dump of DeepSeek-V2-Lite-Chat's
  // config. DeepSeek-AI 2024, "DeepSeek-V2", https://arxiv.org/abs/2405.04434, Appendix B: "15.7B total
  // parameters, of which 2.4B are activated for each token".
  const v2Lite = {
    model_type: 'deepseek_v2',
    hidden_size: 2048,
    num_hidden_layers: 27,
    num_attention_heads: 16,
    num_key_value_heads: 16,
    intermediate_size: 10944,
    moe_intermediate_size: 1408,
    n_routed_experts: 64,
    n_shared_experts: 2,
    num_experts_per_tok: 6,
    first_k_dense_replace: 1,
    moe_layer_freq: 1,
    kv_lora_rank: 512,
    q_lora_rank: null,
    qk_nope_head_dim: 128,
    qk_rope_head_dim: 64,
    v_head_dim: 128,
    vocab_size: 102400,
    max_position_embeddings: 163840,
    tie_word_embeddings: false,
  };

  it('deepseek_v2 (DeepSeek-V2-Lite): q_lora_rank null is a full query projection; 15.7B total', () => {
    const { arch } = archFromHfConfig(v2Lite, 'deepseek-v2-lite');
    expect(arch.mla?.qLoraRank).toBe(0);
    expect(arch.moe).toMatchObject({ experts: 64, expertsPerToken: 6, sharedExperts: 2, denseLayers: 1 });
    expect(within(paramCounts(arch).total, 15.7e9)).toBeLessThan(0.01);
  });

  // As for V3: 2.66B with embedding and head, 2.45B without the input embedding, against 2.4B.
  it('known gap: deepseek-v2-lite active without the input embedding is 1.0–3.0% above the published 2.4B', () => {
    const { arch } = archFromHfConfig(v2Lite, 'deepseek-v2-lite');
    const error = activeWithoutInputEmbedding(arch) / 2.4e9 - 1;
    expect(error).toBeGreaterThan(0.01);
    expect(error).toBeLessThan(0.03);
  });

  // meta-llama/Llama-4-Scout-17B-16E text_config values, as in public reimplementations of its config.
  // Meta 2025, "The Llama 4 herd" (https://ai.meta.com/blog/llama-4-multimodal-intelligence/):
  // 17B active, 16 experts, 109B total (that total includes the vision encoder, which is not read).
  const scout = {
    model_type: 'llama4',
    text_config: {
      model_type: 'llama4_text',
      hidden_size: 5120,
      num_hidden_layers: 48,
      num_attention_heads: 40,
      num_key_value_heads: 8,
      head_dim: 128,
      intermediate_size: 8192,
      intermediate_size_mlp: 16384,
      num_local_experts: 16,
      num_experts_per_tok: 1,
      interleave_moe_layer_step: 1,
      vocab_size: 202048,
      max_position_embeddings: 10485760,
      tie_word_embeddings: false,
    },
  };

  it('llama4 reads text_config: one shared expert, interleave step, dense width intermediate_size_mlp', () => {
    const { arch, notes } = archFromHfConfig(scout, 'llama4-scout');
    expect(arch.moe).toEqual({ experts: 16, expertsPerToken: 1, sharedExperts: 1, expertFfnHidden: 8192, sharedExpertFfnHidden: 8192, denseLayers: 0 });
    expect(arch.ffnHidden).toBe(16384);
    expect(notes.join(' ')).toMatch(/vision encoder/);
    const maverickLike = archFromHfConfig({ ...scout, text_config: { ...scout.text_config, interleave_moe_layer_step: 2 } }, 'step-2').arch;
    expect(moeLayerCount(maverickLike)).toBe(24);
  });

  it('known gap: llama4 Scout text model is 0.5–2% below the published 109B total (vision encoder not counted) and 0.5–2% above 17B active', () => {
    const counts = paramCounts(archFromHfConfig(scout, 'llama4-scout').arch);
    expect(1 - counts.total / 109e9).toBeGreaterThan(0.005);
    expect(1 - counts.total / 109e9).toBeLessThan(0.02);
    expect(counts.active / 17e9 - 1).toBeGreaterThan(0.005);
    expect(counts.active / 17e9 - 1).toBeLessThan(0.02);
  });
});
