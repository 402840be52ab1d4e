/** Conversions from preset records (units as written in YAML) to the core's types. */
import type { Precision } from '../core/enums.js';
import type { ModelArch } from '../core/types.js';
import type { GpuPreset, ModelPreset } from './schema.js';

type ArchitectureInput = ModelPreset['architecture'];

/** The core architecture of a model preset, defaults filled in (kvHeads = heads, dHead = dModel/heads). */
export function modelArch(m: Pick<ModelPreset, 'architecture'>): ModelArch {
  return archFromInput(m.architecture);
}

export function archFromInput(a: ArchitectureInput): ModelArch {
  const arch: ModelArch = {
    layers: a.layers,
    dModel: a.dModel,
    heads: a.heads,
    kvHeads: a.kvHeads ?? a.heads,
    dHead: a.dHead ?? a.dModel / a.heads,
    ffnHidden: a.ffnHidden,
    mlp: a.mlp,
    vocab: a.vocab,
    seqLen: a.seqLen,
    tiedEmbeddings: a.tiedEmbeddings,
    positionEmbedding: a.positionEmbedding,
    bias: a.bias,
    norm: a.norm,
  };
  if (a.moe) {
    arch.moe = {
      experts: a.moe.experts,
      expertsPerToken: a.moe.expertsPerToken,
      sharedExperts: a.moe.sharedExperts,
      expertFfnHidden: a.moe.expertFfnHidden,
      sharedExpertFfnHidden: a.moe.sharedExpertFfnHidden ?? a.moe.expertFfnHidden,
      denseLayers: a.moe.denseLayers,
    };
    if (a.moe.moeEvery !== undefined) arch.moe.moeEvery = a.moe.moeEvery;
  }
  if (a.mla) arch.mla = { ...a.mla };
  if (a.slidingWindow) arch.slidingWindow = { tokens: a.slidingWindow.tokens, layers: a.slidingWindow.layers ?? a.layers };
  return arch;
}

/** Dense peak TFLOP/s of a GPU at a precision, or undefined where the GPU has no such unit. */
export function peakTflops(g: GpuPreset, precision: Precision): number | undefined {
  // The library takes precision as a string from its caller: a name from Object's prototype is no precision.
  return Object.hasOwn(g.denseTflops, precision) ? g.denseTflops[precision] : undefined;
}

/** bf16 when the GPU has it, else fp16 (V100, T4 have no bf16 tensor cores). */
export function defaultPrecision(g: GpuPreset): Precision {
  return g.denseTflops.bf16 !== undefined ? 'bf16' : 'fp16';
}
