/**
 * Resolution of estimate inputs: flags > scenario > model/GPU presets > defaults, recording where each
 * value came from. Pure: presets come in through a Registry, nothing is read from disk.
 */
import { type MeasuredRequest, measuredThroughput } from './measured.js';
import type { BestMeasuredMfu } from './best-mfu.js';
import { type KnownLimits, type PublishedRun, knownLimits, publishedRunFor } from './published.js';
import { DEFAULT_PERF_OPTIONS, type ExpertDispatcher, type PerfOptions, bucketElementsOfMib, flashKernelOf } from '../core/perf.js';
import { FP8_GAIN_OVER_BF16, MIN_RUNS_PER_GENERATION, PER_GENERATION, calibratedUtilization } from '../core/calibration.js';
import { CHINCHILLA_TOKENS_PER_PARAM } from '../core/constants.js';
import { type ActivationKernels, DEFAULT_ACTIVATION_KERNELS, FINETUNE_ACTIVATION_KERNELS, GRAD_BYTES_FP32, type LossKind } from '../core/memory.js';
import { type FlopsConvention, type LowPrecision, type PerfMode, type Precision, isLowPrecision } from '../core/enums.js';
import { FLOPS_CONVENTION_INFO } from '../core/flops.js';
import { isGatedMlp, paramCounts } from '../core/params.js';
import { perOpRecomputeModelled } from '../core/per-op-recompute.js';
import { type LayoutConstraints, MINIMUM_GPUS_BATCH_SLACK, candidatePlans } from '../core/layout-search.js';
import type { Recompute, ZeroStage } from '../core/parallel.js';
import type { ScalingChoice } from '../core/scaling.js';
import { impliedUtilization } from '../core/throughput.js';
import type { AttentionKernel, ModelArch, ParamCounts } from '../core/types.js';
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import type { Claim, ClusterPreset, GpuPreset, ModelPreset, RunInputs } from '../presets/schema.js';
import { defaultPrecision, modelArch, peakTflops } from '../presets/to-core.js';
import { DEFAULT_CONVENTION, DEFAULT_GPUS, defaultAttention } from './defaults.js';
import { defaultGlobalBatch, perfHardware } from './layout.js';
import { firstOf, r, type Resolved } from './origin.js';
import { type ArchOverrides, ARCH_OVERRIDE_KEYS, applyArchOverrides, flagName, GPT_STYLE_DEFAULT_ARCH, LLAMA_STYLE_DEFAULT_ARCH } from './arch-overrides.js';
import { resolveScenario } from './scenario.js';
import { capAtMeasured } from './measured-cap.js';
import type { ThroughputRange } from '../core/range.js';
import { type MoneyRequest, type ResolvedMoney, resolveMoney, resolveThroughputRange } from './money.js';
import {
  FINETUNE_GLOBAL_BATCH,
  FINETUNE_GLOBAL_BATCH_ORIGIN,
  type FinetuneRequest,
  type ResolvedFinetune,
  datasetTokens,
  FINETUNE_DEFAULT_SEQ_LEN,
  FINETUNE_SEQ_LEN_ORIGIN,
  finetuneSeqLen,
  frozenBaseOf,
  SEQ_LEN_FROM_AVG_LEN,
  resolveFinetune,
} from './finetune.js';

/** Where throughput comes from (re-exported for the CLI and the library). */
export { PERF_MODES, type PerfMode } from '../core/enums.js';

/** A model read from a file (a Hugging Face config.json) rather than a preset. */
export interface CustomModel {
  name: string;
  arch: ModelArch;
  origin: string;
  notes: string[];
}

/** Defined in core/scaling.ts next to the models it chooses between (core/parse.ts reads it); re-exported for existing importers. */
export type { ScalingChoice };

export function describeScaling(s: ScalingChoice): string {
  if (s.kind === 'efficiency') return `efficiency:${s.perDoubling}@${s.baseGpus}`;
  return s.kind;
}

/** Parallel-layout flags (--tp, --pp, …); the layout search fills in what is not given. */
export interface LayoutRequest {
  tp?: number;
  pp?: number;
  dp?: number;
  microBatch?: number;
  globalBatch?: number;
  zero?: ZeroStage;
  recompute?: Recompute;
  /** Model chunks per pipeline stage (interleaved schedule). */
  virtualStages?: number;
  /** Context-parallel size (--cp). */
  cp?: number;
  /** Expert-parallel size (--ep). */
  ep?: number;
  /** Overlap the expert-parallel all-to-all with computation (--moe-overlap: DualPipe, Megatron-Core's EP overlap). */
  moeOverlap?: boolean;
  /** Busiest expert's share of work over an even split (--expert-imbalance; a capacity factor when tokens are dropped). */
  expertImbalance?: number;
  /**
   * Token-dropping capacity factor (--capacity-factor): an expert takes at most this multiple of an even
   * share of tokens and drops the rest (Lepikhin et al. 2020, GShard, https://arxiv.org/abs/2006.16668, §2.2;
   * Fedus et al. 2021, Switch Transformers, https://arxiv.org/abs/2101.03961, §2.2), which caps the busiest rank.
   */
  capacityFactor?: number;
  /** How tokens reach their experts (--expert-dispatcher alltoall|deepep). */
  expertDispatcher?: ExpertDispatcher;
  /**
   * Keep the transformer layers' weights in FP8 (--fp8-params: Transformer Engine's fp8_model_init,
   * Megatron-Core's --fp8-param-gather); needs an FP8 precision. With --finetune lora, the frozen
   * base's linear layers in FP8 (FP8_PARAM_BYTES), the embedding and output head in 16 bits.
   */
  fp8Params?: boolean;
  /** Attention's matmuls in FP8 too (--fp8-attention; Transformer Engine's FP8 dot-product attention), with an FP8 precision. */
  fp8Attention?: boolean;
  /**
   * Gradients accumulated and reduced in FP32 (--grad-reduce-fp32): Megatron-LM's
   * accumulate_allreduce_grads_in_fp32, which its arguments.py turns on for every --bf16 run unless
   * --grad-reduce-in-bf16 is given, and NeMo's grad_reduce_in_fp32. GRAD_BYTES_FP32 a gradient, held
   * and sent; absent: 16 bits (ZeRO's accounting).
   */
  gradReduceFp32?: boolean;
  /** false: no Megatron sequence parallelism (--no-sequence-parallel). */
  sequenceParallel?: boolean;
  /**
   * --grad-bucket-mib: the data-parallel gradient bucket, MiB of 16-bit gradients, one collective
   * each (PyTorch DDP's and nanotron's bucket_cap_mb, 25 by default there); absent: Megatron-Core's
   * max(40M, 1M × DP) parameters. Only collectives across nodes are charged per call.
   */
  gradBucketMib?: number;
  cluster?: string;
  perf?: PerfMode;
  /** `lean`: skip the layout search and judge memory by the leanest layout (large sweeps). */
  layoutSearch?: 'full' | 'lean';
  /** Attention kernel of the training run (--attention); default: flash from Ampere on. */
  attention?: AttentionKernel;
  /** How the loss meets the logits (--loss); default: full. */
  loss?: LossKind;
  /** What the framework's kernels keep for the backward pass (--kernels eager|fused); default: eager with --finetune, fused otherwise (memoryChoices). */
  kernels?: ActivationKernels;
}

