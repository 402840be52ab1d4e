/**
 * The dense families after Llama whose config.json needs more than the Llama reading: Qwen3, Gemma
 * 2 and 3, Phi-3, OLMo and OLMo 2. What each leaves to its transformers configuration class
 * (Qwen3Config, Gemma2Config, Gemma3TextConfig, Phi3Config, OlmoConfig, Olmo2Config) is filled in
 * here from that class's defaults, and what the parameter count leaves out is said in a note.
 */
import type { SlidingWindow } from '../core/types.js';
import type { FieldReader } from './hf-moe.js';

/**
 * Defaults of the transformers configuration class, for fields a published config.json omits.
 * Qwen3 and the Gemmas give head_dim its own default instead of hidden_size / heads; Gemma 3's
 * multimodal checkpoints write only what differs from Gemma3TextConfig into `text_config` (the 12B
 * and 27B files have no vocab_size or head_dim, the 4B file no head counts).
 */
const CLASS_DEFAULTS: Record<string, Record<string, number>> = {
  qwen3: { head_dim: 128 },
  gemma: { head_dim: 256 },
  gemma2: { head_dim: 256 },
  gemma3_text: { head_dim: 256, vocab_size: 262208, num_attention_heads: 8, num_key_value_heads: 4, max_position_embeddings: 131072 },
};

/** Model types whose output head is tied to the embedding unless the config says otherwise. */
const TIED_BY_DEFAULT = new Set(['gemma', 'gemma2', 'gemma3', 'gemma3_text']);

export function tiedByDefault(type: string): boolean {
  return TIED_BY_DEFAULT.has(type);
}

/** Gemma 3's multimodal config reads its language model from text_config, as a gemma3_text config. */
function defaultsFor(type: string): Record<string, number> | undefined {
  return CLASS_DEFAULTS[type === 'gemma3' ? 'gemma3_text' : type];
}

/** The reader with the class defaults behind it (a defaulted field counts as present); each default used is noted. */
export function withClassDefaults(read: FieldReader, notes: string[]): FieldReader {
  const defaults = defaultsFor(read.type);
  if (!defaults) return read;
  const used = new Set<string>();
  return {
    ...read,
    has: (key) => read.has(key) || defaults[key] !== undefined,
    int(key, fallback) {
      const d = defaults[key];
      if (d === undefined || read.has(key)) return read.int(key, fallback);
      if (!used.has(key)) {
        used.add(key);
        notes.push(`${key} absent: ${d}, the ${read.type === 'gemma3' ? 'gemma3_text' : read.type} default`);
      }
      return d;
    },
  };
}

/**
 * What the count leaves out or the file leaves unsaid, per family. Every omission here is norm
 * gains or scalars: under 0.1% of the smallest published model of each family.
 */
export function denseFamilyNotes(read: FieldReader, dHead: number, notes: string[]): void {
  const { type, int } = read;
  if (type === 'qwen3') notes.push(`Qwen3: the per-head q/k RMSNorm gains (2 × head_dim = ${2 * dHead} per layer) are not counted`);
  if (type === 'gemma2' || type === 'gemma3' || type === 'gemma3_text') {
    notes.push('Gemma 2/3: RMSNorm before and after both attention and MLP; the two extra gains per layer (2 × hidden_size) are not counted');
  }
  if (type === 'gemma3' || type === 'gemma3_text') notes.push('Gemma 3: the per-head q/k RMSNorm gains (2 × head_dim per layer) are not counted');
  if (type === 'gemma3') notes.push('Gemma 3: the language model of text_config only; the SigLIP vision encoder and projector (about 0.4B) are not counted');
  if (type === 'phi3') notes.push('Phi-3: qkv_proj and gate_up_proj are fused matrices, counted as the separate projections they hold (same size)');
  if (type === 'olmo') {
    notes.push('OLMo: LayerNorm without gains or biases; the 2 × hidden_size counted per norm is not in the model (under 0.01%)');
  }
  if (type === 'olmo2') {
    const qk = int('num_attention_heads') * dHead + int('num_key_value_heads', int('num_attention_heads')) * dHead;
    notes.push(`OLMo 2: norms after attention and MLP, not before (same count); the q/k RMSNorm gains (${qk} per layer) are not counted`);
  }
}

/** Gemma 3's default: five sliding-window layers, then one global (Gemma3TextConfig.sliding_window_pattern). */
const GEMMA3_SLIDING_PATTERN = 6;

/**
 * The layers that attend through a sliding window, as transformers builds them: the entries of
 * `layer_types` marked sliding_attention where the file lists them (Olmo 3, gpt-oss, recent files);
 * else Gemma 2's every other layer (Gemma2DecoderLayer, is_sliding = not layer_idx % 2), Gemma 3's
 * all but every `sliding_window_pattern`-th, Qwen2 and Qwen3's layers from `max_window_layers` on
 * when use_sliding_window is set, and every layer otherwise (Mistral). Undefined without a window.
 */
export function slidingWindowOf(read: FieldReader, layers: number, notes: string[]): SlidingWindow | undefined {
  const tokens = read.bool('use_sliding_window', true) ? read.positive('sliding_window') : undefined;
  if (tokens === undefined) return undefined;
  const windowed = windowedLayers(read, layers);
  if (windowed <= 0) return undefined;
  notes.push(`sliding_window ${tokens} on ${windowed} of ${layers} layers: their attention FLOPs count the window, not the whole sequence`);
  return { tokens, layers: windowed };
}

function windowedLayers(read: FieldReader, layers: number): number {
  if (read.listLength('layer_types') > 0) return read.countOf('layer_types', 'sliding_attention');
  switch (read.type) {
    case 'gemma2':
      return Math.ceil(layers / 2);
    case 'gemma3':
    case 'gemma3_text':
      return layers - Math.floor(layers / read.int('sliding_window_pattern', GEMMA3_SLIDING_PATTERN));
    case 'qwen2':
    case 'qwen3':
    case 'qwen2_moe':
    case 'qwen3_moe':
      return layers - Math.min(layers, read.int('max_window_layers', layers));
    default:
      return layers;
  }
}
