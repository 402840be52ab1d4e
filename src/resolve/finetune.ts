/**
 * Fine-tuning as a request resolves it: the mode, the adapters' rank and targets, how the frozen base
 * is stored, and what that means for FLOPs (fewer: no weight gradients for the base) and memory
 * (only the adapters carry gradients and optimizer state). Full fine-tuning is training.
 */
import {
  type BaseQuant,
  DEFAULT_LORA_RANK,
  DEFAULT_LORA_TARGETS,
  type FinetuneMode,
  type LoraTargets,
  type FinetuneOptimizer,
  OPTIMIZER_BYTES_PER_TRAINABLE,
  activeLoraParams,
  baseBytesPerWeight,
  loraDropoutBytesPerToken,
  loraParams,
  PEFT_PREPARED_ACTIVATION_BYTES,
  quantizedInputBytesPerToken,
} from '../core/finetune.js';
import { FP8_PARAM_BYTES, type MemoryOptions, WEIGHT_BYTES } from '../core/memory.js';
import type { FrozenBase } from '../core/perf.js';
import { embeddingParams, paramCounts } from '../core/params.js';
import type { ModelArch } from '../core/types.js';
import { GpucostError } from '../errors.js';
import { flagName } from './arch-overrides.js';

export interface FinetuneRequest {
  /** --finetune full|lora|qlora */
  finetune?: FinetuneMode;
  loraRank?: number;
  loraTargets?: LoraTargets;
  /** --lora-dropout p: PEFT's dropout on each adapter's input (default 0, PEFT's and torchtune's). */
  loraDropout?: number;
  /** --quant nf4|int8: how QLoRA stores the frozen base (default nf4). */
  quant?: BaseQuant;
  /** --bnb-legacy: bitsandbytes before 0.43.2, whose 4-bit layers keep their 16-bit inputs (QLoRA only). */
  bnbLegacy?: boolean;
  /**
   * --peft-prepare / --no-peft-prepare: QLoRA through PEFT's prepare_model_for_kbit_training, whose
   * fp32 norms make the activations 32-bit. Default on for QLoRA: the QLoRA authors' script and TRL's
   * SFTTrainer prepare the model so (QLORA_PREPARES_WITH_PEFT).
   */
  peftPrepare?: boolean;
  /** --optimizer adamw|adamw-8bit|paged-adamw|adamw-bf16 (default: paged-adamw for QLoRA, as its recipe; else adamw). */
  optimizer?: FinetuneOptimizer;
  /** --examples N --avg-len L --epochs E: the tokens of a fine-tuning dataset. */
  examples?: number;
  /** --dataset-tokens T --epochs E: the dataset counted in tokens, one pass. */
  datasetTokens?: number;
  avgLen?: number;
  epochs?: number;
  /** --padded: each example padded to --seq-len (default: packed into --seq-len sequences, or one of --avg-len). */
  padded?: boolean;
}

export interface ResolvedFinetune {
  mode: FinetuneMode;
  optimizer: FinetuneOptimizer;
  /** What the memory model holds per GPU. */
  memory: NonNullable<MemoryOptions['finetune']>;
  /** Null for full fine-tuning. */
  adapters: {
    rank: number;
    targets: LoraTargets;
    /** All trainable adapter parameters, and those a token passes through (MoE: its experts'). */
    params: number;
    activeParams: number;
    /** PEFT's dropout on each adapter's input (0: none). */
    dropout: number;
    /** How the frozen base is stored: bf16 for LoRA (fp8 with --fp8-params), nf4 or int8 for QLoRA. */
    base: 'bf16' | 'fp8' | BaseQuant;
    /** Bytes per base weight averaged over the model (QLoRA leaves the embedding and output head in 16 bits). */
    baseWeightBytes: number;
    /** bitsandbytes before 0.43.2: each 4-bit layer keeps its 16-bit input for the backward. */
    bnbLegacy: boolean;
    /** PEFT's prepare_model_for_kbit_training: norms in fp32, activations 32-bit (PEFT_PREPARED_ACTIVATION_BYTES). */
    peftPrepare: boolean;
    /** Adapters ÷ all parameters: the share that carries gradients and optimizer state. */
    trainableShare: number;
  } | null;
}

/**
 * Whether QLoRA's base is prepared by PEFT's prepare_model_for_kbit_training unless told otherwise:
 * yes, as the QLoRA recipe gpucost's QLoRA defaults follow does it (qlora.py calls it and keeps the
 * norms in fp32, https://github.com/artidoro/qlora/blob/7f4e95a68dc076bea9b3a413d2b512eca6d004e5/qlora.py),
 * and so does TRL's SFTTrainer for a 4- or 8-bit model (trl v0.13.0, trl/trainer/sft_trainer.py).
 * torchtune, LitGPT, ms-swift and Unsloth do not: --no-peft-prepare.
 */