/** What the user asked for; every field optional. Numbers are already parsed. */
export interface EstimateRequest extends RunInputs, ArchOverrides, LayoutRequest, MoneyRequest, MeasuredRequest, FinetuneRequest {
  scaling?: ScalingChoice;
  /** Set by compare when several GPUs are compared: one utilisation for all, not one run's measurement. */
  ignoreScenarioThroughput?: string;
  /** "gpt3-article:A2", or a claim id of the default scenario ("A2"). */
  scenario?: string;
  customModel?: CustomModel;
  /** Remarks from the caller (e.g. what --gpu local detected), shown with the assumptions. */
  notes?: string[];
  /** Where a value came from when it was not a flag, by request key (e.g. { gpus: 'run file gpucost.yaml' }). */
  origins?: Partial<Record<string, string>>;
}

export interface ResolvedEstimate {
  model: { id: string | null; name: string; origin: string; arch?: ModelArch; preset?: ModelPreset };
  gpu: GpuPreset;
  gpus: Resolved<number>;
  tokens: Resolved<number>;
  /** Parameters used in FLOPs (active for MoE). */
  params: Resolved<number>;
  /** Total parameters (differs from params for MoE). */
  totalParams: number;
  precision: Resolved<Precision>;
  convention: Resolved<FlopsConvention>;
  peakTflops: number;
  /** Sustained TFLOP/s per GPU, in the convention's FLOPs. */
  tflopsPerGpu: Resolved<number>;
  /** Fraction of the dense peak that `tflopsPerGpu` represents. */
  utilization: Resolved<number>;
  price: Resolved<number | null>;
  /** Price source, energy, grid and reliability inputs (resolve/money.ts). */
  money: ResolvedMoney;
  /** Sustained TFLOP/s per GPU at the slow and fast ends of the estimate's range. */
  throughputRange: Resolved<ThroughputRange>;
  /** FP8, MXFP8 or NVFP4 at the default utilisation: the calibrated 16-bit TFLOP/s that the precision's gain multiplies; null otherwise. */
  lowPrecisionFromSixteenBit: Resolved<number> | null;
  /** The rate is the GPU generation's calibrated default utilisation (perhaps capped), not one the user gave or measured. */
  utilizationIsDefault: boolean;
  /** Whether the user set the range (--mfu-range); else the step-time model may replace it with its own. */
  throughputRangeGiven: boolean;
  scaling: Resolved<ScalingChoice>;
  /** Throughput source; `model` when --perf model or --scaling model. */
  perf: Resolved<PerfMode>;
  cluster: ClusterPreset | undefined;
  /** Sequences per optimizer step, when the model has an architecture. */
  globalBatch: Resolved<number> | undefined;
  /** Tokens per sequence (also in model.arch), with where the length came from. */
  seqLen: Resolved<number> | undefined;
  layout: LayoutConstraints;
  layoutSearch: 'full' | 'lean';
  scenario: { id: string; claim: Claim } | null;
  /** Attention kernel, when the model has an architecture (it is also in model.arch). */
  attention: Resolved<AttentionKernel> | undefined;
  /** How the loss meets the logits, when the model has an architecture (its memory). */
  loss: Resolved<LossKind> | undefined;
  /** What the kernels keep for the backward pass, when the model has an architecture (its memory). */
  kernels: Resolved<ActivationKernels> | undefined;
  /** How the step-time model treats a mixture of experts' expert parallelism (--moe-overlap, --expert-imbalance). */
  perfOptions: PerfOptions;
  /** The token-dropping capacity factor, when set (it caps perfOptions.expertImbalance). */
  capacityFactor: number | null;
  /** The data-parallel gradient bucket in MiB, when given (it sets perfOptions.gradientBucketElements), with where it came from. */
  gradientBucketMib: Resolved<number> | undefined;
  /** Fine-tuning (--finetune): its adapters change FLOPs and memory; null for pre-training. */
  finetune: ResolvedFinetune | null;
  /** The model preset's published whole training run, to show beside the estimate (null when none). */
  published: PublishedRun | null;
  /** The largest GPU count and step of the published runs and models, for the checks beyond them. */
  knownLimits: KnownLimits;
  /** Why a scenario value was not used, and similar remarks for the assumptions block. */
  notes: string[];
}

