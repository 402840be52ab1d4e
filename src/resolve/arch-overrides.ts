/**
 * Architecture flags (--layers, --d-model, …): the defaults a model described only by flags starts
 * from, and how the flags modify a preset's architecture. Pure.
 */
import type { MlpKind } from '../core/enums.js';
import { isGatedMlp, moeLayerCount } from '../core/params.js';
import type { ModelArch, MoeShape } from '../core/types.js';
import { GpucostError } from '../errors.js';

/** Architecture flags (--layers, --d-model, …): they override a preset's architecture or build one. */
export interface ArchOverrides {
  layers?: number;
  dModel?: number;
  heads?: number;
  kvHeads?: number;
  dHead?: number;
  ffn?: number;
  seqLen?: number;
  vocab?: number;
  mlp?: MlpKind;
  /** Routed experts per MoE layer (--experts). */
  experts?: number;
  /** Routed experts per token (--top-k). */
  topK?: number;
  /** Hidden width of one routed expert (--expert-ffn). */
  expertFfn?: number;
  /** Shared experts every token visits (--shared-experts). */
  sharedExperts?: number;
  /** Leading dense layers (--dense-layers). */
  denseLayers?: number;
  /** Every n-th layer after the dense ones is MoE (--moe-every). */
  moeEvery?: number;
  /** Positions a query attends in the windowed layers (--sliding-window). */
  slidingWindow?: number;
  /** Layers that use the window (--sliding-layers; default all). */
  slidingLayers?: number;
}
export const ARCH_OVERRIDE_KEYS = [
  'layers',
  'dModel',
  'heads',
  'kvHeads',
  'dHead',
  'ffn',
  'seqLen',
  'vocab',
  'mlp',
  'experts',
  'topK',
  'expertFfn',
  'sharedExperts',
  'denseLayers',
  'moeEvery',
  'slidingWindow',
  'slidingLayers',
] as const;
const MOE_OVERRIDE_KEYS = ['experts', 'topK', 'expertFfn', 'sharedExperts', 'denseLayers', 'moeEvery'] as const;

/**
 * Architecture defaults when flags describe a model without a preset: a GPT-3-style decoder (Brown et
 * et al. 2020, Table 2.1 conventions: d_ff = 4·d_model, d_head 128, GPT-2 vocabulary, 2048 context).
 */
export const GPT_STYLE_DEFAULT_ARCH: ModelArch = {
  layers: 24,
  dModel: 2048,
  heads: 16,
  kvHeads: 16,
  dHead: 128,
  ffnHidden: 8192,
  mlp: 'gelu',
  vocab: 50257,
  seqLen: 2048,
  tiedEmbeddings: true,
  positionEmbedding: 'learned',
  bias: 'all',
  norm: 'layernorm',
};
/**
 * Defaults for a gated-MLP model described by flags: a Llama-style decoder (Touvron et al. 2023,
 * "Llama 2", https://arxiv.org/abs/2307.09288: RMSNorm, rotary positions, no biases, untied output
 * head, 32,000-token vocabulary, 4096 context).
 */
export const LLAMA_STYLE_DEFAULT_ARCH: ModelArch = {
  ...GPT_STYLE_DEFAULT_ARCH,
  mlp: 'swiglu',
  vocab: 32000,
  seqLen: 4096,
  tiedEmbeddings: false,
  positionEmbedding: 'rope',
  bias: 'none',
  norm: 'rmsnorm',
};
const DEFAULT_HEAD_DIM = 128;
const GPT_FFN_MULTIPLE = 4;

/** Applies --layers/--d-model/… to an architecture, deriving dependent widths that were not given. */
export function applyArchOverrides(base: ModelArch, o: ArchOverrides, notes: string[], fromDefaults: boolean): ModelArch {
  const a: ModelArch = { ...base };
  if (o.layers !== undefined) a.layers = o.layers;
  if (o.dModel !== undefined) a.dModel = o.dModel;
  if (o.vocab !== undefined) a.vocab = o.vocab;
  if (o.seqLen !== undefined) a.seqLen = o.seqLen;
  if (o.mlp !== undefined) a.mlp = o.mlp;
  if (o.heads !== undefined) a.heads = o.heads;
  else if (o.dModel !== undefined) a.heads = Math.max(1, Math.round(a.dModel / (o.dHead ?? DEFAULT_HEAD_DIM)));
  a.dHead = o.dHead ?? (o.heads !== undefined || o.dModel !== undefined ? a.dModel / a.heads : a.dHead);
  a.kvHeads = o.kvHeads ?? (o.heads !== undefined || o.dModel !== undefined ? a.heads : a.kvHeads);
  a.ffnHidden = o.ffn ?? (o.dModel !== undefined ? GPT_FFN_MULTIPLE * a.dModel : a.ffnHidden);
  applyWindowOverrides(a, o);
  const moe = applyMoeOverrides(a, o);
  if (moe) a.moe = moe;
  // Without MoE flags the model's expert layout is kept as it is, and fewer --layers can leave it no MoE layer.
  else if (a.moe && o.layers !== undefined) checkLayersKeepMoe(a.moe, a.layers);
  if (a.heads % a.kvHeads !== 0) {
    throw new GpucostError('E_INPUT', `--kv-heads ${a.kvHeads} must divide the ${a.heads} attention heads`);
  }
  if (!Number.isInteger(a.dHead)) {
    throw new GpucostError('E_INPUT', `d_model ${a.dModel} is not divisible by ${a.heads} heads`, 'give --d-head, or a head count that divides --d-model');
  }
  if (fromDefaults) {
    const defaulted = (['layers', 'dModel', 'vocab', 'seqLen'] as const).filter((k) => o[k] === undefined);
    const style = isGatedMlp(a.mlp) ? 'Llama-style (RMSNorm, rotary, no biases, untied head)' : 'GPT-3-style (LayerNorm, learned positions, biases, tied head)';
    notes.push(`a ${style} decoder${defaulted.length ? `, with default ${defaulted.map(flagName).join(', ')}` : ''}`);
  }
  return a;
}