export const QLORA_PREPARES_WITH_PEFT = true;

/** The flags that describe adapters and a quantized base: they need LoRA or QLoRA. */
const ADAPTER_KEYS = ['loraRank', 'loraTargets', 'loraDropout', 'quant', 'bnbLegacy', 'peftPrepare'] as const;

/** `fp8Params` is the layout's --fp8-params (LayoutRequest in resolve/estimate.ts), which under LoRA holds the frozen base in FP8. */
export function resolveFinetune(req: FinetuneRequest & { fp8Params?: boolean }, arch: ModelArch | undefined): ResolvedFinetune | null {
  const mode = req.finetune;
  if (mode === undefined) {
    refuseStrayFlags(req);
    return null;
  }
  const optimizer = req.optimizer ?? (mode === 'qlora' ? 'paged-adamw' : 'adamw');
  const optimizerBytesPerTrainable = OPTIMIZER_BYTES_PER_TRAINABLE[optimizer];
  refuseFp8Params(req, mode);
  if (mode === 'full') {
    if (ADAPTER_KEYS.some((k) => req[k] !== undefined)) {
      const names = ADAPTER_KEYS.map(flagName);
      throw new GpucostError(
        'E_USAGE',
        `${names.slice(0, -1).join(', ')} and ${names.at(-1)} apply to --finetune lora or qlora`,
        'full fine-tuning trains every weight',
      );
    }
    return { mode, optimizer, memory: { baseWeightBytes: 0, trainableShare: 1, optimizerBytesPerTrainable }, adapters: null };
  }
  if (!arch)
    throw new GpucostError(
      'E_INPUT',
      `--finetune ${mode} needs the model's architecture to place its adapters`,
      'give --model (a preset or config.json) or --layers and --d-model',
    );
  refuseQuantFlags(req, mode);
  const rank = req.loraRank ?? DEFAULT_LORA_RANK;
  const targets = req.loraTargets ?? DEFAULT_LORA_TARGETS;
  const params = loraParams(arch, rank, targets);
  const total = paramCounts(arch).total;
  const base = mode === 'qlora' ? (req.quant ?? 'nf4') : req.fp8Params ? 'fp8' : 'bf16';
  // bitsandbytes quantises the transformer's linear layers, and Transformer Engine's fp8_model_init
  // builds them in FP8; either way the embedding and output head stay in 16 bits.
  const embedding = embeddingParams(arch);
  const baseWeightBytes = base === 'bf16' ? WEIGHT_BYTES : ((total - embedding) * linearBaseBytes(base) + embedding * WEIGHT_BYTES) / total;
  const trainableShare = params / total;
  const activeParams = activeLoraParams(arch, rank, targets);
  const dropout = req.loraDropout ?? 0;
  if (!(dropout >= 0 && dropout < 1))
    throw new GpucostError('E_USAGE', `--lora-dropout ${dropout}: a probability from 0 up to (not including) 1`, 'e.g. --lora-dropout 0.05');
  const peftPrepare = mode === 'qlora' && (req.peftPrepare ?? QLORA_PREPARES_WITH_PEFT);
  const activationElementBytes = peftPrepare ? PEFT_PREPARED_ACTIVATION_BYTES : undefined;
  const dropoutBytesPerToken = loraDropoutBytesPerToken(arch, targets, dropout, activationElementBytes);
  const bnbLegacy = mode === 'qlora' && req.bnbLegacy === true;
  return {
    mode,
    optimizer,
    memory: {
      baseWeightBytes,
      trainableShare,
      optimizerBytesPerTrainable,
      ...(dropoutBytesPerToken > 0 ? { dropoutBytesPerToken } : {}),
      ...(bnbLegacy ? { quantizedInputBytesPerToken: quantizedInputBytesPerToken(arch) } : {}),
      ...(activationElementBytes !== undefined ? { activationElementBytes } : {}),
      trainedLinears: { attention: targets !== 'mlp', mlp: targets !== 'attn' },
    },
    adapters: { rank, targets, dropout, params, activeParams, base, baseWeightBytes, trainableShare, bnbLegacy, peftPrepare },
  };
}

/** Bytes per stored weight of the frozen base's linear layers. */
function linearBaseBytes(base: 'bf16' | 'fp8' | BaseQuant): number {
  return base === 'bf16' ? WEIGHT_BYTES : base === 'fp8' ? FP8_PARAM_BYTES : baseBytesPerWeight(base);
}