export function resolveEstimate(reqIn: EstimateRequest, registry: Registry): ResolvedEstimate {
  const req = finetuneSeqLen(reqIn);
  const at = startResolution(req, registry);
  const workload = resolveWorkload(at);
  const hardware = resolveHardware(at);
  const convention = resolveConvention(at, workload, scenarioThroughputHolds(at, workload, hardware));
  const parallel = resolveParallelism(at, workload, hardware.gpu);
  const finetune = resolveFinetune(req, workload.arch);
  const limits = knownLimits(registry, hardware.gpu.id, hardware.precision.value);
  const throughput =
    measuredOr(at, workload, hardware, convention.value, parallel.globalBatch?.value, finetune?.adapters?.activeParams) ??
    resolveThroughput(at, workload, hardware, { convention: convention.value, best: limits.mfu, adapterParams: finetune?.adapters?.activeParams });
  // The step-time model and a measured rate give the training step alone: the whole run adds interruptions.
  const measured = req.tokensPerSec !== undefined || req.stepTime !== undefined || req.samplesPerSec !== undefined;
  const adapterModel = timesAdaptersByDefault(req, finetune, workload.arch);
  const layoutModel = timesLayoutByDefault(req, workload.arch) && layoutExists(workload.arch as ModelArch, hardware, parallel);
  const stepTimeModel = measured || req.perf === 'model' || adapterModel || layoutModel || (req.perf === undefined && req.scaling?.kind === 'model');
  const scenarioPrice = firstOf<number>([hardware.changed ? undefined : at.s.price, at.tag]);
  const moneyRequest = req.finetune !== undefined ? { ...req, cheapestListed: true } : req;
  const { price, money } = resolveMoney(moneyRequest, registry, hardware.gpu, scenarioPrice, at.flag, stepTimeModel, hardware.gpus.value);
  at.notes.push(...money.notes);
  const attention = workload.arch ? resolveAttention(at, hardware.gpu) : undefined;
  const model = describeModel(at, attention ? { ...workload, arch: { ...(workload.arch as ModelArch), attention: attention.value } } : workload);
  const { scaling, perf } = resolvePerformanceModel(at, workload.arch, adapterModel, layoutModel);
  return {
    model,
    scaling,
    perf,
    cluster: parallel.cluster,
    globalBatch: parallel.globalBatch,
    seqLen: parallel.seqLen,
    layout: parallel.layout,
    layoutSearch: req.layoutSearch ?? 'full',
    ...stepModelChoices(at, finetune),
    finetune,
    gpu: hardware.gpu,
    gpus: hardware.gpus,
    tokens: workload.tokens,
    params: workload.params,
    totalParams: req.params ?? workload.counts?.total ?? workload.params.value,
    precision: hardware.precision,
    convention,
    peakTflops: hardware.peak,
    tflopsPerGpu: throughput.tflopsPerGpu,
    utilization: throughput.utilization,
    price,
    money,
    throughputRange: throughput.range,
    lowPrecisionFromSixteenBit: throughput.sixteenBitTflops ?? null,
    utilizationIsDefault: throughput.isDefault,
    throughputRangeGiven: req.mfuRange !== undefined,
    scenario: at.scenario,
    attention,
    ...memoryChoices(at, workload.arch !== undefined),
    // A model's pre-training run says nothing about fine-tuning it.
    published: finetune ? null : publishedRunFor(registry, model.id, hardware.gpu.id),
    knownLimits: limits,
    notes: at.notes,
  };
}

/** The step-time model's options, and the choices among them the assumptions name with their origins. */
function stepModelChoices(at: Resolution, finetune: ResolvedFinetune | null): Pick<ResolvedEstimate, 'perfOptions' | 'capacityFactor' | 'gradientBucketMib'> {
  const { req } = at;
  return {
    perfOptions: perfOptionsOf(req, finetune, kernelsOf(at).value),
    capacityFactor: req.capacityFactor ?? null,
    gradientBucketMib: req.gradBucketMib !== undefined ? { value: req.gradBucketMib, origin: at.flag('gradBucketMib') } : undefined,
  };
}

/** What the step-time model is told beyond the layout: the MoE options, a fine-tune's frozen base and the kernels' attention. */
function perfOptionsOf(req: EstimateRequest, finetune: ResolvedFinetune | null, kernels: ActivationKernels): PerfOptions {
  return {
    ...DEFAULT_PERF_OPTIONS,
    expertOverlap: req.moeOverlap ?? false,
    expertImbalance: Math.min(req.expertImbalance ?? DEFAULT_PERF_OPTIONS.expertImbalance, req.capacityFactor ?? Number.POSITIVE_INFINITY),
    expertDispatcher: req.expertDispatcher ?? DEFAULT_PERF_OPTIONS.expertDispatcher,
    ...(finetune?.adapters ? { frozenBase: frozenBaseOf(finetune.adapters) } : {}),
    ...(req.fp8Params ? { fp8Params: true } : {}),
    ...(req.fp8Attention ? { fp8Attention: true } : {}),
    ...(req.gradReduceFp32 ? { gradCommBytes: GRAD_BYTES_FP32 } : {}),
    ...(req.gradBucketMib !== undefined ? { gradientBucketElements: bucketElementsOfMib(req.gradBucketMib) } : {}),
    flashKernel: flashKernelOf(kernels),
  };
}

/** How memory counts the loss (--loss, else full) and the activations (kernelsOf), when there is an architecture. */
function memoryChoices(at: Resolution, hasArch: boolean): Pick<ResolvedEstimate, 'loss' | 'kernels'> {
  if (!hasArch) return { loss: undefined, kernels: undefined };
  const { req } = at;
  const loss = req.loss !== undefined ? r(req.loss, at.flag('loss')) : r('full' as const, 'default');
  return { loss, kernels: kernelsOf(at) };
}

