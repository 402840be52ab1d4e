/**
 * Hugging Face `config.json` → gpucost architecture, for the common decoder-only families.
 * Field names follow the transformers configuration classes of each `model_type`; the mixtures of
 * experts other than Mixtral are read in hf-moe.ts.
 */
import { moeLayerCount } from '../core/params.js';
import type { ModelArch } from '../core/types.js';
import { GpucostError, printable } from '../errors.js';
import { denseFamilyNotes, slidingWindowOf, tiedByDefault, withClassDefaults } from './hf-dense.js';
import { deepseekArch, type FieldReader, gptOssArch, llama4Arch, qwenMoeArch } from './hf-moe.js';

export const HF_MODEL_TYPES = [
  'llama',
  'mistral',
  'mixtral',
  'qwen2',
  'gpt2',
  'gpt_neox',
  'falcon',
  'gemma',
  'gemma2',
  'gemma3',
  'gemma3_text',
  'qwen3',
  'phi3',
  'olmo',
  'olmo2',
  'qwen2_moe',
  'qwen3_moe',
  'deepseek_v2',
  'deepseek_v3',
  'llama4',
  'gpt_oss',
] as const;
export type HfModelType = (typeof HF_MODEL_TYPES)[number];

type Config = Record<string, unknown>;

/**
 * Training sequence length taken from a config whose max_position_embeddings is longer: Llama 3
 * pre-trained at 8,192 tokens and extended to 128K only at the end (The Llama 3 Herd of Models,
 * https://arxiv.org/abs/2407.21783, §3.4), as most long-context models do.
 */
export const HF_TRAINING_SEQ_LEN = 8192;

export interface HfModel {
  name: string;
  modelType: HfModelType;
  arch: ModelArch;
  /** Assumptions made where the config is silent. */
  notes: string[];
}

/** Reads a parsed config.json. Throws E_INPUT naming the field when one is missing or wrong. */
export function archFromHfConfig(config: unknown, file: string): HfModel {
  const top = configObject(config, file);
  const modelType = supportedModelType(top, file);
  const c = languageModelConfig(top, modelType, file);
  const notes: string[] = [];
  const read = withClassDefaults(fieldReader(c, file, modelType, c === top ? '' : 'text_config.'), notes);
  const name = typeof top._name_or_path === 'string' && top._name_or_path ? top._name_or_path : file;
  const arch = modelType === 'gpt2' ? gpt2Arch(read) : decoderArch(read, modelType, notes);
  const contradiction = contradictions(arch, read, c === top ? '' : 'text_config.');
  if (contradiction) throw new GpucostError('E_INPUT', `${printable(file)}: ${contradiction}`, 'check the config against the model it describes');
  return { name, modelType, notes, arch };
}

/**
 * The first pair of fields that cannot both hold, named as the config names them: the readers take
 * each field on its own, and a config can say 9 experts per token of 8, or heads its key/value heads
 * do not divide, which would otherwise be counted as if they made a model.
 */
function contradictions(a: ModelArch, { type, has }: FieldReader, prefix: string): string | undefined {
  const oldFalcon = type === 'falcon' && !has('num_attention_heads');
  const name = {
    heads: type === 'gpt2' || oldFalcon ? 'n_head' : 'num_attention_heads',
    kvHeads: type === 'falcon' ? 'num_kv_heads' : 'num_key_value_heads',
    dModel: type === 'gpt2' ? 'n_embd' : 'hidden_size',
    layers: type === 'gpt2' || (type === 'falcon' && !has('num_hidden_layers')) ? 'n_layer' : 'num_hidden_layers',
    experts:
      type === 'deepseek_v2' || type === 'deepseek_v3'
        ? 'n_routed_experts'
        : type === 'qwen2_moe' || type === 'qwen3_moe'
          ? 'num_experts'
          : 'num_local_experts',
    topK: type === 'gpt_oss' && has('experts_per_token') ? 'experts_per_token' : 'num_experts_per_tok',
    denseLayers: type === 'deepseek_v2' || type === 'deepseek_v3' ? 'first_k_dense_replace' : 'mlp_only_layers',
    moeEvery: type === 'llama4' ? 'interleave_moe_layer_step' : type === 'qwen2_moe' || type === 'qwen3_moe' ? 'decoder_sparse_step' : 'moe_layer_freq',
  };
  const n = (key: keyof typeof name): string => `${prefix}${name[key]}`;
  if (a.heads % a.kvHeads !== 0) return `${n('heads')} ${a.heads} is not a multiple of ${n('kvHeads')} ${a.kvHeads}`;
  if (!Number.isInteger(a.dHead)) return `${n('dModel')} ${a.dModel} is not divisible by ${n('heads')} ${a.heads}, and there is no head_dim`;
  const moe = a.moe;
  if (!moe) return undefined;
  if (moe.expertsPerToken > moe.experts) return `${n('topK')} ${moe.expertsPerToken} is more than ${n('experts')} ${moe.experts}`;
  if (moe.denseLayers >= a.layers) {
    // mlp_only_layers is a list of layer indices: it is its length that is compared.
    const dense = name.denseLayers === 'mlp_only_layers' ? `${n('denseLayers')} (${moe.denseLayers} layers)` : `${n('denseLayers')} ${moe.denseLayers}`;
    return `${dense} leaves no MoE layer of ${n('layers')} ${a.layers}`;
  }
  const every = moe.moeEvery ?? 1;
  if (moeLayerCount({ layers: a.layers, moe }) === 0) return `${n('moeEvery')} ${every} leaves no MoE layer of ${n('layers')} ${a.layers}`;
  return undefined;
}