/**
 * --fp8-params with fine-tuning is modelled for LoRA's frozen base only: QLoRA's base is already
 * stored in 4 or 8 bits (--quant), and full fine-tuning's weights train, which gpucost times and
 * holds in memory as pre-training without --fp8-params.
 */
function refuseFp8Params(req: { fp8Params?: boolean }, mode: FinetuneMode): void {
  if (!req.fp8Params || mode === 'lora') return;
  throw new GpucostError(
    'E_USAGE',
    mode === 'qlora'
      ? '--fp8-params with --finetune qlora: the QLoRA base is already stored in 4 or 8 bits (--quant)'
      : '--fp8-params with --finetune full is not modelled: with --finetune it holds a LoRA base in FP8',
    mode === 'qlora' ? 'leave out --fp8-params, or use --finetune lora for an FP8 base' : 'leave out --fp8-params, or use --finetune lora',
  );
}

/** Without --finetune, the flags that describe one have nothing to act on. */
function refuseStrayFlags(req: FinetuneRequest): void {
  const stray = ([...ADAPTER_KEYS, 'optimizer'] as const).filter((k) => req[k] !== undefined);
  if (stray.length)
    throw new GpucostError(
      'E_USAGE',
      `${stray.map(flagName).join(', ')} ${stray.length === 1 ? 'needs' : 'need'} --finetune lora or qlora`,
      'add --finetune lora or --finetune qlora',
    );
}

/**
 * LoRA keeps a 16-bit base, so the flags that describe a quantized one are refused; --bnb-legacy
 * describes bitsandbytes' 4-bit layers, whose 8-bit ones keep their inputs in every version
 * (MatMul8bitLt), which gpucost does not model.
 */
function refuseQuantFlags(req: FinetuneRequest, mode: 'lora' | 'qlora'): void {
  if (mode === 'lora' && req.quant !== undefined)
    throw new GpucostError('E_USAGE', '--quant applies to --finetune qlora only', 'use --finetune qlora, or leave out --quant');
  if (mode === 'lora' && req.bnbLegacy !== undefined)
    throw new GpucostError('E_USAGE', '--bnb-legacy applies to --finetune qlora only', 'LoRA keeps a 16-bit base; leave out --bnb-legacy');
  if (mode === 'lora' && req.peftPrepare !== undefined)
    throw new GpucostError(
      'E_USAGE',
      `--${req.peftPrepare ? '' : 'no-'}peft-prepare applies to --finetune qlora only`,
      'prepare_model_for_kbit_training prepares a 4- or 8-bit base; leave it out',
    );
  if (req.bnbLegacy && req.quant === 'int8')
    throw new GpucostError(
      'E_USAGE',
      "--bnb-legacy describes bitsandbytes' 4-bit layers (--quant nf4)",
      'its 8-bit layers keep their inputs in every version, which gpucost does not model; leave out --bnb-legacy',
    );
}

/** What the step-time model times for LoRA and QLoRA (core/perf.ts FrozenBase), from the adapters. */
export function frozenBaseOf(adapters: NonNullable<ResolvedFinetune['adapters']>): FrozenBase {
  const { rank, targets, base, trainableShare, activeParams, peftPrepare } = adapters;
  return {
    rank,
    targets,
    linearWeightBytes: linearBaseBytes(base),
    // An FP8 base under FP8 training is what the GEMMs read: nothing to dequantise.
    ...(base === 'fp8' ? { readsStored: true } : {}),
    trainableShare,
    adapterParamsPerToken: activeParams,
    ...(peftPrepare ? { activationElementBytes: PEFT_PREPARED_ACTIVATION_BYTES } : {}),
  };
}

/**
 * The tokens the GPUs process for `--examples N --avg-len L [--epochs E]`, and how they were counted;
 * undefined when the data is not given that way. Without --seq-len each example is one sequence of
 * about L tokens; with it the examples are packed into sequences of that length, or, with --padded,
 * each is padded to it, and the padding is computed as if it were data.
 */