/**
 * The framework's kernels (--kernels, else fine-tuning's eager PyTorch or pre-training's fused
 * Megatron-Core, core/memory.ts): what the activations keep, and which fused attention runs.
 */
function kernelsOf(at: Resolution): Resolved<ActivationKernels> {
  const { req } = at;
  if (req.kernels !== undefined) return r(req.kernels, at.flag('kernels'));
  return req.finetune !== undefined
    ? r(FINETUNE_ACTIVATION_KERNELS, 'default for fine-tuning: PEFT, TRL, torchtune and LitGPT run eager PyTorch')
    : r(DEFAULT_ACTIVATION_KERNELS, 'default for pre-training: Megatron-Core and NeMo with Transformer Engine');
}

/** --attention, else the kernel the GPU's generation trains with by default. */
function resolveAttention(at: Resolution, gpu: GpuPreset): Resolved<AttentionKernel> {
  if (at.req.attention !== undefined) return r(at.req.attention, at.flag('attention'));
  const kernel = defaultAttention(gpu);
  return r(kernel, `default for ${gpu.architecture} GPUs`);
}

/** What every step of a resolution reads: the request, the presets, the scenario claim it starts from; and the notes it collects. */
interface Resolution {
  req: EstimateRequest;
  registry: Registry;
  notes: string[];
  /** Where a requested value came from: "flag --gpus", or what the caller says (e.g. a run file). */
  flag: (key: string) => string;
  scenario: { id: string; claim: Claim } | null;
  /** The origin of values taken from the scenario: "scenario gpt3-article:A6" ('' without one). */
  tag: string;
  /** The scenario claim's inputs ({} without one). */
  s: RunInputs;
}

function startResolution(req: EstimateRequest, registry: Registry): Resolution {
  // A fine-tune is no claim of the GPT-3 article: the default scenario (its GPUs, price) stays out.
  const scenario = req.finetune !== undefined && req.scenario === undefined ? null : resolveScenario(req.scenario, registry);
  return {
    req,
    registry,
    notes: [...(req.notes ?? [])],
    flag: (key) => req.origins?.[key] ?? `flag ${flagName(key)}`,
    scenario,
    tag: scenario ? `scenario ${scenario.id}:${scenario.claim.id}` : '',
    s: scenario?.claim.inputs ?? {},
  };
}

// ------------------------------------------------------------------------------------------ workload

/** The model trained and on how many tokens. */
interface Workload {
  /** A new model (a preset, a config file, --layers/--d-model without a model, or a bare --params) replaces the scenario's. */
  changed: boolean;
  /** --layers or --d-model: a new architecture from the style defaults. */
  fromScratch: boolean;
  /** Architecture flags given (--seq-len, --vocab, …). */
  archFlags: (typeof ARCH_OVERRIDE_KEYS)[number][];
  preset: ModelPreset | undefined;
  arch: ModelArch | undefined;
  counts: ParamCounts | undefined;
  /** What the architecture came from, for the parameter count's origin. */
  archOrigin: string;
  params: Resolved<number>;
  tokens: Resolved<number>;
  /** Where the sequence length came from when a default, not the model or a flag, set it. */
  seqLenOrigin?: string;
}

/**
 * Model and tokens. A new model replaces the scenario's model and tokens; other architecture flags
 * (--seq-len, --vocab, …) modify the model in use.
 */
function resolveWorkload(at: Resolution): Workload {
  const { req, registry, notes, s } = at;
  // A sequence length taken from --avg-len describes the data, not a modified model.
  const archFlags = ARCH_OVERRIDE_KEYS.filter((k) => req[k] !== undefined && !(k === 'seqLen' && req.origins?.seqLen === SEQ_LEN_FROM_AVG_LEN));
  const newModel = req.model !== undefined || req.customModel !== undefined;
  const fromScratch = req.layers !== undefined || req.dModel !== undefined;
  const adHoc = !newModel && (req.params !== undefined || fromScratch);
  const changed = newModel || adHoc;
  const modelId = req.customModel ? undefined : (req.model ?? (changed ? undefined : s.model));
  const preset = modelId === undefined ? undefined : registry.get('models', modelId);
  const scratchDefaults = isGatedMlp(req.mlp) ? LLAMA_STYLE_DEFAULT_ARCH : GPT_STYLE_DEFAULT_ARCH;
  const baseArch = req.customModel?.arch ?? (preset ? modelArch(preset) : fromScratch ? scratchDefaults : undefined);
  if (!baseArch && archFlags.length > 0) {
    throw new GpucostError('E_INPUT', `${archFlags.map(flagName).join(', ')} need a model to modify`, 'give --model, or --layers and --d-model for a new one');
  }
  const overridden = baseArch ? applyArchOverrides(baseArch, req, notes, !preset && !req.customModel) : undefined;
  // A fine-tune with no length of its own trains on sequences of TRL's default, not the model's pre-training context.
  const shortened = overridden !== undefined && req.finetune !== undefined && req.seqLen === undefined && overridden.seqLen > FINETUNE_DEFAULT_SEQ_LEN;
  const arch = shortened ? { ...overridden, seqLen: FINETUNE_DEFAULT_SEQ_LEN } : overridden;
  const counts = arch ? paramCounts(arch) : undefined;
  const archOrigin = req.customModel?.origin ?? (preset ? `${preset.id} architecture` : 'architecture flags');
  if (req.customModel) notes.push(...req.customModel.notes);
  if (archFlags.length > 0) notes.push(`architecture changed by ${archFlags.map(flagName).join(', ')}`);
  const params = resolveParams(at, changed, archFlags.length > 0, counts, archOrigin);
  const dataset = datasetTokens(req);
  const fromDataset = dataset?.tokens;
  if (fromDataset !== undefined && req.tokens !== undefined) {
    throw new GpucostError(
      'E_USAGE',
      `--tokens and ${req.datasetTokens !== undefined ? '--dataset-tokens' : '--examples'} cannot be used together`,
      'give the tokens, or the dataset as --dataset-tokens (or --examples and --avg-len) and --epochs',
    );
  }
  if (req.finetune !== undefined && req.tokens === undefined && fromDataset === undefined) {
    throw new GpucostError(
      'E_USAGE',
      `--finetune ${req.finetune} needs the fine-tuning data`,
      "give --tokens, --dataset-tokens T --epochs E, or --examples N --avg-len L --epochs E (a preset's tokens are its pre-training)",
    );
  }
  const tokens =
    firstOf<number>(
      [fromDataset, dataset?.origin ?? ''],
      [req.tokens, at.flag('tokens')],
      [changed ? undefined : s.tokens, at.tag],
      [preset?.training.tokens, `preset ${preset?.id} (published training tokens)`],
    ) ?? r(CHINCHILLA_TOKENS_PER_PARAM * params.value, `default: ${CHINCHILLA_TOKENS_PER_PARAM} tokens per parameter (Chinchilla)`);
  return { changed, fromScratch, archFlags, preset, arch, counts, archOrigin, params, tokens, ...(shortened ? { seqLenOrigin: FINETUNE_SEQ_LEN_ORIGIN } : {}) };
}

