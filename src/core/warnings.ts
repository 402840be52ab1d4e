/**
 * Warnings as data: every warning gpucost gives has a stable code from this catalogue, so scripts can
 * test `code` instead of matching words that may be reworded. docs/warnings.md lists the same codes
 * with what to do about each (tests/warnings.test.ts keeps the two in step).
 */

export type WarningSeverity = 'error' | 'warning' | 'info';

/** The numbers and names behind a message, flat so that every output format carries them as they are. */
export type WarningDetail = Record<string, number | string | boolean | null>;

/**
 * Code → severity and meaning. Codes are part of the JSON contract: never rename or reuse one; a
 * warning that goes away leaves its code retired.
 */
export const WARNING_CATALOGUE = {
  OOM: { severity: 'error', description: 'the model does not fit in GPU memory even with the leanest parallel layout' },
  NO_LAYOUT: { severity: 'error', description: 'no parallel layout puts the model on this many GPUs, so memory was not checked' },
  MEMORY_TIGHT: {
    severity: 'warning',
    description: 'a layout fits by less than the spread of measured peaks around gpucost’s memory estimate',
  },
  BATCH_ROUNDED: { severity: 'info', description: 'the global batch was rounded so that the data-parallel replicas split it evenly' },
  BATCH_BELOW_DP: { severity: 'warning', description: 'more data-parallel replicas than sequences in the global batch' },
  GPUS_BEYOND_PUBLISHED: {
    severity: 'warning',
    description: 'more GPUs than any published run in the presets trained on: scaling and failures at this size are untested',
  },
  BATCH_BEYOND_PUBLISHED: {
    severity: 'warning',
    description: 'more tokens per optimizer step than any published model in the presets trained with',
  },
  PIPELINE_STARVED: {
    severity: 'warning',
    description: 'the global batch leaves too few micro-batches to fill the pipeline: it idles a large share of each step',
  },
  PIPELINE_MOSTLY_IDLE: {
    severity: 'error',
    description: 'the pipeline would idle more than half of each step, which the printed time (peak × MFU at linear scaling) leaves out',
  },
  TFLOPS_ABOVE_PEAK: { severity: 'warning', description: 'the throughput per GPU is above the dense peak of the GPU at the precision' },
  MFU_ABOVE_PUBLISHED: { severity: 'warning', description: 'the utilisation of peak is above what large published runs sustain' },
  PRICE_MISSING: { severity: 'warning', description: 'the provider lists no price for this GPU at the tier, so its rows have no cost' },
  PRICE_STALE: { severity: 'warning', description: 'the rental price used is more than a year older than today' },
  PRICE_REACH_UNKNOWN: {
    severity: 'warning',
    description: 'the price used is for an instance the presets do not show forming a cluster of this many GPUs',
  },
  PRICE_DATED: { severity: 'info', description: 'the rental price is more than six months old (but not a year: older ones draw PRICE_STALE)' },
  OWNED_COST_PARTIAL: { severity: 'warning', description: 'the purchase price lacks a server or network share, so the owned cost is low' },
  OWNED_NO_POWER: { severity: 'warning', description: 'the owned cost leaves out energy for want of a power figure' },
  PLAN_NOT_SETTLED: { severity: 'warning', description: 'the budget and the deadline kept moving each other; the plan may overshoot one' },
  PLAN_BUDGET_EXCEEDED: { severity: 'warning', description: 'the planned run costs more than the budget' },
  QLORA_NO_KERNELS: {
    severity: 'error',
    description: 'QLoRA keeps its frozen base in 4 bits through bitsandbytes, which has no kernels for this accelerator',
  },
  LOW_PRECISION_UNMEASURED: {
    severity: 'warning',
    description: 'little or no measured training throughput at this precision stands behind the rate: it is the step-time model alone, or the FP8 gain',
  },
  CONTEXT_PARALLEL_SLOWER: {
    severity: 'warning',
    description: 'context parallelism runs as fast as its ring-attention implementation, and held-out runs of one ran well below the step-time model',
  },
  HOST_BOUND: {
    severity: 'warning',
    description: 'each layer carries so little GPU work per micro-batch that kernel launches and Python overhead, which gpucost does not time, set the pace',
  },
  COMPARE_BASE_UNFIT: { severity: 'warning', description: 'speed-up and efficiency are measured against a GPU count that does not fit in memory' },
  DEFAULTS_DIFFER_BY_GENERATION: {
    severity: 'warning',
    description:
      'compared GPU generations take default utilisations calibrated on different published runs, so their ranking follows those runs as much as the hardware',
  },
  RANKED_BY_PEAK: {
    severity: 'warning',
    description:
      'GPU types compared at the default utilisation rank by their peaks alone, and the step-time model, which also counts memory and links, rates them otherwise',
  },
  GPU_UNMATCHED: { severity: 'warning', description: 'a detected GPU matches no preset' },
  PRESET_PEAK_ORDER: { severity: 'warning', description: 'a GPU preset gives a lower-precision peak below a higher-precision one' },
  PRESET_BATCH_PARTIAL: { severity: 'warning', description: "a model preset's global batch in tokens is not a whole number of sequences" },
  PRESET_PARAMS_MISMATCH: { severity: 'warning', description: "a model preset's architecture gives a parameter count more than 1% from the published one" },
} as const satisfies Record<string, { severity: WarningSeverity; description: string }>;

export type WarningCode = keyof typeof WARNING_CATALOGUE;

export interface Warning {
  code: WarningCode;
  severity: WarningSeverity;
  /** What people read, in the words the tables print. */
  message: string;
  detail?: WarningDetail;
}

/** A warning with its code's severity from the catalogue. */
export function warning(code: WarningCode, message: string, detail?: WarningDetail): Warning {
  const w: Warning = { code, severity: WARNING_CATALOGUE[code].severity, message };
  if (detail) w.detail = detail;
  return w;
}

/** The first error-level check among the warnings: what makes a plan one that cannot run; undefined when none does. */
export function blockingCheck(warnings: readonly Warning[]): Warning | undefined {
  return warnings.find((w) => w.severity === 'error');
}