export function datasetTokens(
  req: FinetuneRequest & { seqLen?: number; origins?: Partial<Record<string, string>> },
): { tokens: number; origin: string } | undefined {
  if (req.datasetTokens !== undefined) return datasetTokensGiven(req, req.datasetTokens);
  if (req.examples === undefined && req.avgLen === undefined) {
    if (req.padded)
      throw new GpucostError('E_USAGE', '--padded needs the dataset as --examples and --avg-len', 'e.g. --examples 50k --avg-len 512 --seq-len 2048 --padded');
    return undefined;
  }
  if (req.examples === undefined || req.avgLen === undefined) {
    throw new GpucostError('E_USAGE', '--examples and --avg-len go together', 'give both: --examples 50k --avg-len 512 (and --epochs)');
  }
  const epochs = req.epochs ?? 1;
  const data = `--examples ${req.examples} × --avg-len ${req.avgLen} × --epochs ${epochs}`;
  const seqLen = req.origins?.seqLen === SEQ_LEN_FROM_AVG_LEN ? undefined : req.seqLen;
  if (req.padded) {
    if (seqLen === undefined)
      throw new GpucostError('E_USAGE', '--padded needs --seq-len, the length each example is padded to', 'e.g. --seq-len 2048 --padded');
    if (seqLen < req.avgLen)
      throw new GpucostError('E_USAGE', `--seq-len ${seqLen} is shorter than --avg-len ${req.avgLen}`, 'pad to a length at least the average example');
    const padding = 1 - req.avgLen / seqLen;
    return {
      tokens: req.examples * seqLen * epochs,
      origin: `--examples ${req.examples} × --seq-len ${seqLen} × --epochs ${epochs}: each example of about ${req.avgLen} tokens padded to ${seqLen} (${(padding * 100).toFixed(0)}% padding, computed as data)`,
    };
  }
  const tokens = req.examples * req.avgLen * epochs;
  return { tokens, origin: seqLen === undefined ? `${data} (each example one sequence)` : `${data}, packed into sequences of --seq-len ${seqLen}` };
}

/** `--dataset-tokens T [--epochs E]`: T × E tokens, packed into sequences; the examples' lengths are not known, so no padding. */
function datasetTokensGiven(req: FinetuneRequest & { seqLen?: number }, tokens: number): { tokens: number; origin: string } {
  if (req.examples !== undefined || req.avgLen !== undefined) {
    throw new GpucostError(
      'E_USAGE',
      '--dataset-tokens and --examples/--avg-len both describe the dataset',
      'give one: --dataset-tokens 100M, or --examples 50k --avg-len 512',
    );
  }
  if (req.padded) {
    throw new GpucostError(
      'E_USAGE',
      '--padded needs the dataset as --examples and --avg-len',
      "padding depends on each example's length; --dataset-tokens packs",
    );
  }
  const epochs = req.epochs ?? 1;
  return { tokens: tokens * epochs, origin: `--dataset-tokens ${tokens} × --epochs ${epochs}, packed into training sequences` };
}

/**
 * Sequences per optimizer step when fine-tuning without --global-batch: 16, the batch of the QLoRA
 * authors' Guanaco scripts (4 per device × 4 accumulation steps; artidoro/qlora,
 * scripts/finetune_guanaco_65b.sh, https://github.com/artidoro/qlora).
 */
export const FINETUNE_GLOBAL_BATCH = 16;
export const FINETUNE_GLOBAL_BATCH_ORIGIN = "default for fine-tuning: 16 sequences (the QLoRA authors' Guanaco scripts)";

/**
 * Tokens per sequence of a fine-tune that gives neither --seq-len nor --avg-len: TRL's SFTTrainer packs
 * or truncates to 1,024 tokens unless told otherwise (trl v0.13.0, trl/trainer/sft_trainer.py,
 * `max_seq_length = min(tokenizer.model_max_length, 1024)` when unset,
 * https://github.com/huggingface/trl/blob/v0.13.0/trl/trainer/sft_trainer.py), rather than the
 * model's pre-training context (8,192 for Llama 3), which would hold eight times the activations.
 * A model trained on shorter sequences keeps its own length.
 */
export const FINETUNE_DEFAULT_SEQ_LEN = 1024;
export const FINETUNE_SEQ_LEN_ORIGIN = "default for fine-tuning: 1,024 tokens, TRL's SFTTrainer default (--seq-len or --avg-len to set it)";

/**
 * With --avg-len and no --seq-len, each example is one sequence of about that length (no packing):
 * the activations and steps are those of --avg-len tokens, not of the model's pre-training context.
 */
export function finetuneSeqLen<T extends FinetuneRequest & { seqLen?: number; origins?: Partial<Record<string, string>> }>(req: T): T {
  if (req.finetune === undefined || req.seqLen !== undefined || req.avgLen === undefined) return req;
  return { ...req, seqLen: Math.max(1, Math.ceil(req.avgLen)), origins: { ...req.origins, seqLen: SEQ_LEN_FROM_AVG_LEN } };
}

/** The origin of a sequence length set by --avg-len: the model is not modified, its examples are that long. */
export const SEQ_LEN_FROM_AVG_LEN = 'flag --avg-len (one example per sequence)';