/** Parameters in the FLOPs: --params, the scenario's, or counted from the architecture (active ones for MoE). */
function resolveParams(
  at: Resolution,
  workloadChanged: boolean,
  archFlagsGiven: boolean,
  counts: ParamCounts | undefined,
  archOrigin: string,
): Resolved<number> {
  const { req, s } = at;
  const params = firstOf<number>(
    [req.params, at.flag('params')],
    [workloadChanged ? undefined : s.params, at.tag],
    [counts?.active, `computed from ${archOrigin}${archFlagsGiven && archOrigin !== 'architecture flags' ? ' with flags' : ''}`],
  );
  if (!params) throw new GpucostError('E_INPUT', 'no model given', 'pass --model ID or --params N (e.g. --params 70B)');
  if (req.params !== undefined && counts) {
    at.notes.push(`--params overrides the ${fmtB(counts.active)} parameters of the ${archOrigin} in 6·N·D-style FLOPs`);
  }
  return params;
}

/** The model as reports name it, with where it came from. */
function describeModel(at: Resolution, w: Workload): ResolvedEstimate['model'] {
  const { req, tag } = at;
  const { preset, arch } = w;
  const modelOrigin = preset
    ? `preset${req.model === undefined ? ` (${tag})` : ''}`
    : (req.customModel?.origin ?? (w.fromScratch ? 'architecture flags' : at.flag('params')));
  const model: ResolvedEstimate['model'] = preset
    ? { id: preset.id, name: w.archFlags.length ? `${preset.name} (modified)` : preset.name, origin: modelOrigin, preset }
    : { id: null, name: req.customModel?.name ?? `ad-hoc ${fmtB(w.params.value)} model`, origin: modelOrigin };
  if (arch) model.arch = arch;
  return model;
}

// ------------------------------------------------------------------------------------------ hardware

interface Hardware {
  gpu: GpuPreset;
  /** --gpu names another GPU than the scenario's, whose price and precision then do not carry over. */
  changed: boolean;
  gpus: Resolved<number>;
  precision: Resolved<Precision>;
  /** Dense peak at that precision, TFLOP/s. */
  peak: number;
}

function resolveHardware(at: Resolution): Hardware {
  const { req, registry, s, tag } = at;
  const gpuId = firstOf<string>([req.gpu, at.flag('gpu')], [s.gpu, tag]);
  if (!gpuId) throw new GpucostError('E_INPUT', 'no GPU given', 'pass --gpu ID (e.g. --gpu h100)');
  const gpu = registry.get('gpus', gpuId.value);
  const changed = req.gpu !== undefined && (s.gpu === undefined || registry.get('gpus', s.gpu).id !== gpu.id);
  const gpus =
    firstOf<number>([req.gpus, at.flag('gpus')], [s.gpus, tag]) ??
    (req.finetune !== undefined ? r(1, 'default for fine-tuning: one GPU') : r(DEFAULT_GPUS, 'default: one 8-GPU node'));

  const precision =
    firstOf<Precision>([req.precision, at.flag('precision')], [changed ? undefined : s.precision, tag]) ??
    r(defaultPrecision(gpu), gpu.denseTflops.bf16 !== undefined ? 'default' : `default: ${gpu.id} has no bf16 tensor cores`);
  const peak = peakTflops(gpu, precision.value);
  if (peak === undefined) {
    const have = Object.keys(gpu.denseTflops).join(', ');
    throw new GpucostError('E_INPUT', `${gpu.id} has no ${precision.value} peak`, `choose --precision from: ${have}`);
  }
  refuseFp8FlagsOutsideLowPrecision(req, precision.value);
  if (req.fp8Attention && gpu.denseTflops.fp8 === undefined) {
    throw new GpucostError('E_INPUT', `--fp8-attention needs an FP8 peak, which ${gpu.id} has none of`, 'leave --fp8-attention out');
  }
  return { gpu, changed, gpus, precision, peak };
}

/** --fp8-params and --fp8-attention belong to FP8 (or lower) training: each flag given under 16 bits is refused, in its own words. */
function refuseFp8FlagsOutsideLowPrecision(req: EstimateRequest, precision: Precision): void {
  if (isLowPrecision(precision)) return;
  const refusals: [boolean | undefined, string][] = [
    [req.fp8Params, `--fp8-params keeps weights in FP8, which ${precision} training does not`],
    [req.fp8Attention, `--fp8-attention runs attention in FP8 inside FP8 training, not ${precision}`],
  ];
  const refused = refusals.find(([given]) => given);
  if (refused) throw new GpucostError('E_INPUT', refused[1], 'add --precision fp8 (or mxfp8, fp4)');
}

