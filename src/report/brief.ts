/**
 * `--brief`: one line per answer, for a chat message or a CI log ("Llama 3 8B, 15T tokens on 512
 * × h100-sxm: 40.4 days (33.1–70.0), 496k GPU-h, $3.41M (aws on-demand), fits in 61.2 of 80 GB a
 * GPU"). An error-level check (does not fit, no layout) opens the line, so a brief answer never
 * hides an impossible plan.
 */
import { formatQuantity } from '../core/quantity.js';
import type { Warning } from '../core/warnings.js';
import { formatNumber, formatUsd } from './format.js';
import type { PriceSource } from '../resolve/price.js';

/** The fields of an estimate's record (estimate, and each compare row) the line is made of. */
export interface BriefFields {
  modelName: string;
  tokens: number;
  gpus: number;
  gpu: string;
  wallClockDays: number;
  wallClockDaysLow: number;
  wallClockDaysHigh: number;
  gpuHours: number;
  costUsd: number | null;
  priceSource: PriceSource | null;
  warnings: Warning[];
  /** Whether the chosen layout fits, and its memory per GPU against the GPU's (null without a layout). */
  fits: boolean | null;
  memoryPerGpuGB: number | null;
  gpuMemoryGB: number;
}

export function briefLine(r: BriefFields): string {
  const days = `${formatNumber(r.wallClockDays, 3)} days (${formatNumber(r.wallClockDaysLow, 3)}–${formatNumber(r.wallClockDaysHigh, 3)})`;
  const cost = r.costUsd === null ? 'no price' : `${formatUsd(r.costUsd)}${priceText(r.priceSource)}`;
  const numbers = `${days}, ${formatQuantity(r.gpuHours)} GPU-h, ${cost}`;
  const head = `${r.modelName}, ${formatQuantity(r.tokens)} tokens on ${r.gpus} × ${r.gpu}`;
  const verdict = infeasibleVerdict(r.warnings);
  // An impossible plan leads with its verdict, so that a log read by its first words does not take
  // the time and cost it would have had for an answer.
  if (verdict !== null) return `${head}: ${verdict}; as if it could run: ${numbers}`;
  // Whether it fits is part of the answer; one that does not says so in the verdict instead.
  const fits = r.fits && r.memoryPerGpuGB !== null ? `, fits in ${formatNumber(r.memoryPerGpuGB, 3)} of ${formatNumber(r.gpuMemoryGB, 3)} GB a GPU` : '';
  return `${head}: ${numbers}${fits}`;
}

/**
 * "NOT FEASIBLE: CODE: first sentence" for each error-level check (does not fit, no layout), or null
 * when there is none: the first sentence is enough to see why and short enough for one line.
 */
export function infeasibleVerdict(warnings: readonly Warning[]): string | null {
  const errors = warnings.filter((w) => w.severity === 'error').map((w) => `${w.code}: ${w.message.split(/\.(\s|$)/)[0]}`);
  return errors.length ? `NOT FEASIBLE: ${errors.join('; ')}` : null;
}

function priceText(p: PriceSource | null): string {
  if (!p) return '';
  if (p.kind === 'rental') return ` (${[p.provider, p.tier].filter(Boolean).join(' ')})`;
  if (p.kind === 'owned') return ' (owned)';
  return ` (at ${formatUsd(p.usdPerGpuHour)}/GPU-h)`;
}
