/**
 * Resolution of estimate inputs: flags > scenario > model/GPU presets > defaults, recording where each
 * value came from. Pure: presets come in through a Registry, nothing is read from disk.
 */
import { MIN_RUNS_PER_GENERATION, calibratedUtilization } from '../core/calibration.js';
import { CHINCHILLA_TOKENS_PER_PARAM } from '../core/constants.js';
import type { FlopsConvention, Precision } from '../core/enums.js';
import { FLOPS_CONVENTION_INFO } from '../core/flops.js';
import { isGatedMlp, paramCounts } from '../core/params.js';
import type { LayoutConstraints } from '../core/layout-search.js';
import type { Recompute, ZeroStage } from '../core/parallel.js';
import type { ScalingChoice } from '../core/scaling.js';
import { impliedUtilization } from '../core/throughput.js';
import type { ModelArch } from '../core/types.js';
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import type { Claim, ClusterPreset, GpuPreset, ModelPreset, RunInputs } from '../presets/schema.js';
import { defaultPrecision, modelArch, peakTflops } from '../presets/to-core.js';
import { DEFAULT_CONVENTION, DEFAULT_GPUS } from './defaults.js';
import { defaultGlobalBatch } from './layout.js';
import { firstOf, r, type Resolved } from './origin.js';
import { type ArchOverrides, ARCH_OVERRIDE_KEYS, applyArchOverrides, flagName, GPT_STYLE_DEFAULT_ARCH, LLAMA_STYLE_DEFAULT_ARCH } from './arch-overrides.js';
import { resolveScenario } from './scenario.js';
import type { ThroughputRange } from '../core/range.js';
import { type MoneyRequest, type ResolvedMoney, resolveMoney, resolveThroughputRange } from './money.js';



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

/** Where throughput comes from: peak × utilisation (`mfu`), or the step-time model of the layout (`model`). */
export const PERF_MODES = ['mfu', 'model'] as const;
export type PerfMode = (typeof PERF_MODES)[number];

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
  /** false: no Megatron sequence parallelism (--no-sequence-parallel). */
  sequenceParallel?: boolean;
  cluster?: string;
  perf?: PerfMode;
  /** `lean`: skip the layout search and judge memory by the leanest layout (large sweeps). */
  layoutSearch?: 'full' | 'lean';
}

/** What the user asked for; every field optional. Numbers are already parsed. */
export interface EstimateRequest extends RunInputs, ArchOverrides, LayoutRequest, MoneyRequest {
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
  scaling: Resolved<ScalingChoice>;
  /** Throughput source; `model` when --perf model or --scaling model. */
  perf: Resolved<PerfMode>;
  cluster: ClusterPreset | undefined;
  /** Sequences per optimizer step, when the model has an architecture. */
  globalBatch: Resolved<number> | undefined;
  layout: LayoutConstraints;
  layoutSearch: 'full' | 'lean';
  scenario: { id: string; claim: Claim } | null;
  /** Why a scenario value was not used, and similar remarks for the assumptions block. */
  notes: string[];
}