// ---------------------------------------------------------------------------------------- throughput

interface Throughput {
  /** The scenario's measured rate applies: same model, GPU and precision, and nobody set another. */
  scenarioHolds: boolean;
  tflopsPerGpu: Resolved<number>;
  utilization: Resolved<number>;
  range: Resolved<ThroughputRange>;
  /** The rate comes from the calibrated default utilisation. */
  isDefault: boolean;
  /** For FP8, MXFP8 or NVFP4 at the default utilisation: the 16-bit rate the gain multiplies (compute.ts may re-derive the gain). */
  sixteenBitTflops?: Resolved<number>;
}

/** The throughput the user measured on their own run (--tokens-per-sec, --step-time), which replaces every other source. */
function measuredOr(
  at: Resolution,
  w: Workload,
  hw: Hardware,
  convention: FlopsConvention,
  globalBatch: number | undefined,
  adapterParams: number | undefined,
): Throughput | null {
  const { req } = at;
  const conflicting = (['tflops', 'mfu', 'perf'] as const).filter((k) => req[k] !== undefined).map((k) => `--${k}`);
  const m = measuredThroughput(req, {
    convention,
    params: w.params.value,
    arch: w.arch,
    gpus: hw.gpus.value,
    globalBatch,
    peakTflops: hw.peak,
    conflicting,
    ...(adapterParams !== undefined ? { adapterParams } : {}),
  });
  return m && { scenarioHolds: false, tflopsPerGpu: m.tflopsPerGpu, utilization: m.utilization, range: m.range, isDefault: false };
}

/**
 * What a calibrated default utilisation is held to: the best MFU measured on this GPU at this
 * precision (knownLimits). The calibration counts 6N FLOPs from runs of 2K–8K tokens, so at long
 * sequences, where attention adds work it does not see, it would promise more than any measured run
 * reached (Mixtral 8x22B at 64K tokens: 94% of an A100's peak counted with attention). MFU is counted
 * as the bound is: with attention FLOPs when the architecture is known, and a fine-tune's frozen base.
 */
interface Ceiling {
  convention: FlopsConvention;
  best: BestMeasuredMfu | null;
  adapterParams: number | undefined;
}

/** Sustained TFLOP/s per GPU: given, the scenario's, or the peak × a utilisation (given, the scenario's, or calibrated). */
function resolveThroughput(at: Resolution, w: Workload, hw: Hardware, ceiling: Ceiling): Throughput {
  const { req, s, tag } = at;
  const { peak, precision } = hw;
  const scenarioHolds = scenarioThroughputHolds(at, w, hw);
  const keepScenario = scenarioHolds && req.mfu === undefined;
  const tflops = firstOf<number>([req.tflops, at.flag('tflops')], [keepScenario ? s.tflops : undefined, tag]);
  let tflopsPerGpu: Resolved<number>;
  let utilization: Resolved<number>;
  if (tflops) {
    tflopsPerGpu = tflops;
    utilization = r(impliedUtilization(tflops.value, peak), `implied: ${tflops.value} ÷ ${peak} TFLOP/s ${precision.value} peak`);
  } else {
    const given = firstOf<number>([req.mfu, at.flag('mfu')], [scenarioHolds ? s.mfu : undefined, tag]);
    if (given) {
      utilization = given;
      tflopsPerGpu = r(peak * utilization.value, `${peak} TFLOP/s ${precision.value} dense peak × ${utilization.value}`);
    } else {
      const cap = (u: number) => capAtMeasured(u, ceiling.best, w.params.value, w.arch, ceiling.convention, ceiling.adapterParams);
      const low = isLowPrecision(precision.value) ? lowPrecisionDefault(hw, precision.value, cap) : null;
      if (low) {
        const range = resolveThroughputRange(req.mfuRange, 'default-mfu', peak, low.tflopsPerGpu.value, at.flag);
        return { scenarioHolds, tflopsPerGpu: low.tflopsPerGpu, utilization: low.utilization, range, isDefault: true, sixteenBitTflops: low.sixteenBitTflops };
      }
      const calibrated = calibratedDefault(hw.gpu);
      const capped = cap(calibrated.value);
      utilization = capped ? r(capped.utilization, `${calibrated.origin}, ${capped.note}`) : calibrated;
      tflopsPerGpu = r(peak * utilization.value, `${peak} TFLOP/s ${precision.value} dense peak × ${utilization.value}`);
    }
  }
  const mfuIsDefault = !tflops && req.mfu === undefined && !(scenarioHolds && s.mfu !== undefined);
  const range = resolveThroughputRange(req.mfuRange, mfuIsDefault ? 'default-mfu' : 'given', peak, tflopsPerGpu.value, at.flag);
  return { scenarioHolds, tflopsPerGpu, utilization, range, isDefault: mfuIsDefault };
}

/**
 * The default rate of FP8 (MXFP8, NVFP4) training: the utilisation calibrated on 16-bit runs belongs
 * to the 16-bit peak, and a low precision speeds a step up by what its GEMMs gain, not by the ratio
 * of its peak. Here by the median gain of the fit set's paired FP8 and BF16 rows (the only measured
 * pairs; MXFP8 and NVFP4 take it too, and say so); with an architecture, compute.ts replaces it with
 * the step-time model's gain for the chosen layout. Null for a GPU without a 16-bit peak.
 */
