/**
 * A stated standard shape for a bare parameter count (`gpucost memory --params 70B`): memory needs
 * layers and widths, which a count alone does not give. The shape is Llama 2's (Touvron et al. 2023,
 * "Llama 2", https://arxiv.org/abs/2307.09288, Table 1 and the Llama 1 paper's §2.2: RMSNorm, rotary
 * positions, SwiGLU of width 2/3·4·d rounded up to a multiple of 256, 128-wide heads, untied
 * embeddings, 32,000-token vocabulary, 4,096 context), with the hidden size 128 × the layers, the
 * ratio of Llama 2 7B (4096 ÷ 32) and 13B (5120 ÷ 40); the layer count is the one whose model comes
 * nearest the count asked for.
 */
import { paramCounts } from '../core/params.js';
import type { ModelArch } from '../core/types.js';
import { formatQuantity } from '../core/quantity.js';
import { ARCH_OVERRIDE_KEYS, LLAMA_STYLE_DEFAULT_ARCH } from './arch-overrides.js';
import type { EstimateRequest } from './estimate.js';

/** Hidden size per layer in Llama 2 7B and 13B. */
const WIDTH_PER_LAYER = 128;
const HEAD_DIM = 128;
/** SwiGLU hidden width is rounded up to a multiple of this (Llama's `multiple_of`). */
const FFN_MULTIPLE = 256;
const MAX_LAYERS = 400;

export interface StandardShape {
  arch: ModelArch;
  /** The shape's own parameter count (near, not equal to, the count asked for). */
  params: number;
  /** One sentence for the assumptions: what was assumed and why. */
  note: string;
}

/** The Llama 2-shaped model of `layers` layers. */
function shapeOf(layers: number): ModelArch {
  const dModel = WIDTH_PER_LAYER * layers;
  const heads = dModel / HEAD_DIM;
  const ffnHidden = Math.ceil(((2 / 3) * 4 * dModel) / FFN_MULTIPLE) * FFN_MULTIPLE;
  return { ...LLAMA_STYLE_DEFAULT_ARCH, layers, dModel, heads, kvHeads: heads, dHead: HEAD_DIM, ffnHidden };
}

export function standardShape(params: number): StandardShape {
  let best = shapeOf(1);
  let total = paramCounts(best).total;
  for (let layers = 2; layers <= MAX_LAYERS; layers++) {
    const a = shapeOf(layers);
    const count = paramCounts(a).total;
    if (Math.abs(count - params) < Math.abs(total - params)) [best, total] = [a, count];
  }
  return {
    arch: best,
    params: total,
    note: `--params ${formatQuantity(params)} gives no architecture, so memory assumes Llama 2's shape at that size: ${best.layers} layers × ${best.dModel} wide (128 × the layers, as Llama 2 7B and 13B), SwiGLU ${best.ffnHidden}, ${best.heads} heads, ${best.vocab}-token vocabulary, ${best.seqLen} context: ${formatQuantity(total)} parameters; give --model or --layers and --d-model for your own`,
  };
}

/**
 * A bare --params has no layers or widths to hold in memory (`gpucost memory --params 70B`): the
 * request with Llama 2's shape at that size as its model, named as such in the model and the
 * assumptions. A request with a model, or architecture flags of its own, is returned as it is.
 */
export function withStandardShape(req: EstimateRequest): EstimateRequest {
  const bare = req.params !== undefined && req.model === undefined && req.customModel === undefined;
  if (!bare || ARCH_OVERRIDE_KEYS.some((k) => req[k] !== undefined)) return req;
  const { params, ...rest } = req;
  const shape = standardShape(params as number);
  return {
    ...rest,
    customModel: {
      name: `${formatQuantity(params as number)} model (standard shape)`,
      arch: shape.arch,
      origin: 'standard shape for --params',
      notes: [shape.note],
    },
  };
}