/**
 * --sliding-window W gives the model a window of W positions on every layer, or on --sliding-layers
 * of them; --sliding-layers alone changes how many layers use the model's own window. Fewer --layers
 * keep at most that many windowed.
 */
function applyWindowOverrides(a: ModelArch, o: ArchOverrides): void {
  if (o.slidingWindow === undefined && o.slidingLayers === undefined) {
    if (a.slidingWindow && a.slidingWindow.layers > a.layers) a.slidingWindow = { ...a.slidingWindow, layers: a.layers };
    return;
  }
  const tokens = o.slidingWindow ?? a.slidingWindow?.tokens;
  if (tokens === undefined) throw new GpucostError('E_INPUT', '--sliding-layers needs a window, and this model has none', 'add --sliding-window W');
  const layers = o.slidingLayers ?? (o.slidingWindow !== undefined ? a.layers : (a.slidingWindow?.layers ?? a.layers));
  if (layers > a.layers) {
    throw new GpucostError('E_INPUT', `--sliding-layers ${layers} is more than the model's ${a.layers} layers`, `give --sliding-layers at most ${a.layers}`);
  }
  a.slidingWindow = { tokens, layers };
}

/**
 * The MoE flags over the architecture's MoE shape, or a new one for a dense model: --experts is then
 * required, top-k defaults to 1 (Switch Transformer routing, Fedus et al. 2021,
 * https://arxiv.org/abs/2101.03961) and the expert width to the dense MLP's (Mixtral's experts have
 * the width of Mistral 7B's MLP: Jiang et al. 2024, https://arxiv.org/abs/2401.04088). Undefined when no
 * MoE flag is given.
 */
function applyMoeOverrides(a: ModelArch, o: ArchOverrides): MoeShape | undefined {
  const given = MOE_OVERRIDE_KEYS.filter((k) => o[k] !== undefined);
  if (given.length === 0) return undefined;
  if (!a.moe && o.experts === undefined) {
    throw new GpucostError(
      'E_INPUT',
      `${given.map(flagName).join(', ')} ${given.length === 1 ? 'needs' : 'need'} a mixture of experts, and this model is dense`,
      'add --experts N to make it one',
    );
  }
  const base: MoeShape = a.moe ?? {
    experts: 1,
    expertsPerToken: 1,
    sharedExperts: 0,
    expertFfnHidden: a.ffnHidden,
    sharedExpertFfnHidden: a.ffnHidden,
    denseLayers: 0,
  };
  const moe: MoeShape = {
    ...base,
    experts: o.experts ?? base.experts,
    expertsPerToken: o.topK ?? base.expertsPerToken,
    expertFfnHidden: o.expertFfn ?? base.expertFfnHidden,
    sharedExperts: o.sharedExperts ?? base.sharedExperts,
    denseLayers: o.denseLayers ?? base.denseLayers,
  };
  // A shared expert keeps its own width (Qwen2-MoE) unless the model had none or its width followed the experts'.
  if (o.expertFfn !== undefined && (base.sharedExperts === 0 || base.sharedExpertFfnHidden === base.expertFfnHidden)) moe.sharedExpertFfnHidden = o.expertFfn;
  if (o.moeEvery !== undefined) moe.moeEvery = o.moeEvery;
  checkMoe(moe, a.layers);
  return moe;
}

function checkMoe(moe: MoeShape, layers: number): void {
  if (moe.expertsPerToken > moe.experts) {
    throw new GpucostError('E_INPUT', `--top-k ${moe.expertsPerToken} is more than the ${moe.experts} experts`, 'give --top-k at most --experts');
  }
  if (moe.denseLayers >= layers) {
    throw new GpucostError('E_INPUT', `--dense-layers ${moe.denseLayers} leaves no MoE layer of the ${layers}`, `give --dense-layers below ${layers}`);
  }
  if (moeLayerCount({ layers, moe }) === 0) {
    throw new GpucostError(
      'E_INPUT',
      `--moe-every ${moe.moeEvery} leaves no MoE layer of the ${layers - moe.denseLayers} after the dense ones`,
      'give a smaller --moe-every',
    );
  }
}

function checkLayersKeepMoe(moe: MoeShape, layers: number): void {
  const every = moe.moeEvery ?? 1;
  if (moeLayerCount({ layers, moe }) > 0) return;
  const shape = `${moe.denseLayers} dense layer${moe.denseLayers === 1 ? '' : 's'} first${every > 1 ? `, then one MoE layer in ${every}` : ''}`;
  throw new GpucostError(
    'E_INPUT',
    `--layers ${layers} leaves no MoE layer: the model has ${shape}`,
    'give more --layers, or set --dense-layers and --moe-every',
  );
}

export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