function lowPrecisionDefault(
  hw: Hardware,
  precision: LowPrecision,
  cap: (utilization: number) => { utilization: number; note: string } | null,
): (Pick<Throughput, 'tflopsPerGpu' | 'utilization'> & { sixteenBitTflops: Resolved<number> }) | null {
  const peak16 = peakTflops(hw.gpu, 'bf16') ?? peakTflops(hw.gpu, 'fp16');
  if (peak16 === undefined) return null;
  const u = calibratedDefault(hw.gpu);
  const sixteenBitTflops = r(peak16 * u.value, `${peak16} TFLOP/s 16-bit dense peak × ${u.value} (${u.origin})`);
  const gained = sixteenBitTflops.value * FP8_GAIN_OVER_BF16;
  const capped = cap(impliedUtilization(gained, hw.peak));
  const tflops = capped ? capped.utilization * hw.peak : gained;
  return {
    sixteenBitTflops,
    tflopsPerGpu: r(
      tflops,
      `${sixteenBitTflops.origin} × ${FP8_GAIN_OVER_BF16} FP8 gain (median of the fit set's paired FP8 and BF16 rows${precision === 'fp8' ? '' : `; no ${precision} pairs are measured`})${capped ? `, ${capped.note}` : ''}`,
    ),
    utilization: r(impliedUtilization(tflops, hw.peak), `implied: ${tflops.toPrecision(4)} ÷ ${hw.peak} TFLOP/s ${precision} peak`),
  };
}

/**
 * The scenario's measured rate only holds for its own model, GPU and precision. Says so when the user
 * kept the scenario's model: with a model of their own, its run is irrelevant.
 */
function scenarioThroughputHolds(at: Resolution, w: Workload, hw: Hardware): boolean {
  const { req, s, scenario } = at;
  const holds = !w.changed && w.archFlags.length === 0 && !hw.changed && req.precision === undefined && !req.ignoreScenarioThroughput;
  if (scenario && !w.changed && !holds && req.tflops === undefined && req.mfu === undefined && (s.tflops ?? s.mfu) !== undefined) {
    at.notes.push(
      req.ignoreScenarioThroughput ??
        `the scenario's throughput (${s.tflops ?? ''}${s.tflops ? ' TFLOP/s' : `MFU ${s.mfu}`}) belongs to its own model and GPU, so it is not used`,
    );
  }
  return holds;
}

function calibratedDefault(gpu: GpuPreset): Resolved<number> {
  const c = calibratedUtilization(gpu.architecture);
  return r(
    c.value,
    c.calibrated
      ? `default for ${gpu.architecture} GPUs, calibrated on published runs (gpucost backtest)`
      : PER_GENERATION
        ? `default: median of all calibration runs (fewer than ${MIN_RUNS_PER_GENERATION} ${gpu.architecture} runs to calibrate on)`
        : 'default: the median of all published training runs calibrated on (gpucost backtest)',
  );
}

/** The FLOPs convention: given, the scenario's (only with its own throughput), or the default. */
function resolveConvention(at: Resolution, w: Workload, scenarioThroughputHolds: boolean): Resolved<FlopsConvention> {
  const { req, s, tag } = at;
  const usesScenarioConvention = scenarioThroughputHolds && req.tflops === undefined && req.mfu === undefined;
  const convention =
    firstOf<FlopsConvention>([req.flops, at.flag('flops')], [usesScenarioConvention ? s.flops : undefined, tag]) ?? r(DEFAULT_CONVENTION, 'default');
  if (FLOPS_CONVENTION_INFO[convention.value].needsArchitecture && !w.arch) {
    throw new GpucostError(
      'E_INPUT',
      `the ${convention.value} FLOPs convention needs a model architecture, and --params gives only a count`,
      'use --flops 6nd or 8nd, or pass --model',
    );
  }
  return convention;
}

/**
 * LoRA and QLoRA are timed by the step-time model unless the user says otherwise (--perf, --scaling,
 * --mfu, --tflops, --mfu-range or a measured rate): on the held-out fine-tuning throughput rows it
 * misses by a third of what peak × the calibrated utilisation does (`gpucost backtest --finetune`),
 * which issue 15 asks the default to follow. Full fine-tuning has no timed rows there and keeps the
 * pre-training default.
 */
function timesAdaptersByDefault(req: EstimateRequest, finetune: ResolvedFinetune | null, arch: ModelArch | undefined): boolean {
  return !throughputChosen(req) && finetune?.adapters != null && arch !== undefined;
}

/** Whether the user chose where throughput comes from: --perf, --scaling, a utilisation, a rate, or a measurement. */
function throughputChosen(req: EstimateRequest): boolean {
  return [req.perf, req.scaling, req.mfu, req.tflops, req.mfuRange, req.tokensPerSec, req.stepTime, req.samplesPerSec].some((v) => v !== undefined);
}

/**
 * A run whose parallel layout the user gives (LAYOUT_FLAGS) is timed by the step-time model unless
 * the user says otherwise, as LoRA and QLoRA are: peak × the calibrated utilisation does not depend
 * on the layout at all, and on the held-out throughput rows, each measured with its layout, it
 * misses by about three times what the model does (tests/validation/default-perf.test.ts holds
 * both). Without a layout the default stays peak × utilisation, which is closer on whole runs.
 */
function timesLayoutByDefault(req: EstimateRequest, arch: ModelArch | undefined): boolean {
  return !throughputChosen(req) && arch !== undefined && LAYOUT_FLAGS.some((k) => req[k] !== undefined);
}

/**
 * Whether the layout flags hold any parallel layout of these GPUs (as the layout search counts them,
 * rounding the batch up as its fallback does). Where none does, the estimate keeps peak × utilisation
 * and says NO_LAYOUT, as it always has, instead of failing.
 */
