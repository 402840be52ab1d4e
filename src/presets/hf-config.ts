/**
 * Hugging Face `config.json` → gpucost architecture, for the common decoder-only families.
 * Field names follow the transformers configuration classes of each `model_type`.
 */
import type { ModelArch } from '../core/types.js';
import { GpucostError } from '../errors.js';

export const HF_MODEL_TYPES = ['llama', 'mistral', 'mixtral', 'qwen2', 'gpt2', 'gpt_neox', 'falcon', 'gemma'] as const;
export type HfModelType = (typeof HF_MODEL_TYPES)[number];

type Config = Record<string, unknown>;

export interface HfModel {
  name: string;
  modelType: HfModelType;
  arch: ModelArch;
  /** Assumptions made where the config is silent. */
  notes: string[];
}

/** Reads a parsed config.json. Throws E_INPUT naming the field when one is missing or wrong. */
export function archFromHfConfig(config: unknown, file: string): HfModel {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new GpucostError('E_INPUT', `${file} is not a JSON object`, 'expected a Hugging Face config.json');
  }
  const c = config as Config;
  const type = c.model_type;
  if (typeof type !== 'string' || !(HF_MODEL_TYPES as readonly string[]).includes(type)) {
    throw new GpucostError(
      'E_INPUT',
      `${file}: model_type ${JSON.stringify(type)} is not supported`,
      `supported: ${HF_MODEL_TYPES.join(', ')}; or describe the model with --layers --d-model --heads --ffn --vocab --seq-len`,
    );
  }
  const int = (key: string, fallback?: number): number => {
    const v = c[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new GpucostError('E_INPUT', `${file}: missing "${key}" for model_type ${type}`);
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new GpucostError('E_INPUT', `${file}: "${key}" must be a positive integer, got ${typeof v === "number" ? String(v) : JSON.stringify(v)}`);
    }
    return v;
  };
  const bool = (key: string, fallback: boolean): boolean => (typeof c[key] === 'boolean' ? (c[key] as boolean) : fallback);
  const notes: string[] = [];
  const name = typeof c._name_or_path === 'string' && c._name_or_path ? c._name_or_path : file;
  const modelType = type as HfModelType;

  if (modelType === 'gpt2') {
    const d = int('n_embd');
    return {
      name,
      modelType,
      notes,
      arch: {
        layers: int('n_layer'),
        dModel: d,
        heads: int('n_head'),
        kvHeads: int('n_head'),
        dHead: d / int('n_head'),
        ffnHidden: int('n_inner', 4 * d),
        mlp: 'gelu',
        vocab: int('vocab_size'),
        seqLen: int('n_positions', int('n_ctx', 1024)),
        tiedEmbeddings: bool('tie_word_embeddings', true),
        positionEmbedding: 'learned',
        bias: 'all',
        norm: 'layernorm',
      },
    };
  }

  const d = int('hidden_size');
  const heads = modelType === 'falcon' ? int('num_attention_heads', int('n_head', 0) || undefined) : int('num_attention_heads');
  const layers = modelType === 'falcon' ? int('num_hidden_layers', int('n_layer', 0) || undefined) : int('num_hidden_layers');
  const seqLen = int('max_position_embeddings', 2048);
  if (c.max_position_embeddings === undefined) notes.push('config has no max_position_embeddings: sequence length 2048 assumed');
  else notes.push(`sequence length ${seqLen} from max_position_embeddings (use --seq-len for the training length)`);

  // What the decoder families below share; each overrides what its config says differently.
  const common = { layers, dModel: d, heads, kvHeads: heads, dHead: d / heads, vocab: int('vocab_size'), seqLen };
  const result = (arch: ModelArch): HfModel => ({ name, modelType, notes, arch });

  if (modelType === 'gpt_neox') {
    return result({
      ...common,
      ffnHidden: int('intermediate_size'),
      mlp: 'gelu',
      tiedEmbeddings: bool('tie_word_embeddings', false),
      positionEmbedding: 'rope',
      bias: 'all',
      norm: 'layernorm',
    });
  }

  if (modelType === 'falcon') {
    const newArch = bool('new_decoder_architecture', false);
    return result({
      ...common,
      kvHeads: newArch ? int('num_kv_heads', heads) : bool('multi_query', true) ? 1 : heads,
      ffnHidden: int('ffn_hidden_size', 4 * d),
      mlp: 'gelu',
      tiedEmbeddings: bool('tie_word_embeddings', true),
      positionEmbedding: bool('alibi', false) ? 'alibi' : 'rope',
      bias: bool('bias', false) ? 'all' : 'none',
      norm: 'layernorm',
    });
  }

  // Llama-style: llama, mistral, mixtral, qwen2, gemma.
  const arch: ModelArch = {
    ...common,
    kvHeads: int('num_key_value_heads', heads),
    dHead: int('head_dim', d / heads),
    ffnHidden: int('intermediate_size'),
    mlp: modelType === 'gemma' ? 'geglu' : 'swiglu',
    tiedEmbeddings: bool('tie_word_embeddings', modelType === 'gemma'),
    positionEmbedding: 'rope',
    bias: modelType === 'qwen2' || bool('attention_bias', false) ? 'qkv' : 'none',
    norm: 'rmsnorm',
  };
  if (modelType === 'mixtral') {
    arch.moe = {
      experts: int('num_local_experts'),
      expertsPerToken: int('num_experts_per_tok'),
      sharedExperts: 0,
      expertFfnHidden: int('intermediate_size'),
      sharedExpertFfnHidden: int('intermediate_size'),
      denseLayers: 0,
    };
  }
  return result(arch);
}