/**
 * Llama 4 and Gemma 3 are multimodal: the language model's fields sit under text_config (Llama 4
 * also has text-only files with them at the top). A `gemma3` file without text_config describes no
 * language model that gpucost can count.
 */
function languageModelConfig(top: Config, modelType: HfModelType, file: string): Config {
  if (modelType === 'llama4' && isObject(top.text_config)) return top.text_config;
  if (modelType !== 'gemma3') return top;
  if (isObject(top.text_config)) return top.text_config;
  throw new GpucostError(
    'E_INPUT',
    `${printable(file)}: model_type "gemma3" without a "text_config" object`,
    'Gemma 3 multimodal configs keep the language model under text_config; a text-only config has model_type "gemma3_text"',
  );
}

function isObject(v: unknown): v is Config {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function configObject(config: unknown, file: string): Config {
  if (!isObject(config)) {
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

function fieldReader(c: Config, file: string, type: HfModelType, prefix: string): FieldReader {
  return {
    type,
    int(key, fallback) {
      const v = c[key];
      if (v === undefined || v === null) {
        if (fallback !== undefined) return fallback;
        throw new GpucostError('E_INPUT', `${file}: missing "${prefix}${key}" for model_type ${type}`);
      }
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
        throw new GpucostError(
          'E_INPUT',
          `${file}: "${prefix}${key}" must be a positive integer, got ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`,
        );
      }
      return v;
    },
    positive: (key) => {
      const v = c[key];
      return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
    },
    bool: (key, fallback) => (typeof c[key] === 'boolean' ? (c[key] as boolean) : fallback),
    has: (key) => c[key] !== undefined && c[key] !== null,
    listLength: (key) => (Array.isArray(c[key]) ? (c[key] as unknown[]).length : 0),
    countOf: (key, value) => (Array.isArray(c[key]) ? (c[key] as unknown[]).filter((x) => x === value).length : 0),
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
  const arch = familyArch(read, modelType, llamaStyleArch(read, modelType, common), notes);
  const window = slidingWindowOf(read, arch.layers, notes);
  if (window) arch.slidingWindow = window;
  return arch;
}

/** What each Llama-style family adds: experts, latent attention, or only notes. */
function familyArch(read: FieldReader, modelType: Exclude<HfModelType, 'gpt2' | 'gpt_neox' | 'falcon'>, arch: ModelArch, notes: string[]): ModelArch {
  if (modelType === 'qwen2_moe' || modelType === 'qwen3_moe') return qwenMoeArch(read, arch, notes);
  if (modelType === 'deepseek_v2' || modelType === 'deepseek_v3') return deepseekArch(read, arch, notes);
  if (modelType === 'llama4') return llama4Arch(read, arch, notes);
  if (modelType === 'gpt_oss') return gptOssArch(read, arch, notes);
  if (modelType !== 'mixtral') denseFamilyNotes(read, arch.dHead, notes);
  return arch;
}

type CommonFields = Pick<ModelArch, 'layers' | 'dModel' | 'heads' | 'kvHeads' | 'dHead' | 'vocab' | 'seqLen'>;

function decoderCommon({ type, int, has }: FieldReader, notes: string[]): CommonFields {
  const d = int('hidden_size');
  // Falcon's older configs use GPT-2-like names.
  const heads = type === 'falcon' ? int('num_attention_heads', int('n_head', 0) || undefined) : int('num_attention_heads');
  const layers = type === 'falcon' ? int('num_hidden_layers', int('n_layer', 0) || undefined) : int('num_hidden_layers');
  // max_position_embeddings is how far the model can attend after all its training, often a long-context
  // extension (131,072 for Llama 3.1), not what most of its tokens were trained at: cap it.
  const maxPositions = int('max_position_embeddings', 2048);
  const seqLen = Math.min(maxPositions, HF_TRAINING_SEQ_LEN);
  if (!has('max_position_embeddings')) notes.push('config has no max_position_embeddings: sequence length 2048 assumed');
  else if (seqLen < maxPositions) {
    notes.push(
      `sequence length ${seqLen} assumed for training (max_position_embeddings is ${maxPositions}, the length reached after long-context training; give --seq-len)`,
    );
  } else notes.push(`sequence length ${seqLen} from max_position_embeddings (use --seq-len for the training length)`);
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

/**
 * Llama-style: llama, mistral, mixtral, qwen2, qwen3, the Gemmas, phi3, olmo, olmo2, and the base the
 * other MoE families start from. Qwen2 and Qwen2-MoE put biases on q, k and v by code, not by a
 * config field (Qwen2Attention); the others follow `attention_bias`, false by default. The Gemmas'
 * MLP is GeGLU: gate, up and down, each of `intermediate_size` (GemmaMLP). OLMo's LayerNorm has no
 * parameters (OlmoLayerNorm); it is still a LayerNorm, and the few it is counted with are noted.
 */
function llamaStyleArch({ int, bool }: FieldReader, modelType: HfModelType, common: CommonFields): ModelArch {
  const { heads, dModel: d } = common;
  const qkvBias = modelType === 'qwen2' || modelType === 'qwen2_moe' || bool('attention_bias', false);
  const arch: ModelArch = {
    ...common,
    kvHeads: int('num_key_value_heads', heads),
    dHead: int('head_dim', d / heads),
    ffnHidden: int('intermediate_size'),
    mlp: modelType.startsWith('gemma') ? 'geglu' : 'swiglu',
    tiedEmbeddings: bool('tie_word_embeddings', tiedByDefault(modelType)),
    positionEmbedding: 'rope',
    bias: qkvBias ? 'qkv' : 'none',
    norm: modelType === 'olmo' ? 'layernorm' : 'rmsnorm',
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