export function resolveEstimate(req: EstimateRequest, registry: Registry): ResolvedEstimate {
  const notes: string[] = [...(req.notes ?? [])];
  const flag = (key: string): string => req.origins?.[key] ?? `flag ${flagName(key)}`;
  const scenario = resolveScenario(req.scenario, registry);
  const tag = scenario ? `scenario ${scenario.id}:${scenario.claim.id}` : '';
  const s: RunInputs = scenario?.claim.inputs ?? {};

  // Workload: model and tokens. A new model (a preset, a config file, --layers/--d-model without a
  // model, or a bare --params) replaces the scenario's model and tokens; other architecture flags
  // (--seq-len, --vocab, …) modify the model in use.
  const archFlags = ARCH_OVERRIDE_KEYS.filter((k) => req[k] !== undefined);
  const newModel = req.model !== undefined || req.customModel !== undefined;
  const fromScratch = req.layers !== undefined || req.dModel !== undefined;
  const adHoc = !newModel && (req.params !== undefined || fromScratch);
  const workloadChanged = newModel || adHoc;
  const modelId = req.customModel ? undefined : (req.model ?? (workloadChanged ? undefined : s.model));
  const preset = modelId === undefined ? undefined : registry.get('models', modelId);
  const scratchDefaults = isGatedMlp(req.mlp) ? LLAMA_STYLE_DEFAULT_ARCH : GPT_STYLE_DEFAULT_ARCH;
  const baseArch = req.customModel?.arch ?? (preset ? modelArch(preset) : fromScratch ? scratchDefaults : undefined);
  if (!baseArch && archFlags.length > 0) {
    throw new GpucostError('E_INPUT', `${archFlags.map(flagName).join(', ')} need a model to modify`, 'give --model, or --layers and --d-model for a new one');
  }
  const arch = baseArch ? applyArchOverrides(baseArch, req, notes, !preset && !req.customModel) : undefined;
  const counts = arch ? paramCounts(arch) : undefined;
  const archOrigin = req.customModel?.origin ?? (preset ? `${preset.id} architecture` : 'architecture flags');
  if (req.customModel) notes.push(...req.customModel.notes);
  if (archFlags.length > 0) notes.push(`architecture changed by ${archFlags.map(flagName).join(', ')}`);

  const params = firstOf<number>(
    [req.params, flag('params')],
    [workloadChanged ? undefined : s.params, tag],
    [counts?.active, `computed from ${archOrigin}${archFlags.length && archOrigin !== 'architecture flags' ? ' with flags' : ''}`],
  );
  if (!params) throw new GpucostError('E_INPUT', 'no model given', 'pass --model ID or --params N (e.g. --params 70B)');
  if (req.params !== undefined && counts) {
    notes.push(`--params overrides the ${fmtB(counts.active)} parameters of the ${archOrigin} in 6·N·D-style FLOPs`);
  }

  const tokens =
    firstOf<number>(
      [req.tokens, flag('tokens')],
      [workloadChanged ? undefined : s.tokens, tag],
      [preset?.training.tokens, `preset ${preset?.id} (published training tokens)`],
    ) ?? r(CHINCHILLA_TOKENS_PER_PARAM * params.value, `default: ${CHINCHILLA_TOKENS_PER_PARAM} tokens per parameter (Chinchilla)`);

  // Hardware.
  const gpuId = firstOf<string>([req.gpu, flag('gpu')], [s.gpu, tag]);
  if (!gpuId) throw new GpucostError('E_INPUT', 'no GPU given', 'pass --gpu ID (e.g. --gpu h100)');
  const gpu = registry.get('gpus', gpuId.value);
  const hardwareChanged = req.gpu !== undefined && (s.gpu === undefined || registry.get('gpus', s.gpu).id !== gpu.id);
  const gpus = firstOf<number>([req.gpus, flag('gpus')], [s.gpus, tag]) ?? r(DEFAULT_GPUS, 'default: one 8-GPU node');

  const precision = firstOf<Precision>([req.precision, flag('precision')], [hardwareChanged ? undefined : s.precision, tag]) ??
    r(defaultPrecision(gpu), gpu.denseTflops.bf16 !== undefined ? 'default' : `default: ${gpu.id} has no bf16 tensor cores`);
  const peak = peakTflops(gpu, precision.value);
  if (peak === undefined) {
    const have = Object.keys(gpu.denseTflops).join(', ');
    throw new GpucostError('E_INPUT', `${gpu.id} has no ${precision.value} peak`, `choose --precision from: ${have}`);
  }

  // Throughput: the scenario's measured rate only holds for its own model, GPU and precision.
  const scenarioThroughputValid =
    !workloadChanged && archFlags.length === 0 && !hardwareChanged && req.precision === undefined && !req.ignoreScenarioThroughput;
  // Said only when the user kept the scenario's model: with a model of their own, its run is irrelevant.
  if (scenario && !workloadChanged && !scenarioThroughputValid && req.tflops === undefined && req.mfu === undefined && (s.tflops ?? s.mfu) !== undefined) {
    notes.push(
      req.ignoreScenarioThroughput ??
        `the scenario's throughput (${s.tflops ?? ''}${s.tflops ? ' TFLOP/s' : `MFU ${s.mfu}`}) belongs to its own model and GPU, so it is not used`,
    );
  }
  let tflopsPerGpu: Resolved<number>;
  let utilization: Resolved<number>;
  const keepScenario = scenarioThroughputValid && req.mfu === undefined;
  const tflops = firstOf<number>([req.tflops, flag('tflops')], [keepScenario ? s.tflops : undefined, tag]);
  if (tflops) {
    tflopsPerGpu = tflops;
    utilization = r(impliedUtilization(tflops.value, peak), `implied: ${tflops.value} ÷ ${peak} TFLOP/s ${precision.value} peak`);
  } else {
    utilization =
      firstOf<number>([req.mfu, flag('mfu')], [scenarioThroughputValid ? s.mfu : undefined, tag]) ??
      (() => {
        const c = calibratedUtilization(gpu.architecture);
        return r(
          c.value,
          c.calibrated
            ? `default for ${gpu.architecture} GPUs, calibrated on published runs (gpucost backtest)`
            : `default: median of all calibration runs (fewer than ${MIN_RUNS_PER_GENERATION} ${gpu.architecture} runs to calibrate on)`,
        );
      })();
    tflopsPerGpu = r(peak * utilization.value, `${peak} TFLOP/s ${precision.value} dense peak × ${utilization.value}`);
  }
  const mfuIsDefault = !tflops && req.mfu === undefined && !(scenarioThroughputValid && s.mfu !== undefined);
  const throughputRange = resolveThroughputRange(req.mfuRange, mfuIsDefault ? 'default-mfu' : 'given', peak, tflopsPerGpu.value, flag);

  const usesScenarioConvention = scenarioThroughputValid && req.tflops === undefined && req.mfu === undefined;
  const convention =
    firstOf<FlopsConvention>([req.flops, flag('flops')], [usesScenarioConvention ? s.flops : undefined, tag]) ??
    r(DEFAULT_CONVENTION, 'default');
  if (FLOPS_CONVENTION_INFO[convention.value].needsArchitecture && !arch) {
    throw new GpucostError(
      'E_INPUT',
      `the ${convention.value} FLOPs convention needs a model architecture, and --params gives only a count`,
      'use --flops 6nd or 8nd, or pass --model',
    );
  }

  const { price, money } = resolveMoney(req, registry, gpu, firstOf<number>([hardwareChanged ? undefined : s.price, tag]), flag);
  notes.push(...money.notes);

  const modelOrigin = preset
    ? `preset${req.model === undefined ? ` (${tag})` : ''}`
    : (req.customModel?.origin ?? (fromScratch ? 'architecture flags' : flag('params')));
  const model: ResolvedEstimate['model'] = preset
    ? { id: preset.id, name: archFlags.length ? `${preset.name} (modified)` : preset.name, origin: modelOrigin, preset }
    : { id: null, name: req.customModel?.name ?? `ad-hoc ${fmtB(params.value)} model`, origin: modelOrigin };
  if (arch) model.arch = arch;
  const scaling = req.scaling ? r(req.scaling, flag('scaling')) : r<ScalingChoice>({ kind: 'linear' }, 'default (the article\'s assumption)');
  const perf: Resolved<PerfMode> =
    req.perf !== undefined
      ? r(req.perf, flag('perf'))
      : scaling.value.kind === 'model'
        ? r('model', 'implied by --scaling model')
        : r('mfu', 'default: peak × utilisation (--perf model for the step-time model)');
  if (perf.value === 'model' && !arch) {
    throw new GpucostError('E_INPUT', 'the performance model needs a model architecture', 'give --model or --layers/--d-model, or use --perf mfu');
  }
  const clusterId = req.cluster ?? gpu.defaultCluster;
  const cluster = clusterId === undefined ? undefined : registry.get('clusters', clusterId);
  const globalBatch = arch
    ? req.globalBatch !== undefined
      ? r(req.globalBatch, flag('globalBatch'))
      : (() => {
          const d = defaultGlobalBatch(arch, preset);
          return r(d.value, d.origin);
        })()
    : undefined;
  const layout: LayoutConstraints = {};
  for (const key of ['tp', 'pp', 'dp', 'microBatch', 'zero', 'recompute', 'virtualStages'] as const) {
    if (req[key] !== undefined) (layout as Record<string, unknown>)[key] = req[key];
  }
  // Commander gives --no-sequence-parallel a default of true; only an explicit "off" constrains.
  if (req.sequenceParallel === false) layout.sequenceParallel = false;
  return {
    model,
    scaling,
    perf,
    cluster,
    globalBatch,
    layout,
    layoutSearch: req.layoutSearch ?? 'full',
    gpu,
    gpus,
    tokens,
    params,
    totalParams: req.params ?? counts?.total ?? params.value,
    precision,
    convention,
    peakTflops: peak,
    tflopsPerGpu,
    utilization,
    price,
    money,
    throughputRange,
    scenario,
    notes,
  };
}

function fmtB(n: number): string {
  return `${(n / 1e9).toPrecision(4)}B`;
}
