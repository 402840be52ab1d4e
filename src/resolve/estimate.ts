/**
 * Resolution of estimate inputs: flags > scenario > model/GPU presets > defaults, recording where each
 * value came from. Pure: presets come in through a Registry, nothing is read from disk.
 */
import { CHINCHILLA_TOKENS_PER_PARAM, DEFAULT_MFU } from '../core/constants.js';
import type { FlopsConvention, Precision } from '../core/enums.js';
import { FLOPS_CONVENTION_INFO } from '../core/flops.js';
import { paramCounts } from '../core/params.js';
import { impliedUtilization } from '../core/throughput.js';
import type { ModelArch } from '../core/types.js';
import { GpucostError } from '../errors.js';
import { normalizeId, type Registry } from '../presets/catalog.js';
import type { Claim, GpuPreset, ModelPreset, RunInputs } from '../presets/schema.js';
import { defaultPrecision, modelArch, peakTflops } from '../presets/to-core.js';
import { DEFAULT_CLAIM, DEFAULT_CONVENTION, DEFAULT_GPUS, DEFAULT_SCENARIO } from './defaults.js';
import { firstOf, r, type Resolved } from './origin.js';

/** What the user asked for; every field optional. Numbers are already parsed. */
export interface EstimateRequest extends RunInputs {
  /** "gpt3-article:A2", or a claim id of the default scenario ("A2"). */
  scenario?: string;
}

export interface ResolvedEstimate {
  model: { id: string | null; name: string; arch?: ModelArch; preset?: ModelPreset };
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
  scenario: { id: string; claim: Claim } | null;
  /** Why a scenario value was not used, and similar remarks for the assumptions block. */
  notes: string[];
}