function layoutExists(
  arch: ModelArch,
  hw: { gpu: GpuPreset; gpus: Resolved<number>; precision: Resolved<Precision> },
  parallel: Pick<ResolvedEstimate, 'cluster' | 'globalBatch' | 'layout'>,
): boolean {
  if (!parallel.globalBatch) return false;
  const plans = candidatePlans({
    arch,
    gpus: hw.gpus.value,
    globalBatch: parallel.globalBatch.value,
    hardware: perfHardware(hw.gpu, parallel.cluster, hw.precision.value),
    constraints: parallel.layout,
    batchSlack: MINIMUM_GPUS_BATCH_SLACK,
  });
  return plans.length > 0;
}

/** The request fields that state a parallel layout: --tp, --pp, --dp, --cp, --ep, --virtual-stages, --micro-batch. */
export const LAYOUT_FLAGS = ['tp', 'pp', 'dp', 'cp', 'ep', 'virtualStages', 'microBatch'] as const;

/** Where an estimate with a given layout takes its throughput by default (timesLayoutByDefault). */
export const LAYOUT_PERF_ORIGIN =
  'default with a parallel layout given (--tp, --pp, --dp, --cp, --ep, --virtual-stages or --micro-batch): the step-time model, about three times closer than peak × utilisation on the held-out throughput rows, each measured with its layout (gpucost backtest --throughput; --perf mfu for the constant)';

/** Where a LoRA or QLoRA estimate's throughput comes from by default (timesAdaptersByDefault). */
export const ADAPTER_PERF_ORIGIN =
  'default for LoRA and QLoRA: the step-time model, closer than peak × utilisation on the held-out fine-tuning throughput rows (gpucost backtest --finetune; --perf mfu for the constant)';

/** Scaling with the GPU count, and where throughput comes from (the step-time model needs an architecture). */
function resolvePerformanceModel(
  at: Resolution,
  arch: ModelArch | undefined,
  adapterModel: boolean,
  layoutModel: boolean,
): { scaling: Resolved<ScalingChoice>; perf: Resolved<PerfMode> } {
  const { req } = at;
  const scaling = req.scaling ? r(req.scaling, at.flag('scaling')) : r<ScalingChoice>({ kind: 'linear' }, "default (the article's assumption)");
  const perf: Resolved<PerfMode> =
    req.perf !== undefined
      ? r(req.perf, at.flag('perf'))
      : scaling.value.kind === 'model'
        ? r('model', 'implied by --scaling model')
        : adapterModel
          ? r('model', ADAPTER_PERF_ORIGIN)
          : layoutModel
            ? r('model', LAYOUT_PERF_ORIGIN)
            : r('mfu', 'default: peak × utilisation (--perf model for the step-time model)');
  if (perf.value === 'model' && !arch) {
    throw new GpucostError('E_INPUT', 'the performance model needs a model architecture', 'give --model or --layers/--d-model, or use --perf mfu');
  }
  return { scaling, perf };
}

// --------------------------------------------------------------------------------------- parallelism

/** The cluster, the global batch and the layout flags the layout search starts from. */
function resolveParallelism(at: Resolution, w: Workload, gpu: GpuPreset): Pick<ResolvedEstimate, 'cluster' | 'globalBatch' | 'seqLen' | 'layout'> {
  const { req, registry } = at;
  const clusterId = req.cluster ?? gpu.defaultCluster;
  const cluster = clusterId === undefined ? undefined : registry.get('clusters', clusterId);
  const globalBatch = w.arch ? resolveGlobalBatch(at, w.arch, w.preset) : undefined;
  if (req.recompute === 'op' && w.arch && !perOpRecomputeModelled(w.arch)) {
    throw new GpucostError(
      'E_INPUT',
      `--recompute op (TorchTitan's per-op policy) is modelled for dense models with separate attention projections, and this one has ${w.arch.moe ? 'mixture-of-experts layers' : 'MLA attention'}`,
      'give --recompute selective or full',
    );
  }
  const layout: LayoutConstraints = {};
  for (const key of ['tp', 'pp', 'dp', 'microBatch', 'zero', 'recompute', 'virtualStages', 'cp', 'ep'] as const) {
    if (req[key] !== undefined) (layout as Record<string, unknown>)[key] = req[key];
  }
  // Commander gives --no-sequence-parallel a default of true; only an explicit "off" constrains.
  if (req.sequenceParallel === false) layout.sequenceParallel = false;
  return { cluster, globalBatch, seqLen: w.arch ? resolveSeqLen(at, w.arch, w) : undefined, layout };
}

/** The sequence length the model trains on: a flag (or --avg-len), else the preset's or the architecture's. */
function resolveSeqLen(at: Resolution, arch: ModelArch, w: Workload): Resolved<number> {
  if (at.req.seqLen !== undefined) return r(arch.seqLen, at.flag('seqLen'));
  if (w.seqLenOrigin !== undefined) return r(arch.seqLen, w.seqLenOrigin);
  return r(arch.seqLen, w.preset && !at.req.customModel ? `preset ${w.preset.id} (its training sequence length)` : w.archOrigin);
}

/** Sequences per optimizer step: --global-batch, else the model's published batch or the default. */
function resolveGlobalBatch(at: Resolution, arch: ModelArch, preset: ModelPreset | undefined): Resolved<number> {
  if (at.req.globalBatch !== undefined) return r(at.req.globalBatch, at.flag('globalBatch'));
  // A preset's batch is its pre-training batch, millions of tokens; fine-tuning steps are far smaller.
  if (at.req.finetune !== undefined) return r(FINETUNE_GLOBAL_BATCH, FINETUNE_GLOBAL_BATCH_ORIGIN);
  const d = defaultGlobalBatch(arch, preset);
  return r(d.value, d.origin);
}

function fmtB(n: number): string {
  return `${(n / 1e9).toPrecision(4)}B`;
}
