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
  const c = configObject(config, file);
  const modelType = supportedModelType(c, file);
  const read = fieldReader(c, file, modelType);
  const name = typeof c._name_or_path === 'string' && c._name_or_path ? c._name_or_path : file;
  const notes: string[] = [];
  const arch = modelType === 'gpt2' ? gpt2Arch(read) : decoderArch(read, modelType, notes);
  return { name, modelType, notes, arch };
}

function configObject(config: unknown, file: string): Config {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new GpucostError('E_INPUT', `${file} is not a JSON object`, 'expected a Hugging Face config.json');
  }
  return config as Config;
}

function supportedModelType(c: Config, file: string): HfModelType {
  const type = c.model_type;
  if (typeof type !== 'string' || !(HF_MODEL_TYPES as readonly string[]).includes(type)) {
    throw new GpucostError(
      'E_INPUT',
      `${file}: model_type ${JSON.stringify(type)} is not supported`,
      `supported: ${HF_MODEL_TYPES.join(', ')}; or describe the model with --layers --d-model --heads --ffn --vocab --seq-len`,
    );
  }
  return type as HfModelType;
}

/** Typed access to a config's fields; `int` throws naming the field, unless a fallback covers its absence. */
interface FieldReader {
  type: HfModelType;
  int(key: string, fallback?: number): number;
  bool(key: string, fallback: boolean): boolean;
  has(key: string): boolean;
}

function fieldReader(c: Config, file: string, type: HfModelType): FieldReader {
  return {
    type,
    int(key, fallback) {
      const v = c[key];
      if (v === undefined || v === null) {
        if (fallback !== undefined) return fallback;
        throw new GpucostError('E_INPUT', `${file}: missing "${key}" for model_type ${type}`);
      }
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
        throw new GpucostError('E_INPUT', `${file}: "${key}" must be a positive integer, got ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`);
      }
      return v;
    },
    bool: (key, fallback) => (typeof c[key] === 'boolean' ? (c[key] as boolean) : fallback),
    has: (key) => c[key] !== undefined,
  };
}

/** GPT-2 names its fields differently from the later families (transformers' GPT2Config). */
function gpt2Arch({ int, bool }: FieldReader): ModelArch {
  const d = int('n_embd');
  return {
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
  };
}

/** The families after GPT-2: the fields they share, then what each says differently. */
function decoderArch(read: FieldReader, modelType: Exclude<HfModelType, 'gpt2'>, notes: string[]): ModelArch {
  const common = decoderCommon(read, notes);
  if (modelType === 'gpt_neox') return gptNeoxArch(read, common);
  if (modelType === 'falcon') return falconArch(read, common);
  return llamaStyleArch(read, modelType, common);
}

type CommonFields = Pick<ModelArch, 'layers' | 'dModel' | 'heads' | 'kvHeads' | 'dHead' | 'vocab' | 'seqLen'>;

function decoderCommon({ type, int, has }: FieldReader, notes: string[]): CommonFields {
  const d = int('hidden_size');
  // Falcon's older configs use GPT-2-like names.
  const heads = type === 'falcon' ? int('num_attention_heads', int('n_head', 0) || undefined) : int('num_attention_heads');
  const layers = type === 'falcon' ? int('num_hidden_layers', int('n_layer', 0) || undefined) : int('num_hidden_layers');
  const seqLen = int('max_position_embeddings', 2048);
  if (!has('max_position_embeddings')) notes.push('config has no max_position_embeddings: sequence length 2048 assumed');
  else notes.push(`sequence length ${seqLen} from max_position_embeddings (use --seq-len for the training length)`);
  return { layers, dModel: d, heads, kvHeads: heads, dHead: d / heads, vocab: int('vocab_size'), seqLen };
}

function gptNeoxArch({ int, bool }: FieldReader, common: CommonFields): ModelArch {
  return {
    ...common,
    ffnHidden: int('intermediate_size'),
    mlp: 'gelu',
    tiedEmbeddings: bool('tie_word_embeddings', false),
    positionEmbedding: 'rope',
    bias: 'all',
    norm: 'layernorm',
  };
}

function falconArch({ int, bool }: FieldReader, common: CommonFields): ModelArch {
  const { heads, dModel: d } = common;
  const newArch = bool('new_decoder_architecture', false);
  return {
    ...common,
    kvHeads: newArch ? int('num_kv_heads', heads) : bool('multi_query', true) ? 1 : heads,
    ffnHidden: int('ffn_hidden_size', 4 * d),
    mlp: 'gelu',
    tiedEmbeddings: bool('tie_word_embeddings', true),
    positionEmbedding: bool('alibi', false) ? 'alibi' : 'rope',
    bias: bool('bias', false) ? 'all' : 'none',
    norm: 'layernorm',
  };
}

/** Llama-style: llama, mistral, mixtral, qwen2, gemma. */
function llamaStyleArch({ int, bool }: FieldReader, modelType: HfModelType, common: CommonFields): ModelArch {
  const { heads, dModel: d } = common;
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
  return arch;
}