export function resolveEstimate(req: EstimateRequest, registry: Registry): ResolvedEstimate {
  const notes: string[] = [];
  const scenario = resolveScenario(req.scenario, registry);
  const tag = scenario ? `scenario ${scenario.id}:${scenario.claim.id}` : '';
  const s: RunInputs = scenario?.claim.inputs ?? {};

  // Workload: model and tokens. A new model (or an ad-hoc --params without --model) replaces the scenario's.
  const adHoc = req.params !== undefined && req.model === undefined;
  const workloadChanged = req.model !== undefined || adHoc;
  const modelId = req.model ?? (workloadChanged ? undefined : s.model);
  const preset = modelId === undefined ? undefined : registry.get('models', modelId);
  const arch = preset ? modelArch(preset) : undefined;
  const counts = arch ? paramCounts(arch) : undefined;

  const params = firstOf<number>(
    [req.params, 'flag --params'],
    [workloadChanged ? undefined : s.params, tag],
    [counts?.active, `computed from ${preset?.id} architecture`],
  );
  if (!params) throw new GpucostError('E_INPUT', 'no model given', 'pass --model ID or --params N (e.g. --params 70B)');
  if (req.params !== undefined && preset) {
    notes.push(`--params overrides the ${preset.id} architecture's ${fmtB(counts?.active ?? 0)} parameters in 6·N·D-style FLOPs`);
  }

  const tokens =
    firstOf<number>(
      [req.tokens, 'flag --tokens'],
      [workloadChanged ? undefined : s.tokens, tag],
      [preset?.training.tokens, `preset ${preset?.id} (published training tokens)`],
    ) ?? r(CHINCHILLA_TOKENS_PER_PARAM * params.value, `default: ${CHINCHILLA_TOKENS_PER_PARAM} tokens per parameter (Chinchilla)`);

  // Hardware.
  const gpuId = firstOf<string>([req.gpu, 'flag --gpu'], [s.gpu, tag]);
  if (!gpuId) throw new GpucostError('E_INPUT', 'no GPU given', 'pass --gpu ID (e.g. --gpu h100)');
  const gpu = registry.get('gpus', gpuId.value);
  const hardwareChanged = req.gpu !== undefined && (s.gpu === undefined || registry.get('gpus', s.gpu).id !== gpu.id);
  const gpus = firstOf<number>([req.gpus, 'flag --gpus'], [s.gpus, tag]) ?? r(DEFAULT_GPUS, 'default: one 8-GPU node');

  const precision = firstOf<Precision>([req.precision, 'flag --precision'], [hardwareChanged ? undefined : s.precision, tag]) ??
    r(defaultPrecision(gpu), gpu.denseTflops.bf16 !== undefined ? 'default' : `default: ${gpu.id} has no bf16 tensor cores`);
  const peak = peakTflops(gpu, precision.value);
  if (peak === undefined) {
    const have = Object.keys(gpu.denseTflops).join(', ');
    throw new GpucostError('E_INPUT', `${gpu.id} has no ${precision.value} peak`, `choose --precision from: ${have}`);
  }

  // Throughput: the scenario's measured rate only holds for its own model, GPU and precision.
  const scenarioThroughputValid = !workloadChanged && !hardwareChanged && req.precision === undefined;
  if (scenario && !scenarioThroughputValid && req.tflops === undefined && req.mfu === undefined && (s.tflops ?? s.mfu) !== undefined) {
    notes.push(`the scenario's throughput (${s.tflops ?? ''}${s.tflops ? ' TFLOP/s' : `MFU ${s.mfu}`}) belongs to its own model and GPU, so it is not used`);
  }
  let tflopsPerGpu: Resolved<number>;
  let utilization: Resolved<number>;
  const keepScenario = scenarioThroughputValid && req.mfu === undefined;
  const tflops = firstOf<number>([req.tflops, 'flag --tflops'], [keepScenario ? s.tflops : undefined, tag]);
  if (tflops) {
    tflopsPerGpu = tflops;
    utilization = r(impliedUtilization(tflops.value, peak), `implied: ${tflops.value} ÷ ${peak} TFLOP/s ${precision.value} peak`);
  } else {
    utilization =
      firstOf<number>([req.mfu, 'flag --mfu'], [scenarioThroughputValid ? s.mfu : undefined, tag]) ??
      r(DEFAULT_MFU, 'default MFU (PaLM Table 3 range for large runs)');
    tflopsPerGpu = r(peak * utilization.value, `${peak} TFLOP/s ${precision.value} dense peak × ${utilization.value}`);
  }

  const usesScenarioConvention = scenarioThroughputValid && req.tflops === undefined && req.mfu === undefined;
  const convention =
    firstOf<FlopsConvention>([req.flops, 'flag --flops'], [usesScenarioConvention ? s.flops : undefined, tag]) ??
    r(DEFAULT_CONVENTION, 'default');
  if (FLOPS_CONVENTION_INFO[convention.value].needsArchitecture && !arch) {
    throw new GpucostError(
      'E_INPUT',
      `the ${convention.value} FLOPs convention needs a model architecture, and --params gives only a count`,
      'use --flops 6nd or 8nd, or pass --model',
    );
  }

  const price =
    firstOf<number | null>([req.price, 'flag --price'], [hardwareChanged ? undefined : s.price, tag]) ?? r(null, 'none given (--price USD per GPU-hour)');

  return {
    model: preset ? { id: preset.id, name: preset.name, arch, preset } : { id: null, name: `ad-hoc ${fmtB(params.value)} model` },
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
    scenario,
    notes,
  };
}

/**
 * Finds the scenario claim to start from. `undefined` selects the default (A6) unless the user is
 * describing a different workload from scratch; "none" starts from nothing.
 */
function resolveScenario(text: string | undefined, registry: Registry): { id: string; claim: Claim } | null {
  if (text !== undefined && normalizeId(text) === 'none') return null;
  const [scenarioId, claimId] = text === undefined ? [DEFAULT_SCENARIO, DEFAULT_CLAIM] : splitScenario(text);
  const scenario = registry.get('scenarios', scenarioId);
  const claim = scenario.claims.find((c) => c.id.toLowerCase() === claimId.toLowerCase());
  if (!claim) {
    throw new GpucostError('E_UNKNOWN_PRESET', `scenario ${scenario.id} has no claim "${claimId}"`, `claims: ${scenario.claims.map((c) => c.id).join(', ')}`);
  }
  if (!claim.inputs) {
    throw new GpucostError('E_INPUT', `claim ${scenario.id}:${claim.id} cannot be derived from a model`, claim.note ?? 'it has no inputs');
  }
  return { id: scenario.id, claim };
}

function splitScenario(text: string): [string, string] {
  const i = text.lastIndexOf(':');
  if (i < 0) return [DEFAULT_SCENARIO, text];
  return [text.slice(0, i), text.slice(i + 1)];
}

function fmtB(n: number): string {
  return `${(n / 1e9).toPrecision(4)}B`;
}
