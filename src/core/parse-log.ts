/**
 * Throughput read from a training log (--from-log): Megatron-LM, NeMo, TorchTitan and the Hugging
 * Face Trainer each print it their own way. Pure: the caller reads the file. The median over the
 * logged steps is taken, after the first WARMUP_STEPS, so compilation and warm-up do not count.
 */

export type LogFramework = 'megatron' | 'nemo' | 'torchtitan' | 'hf-trainer';

export interface LogThroughput {
  framework: LogFramework;
  /** Steps (or summaries) the value comes from. */
  samples: number;
  /** Training tokens per second per GPU, when the log states it (TorchTitan). */
  tokensPerSecPerGpu?: number;
  /** Seconds per optimizer step (Megatron-LM, NeMo). */
  stepSeconds?: number;
  /** Sequences per second over the whole job (the Hugging Face Trainer's train_samples_per_second). */
  samplesPerSec?: number;
  /** The global batch in sequences, when the log states it (Megatron-LM). */
  globalBatch?: number;
}

/** Logged steps left out before the median: the first ones carry compilation, allocation and warm-up. */
export const WARMUP_STEPS = 2;

const NUMBER = String.raw`([0-9][0-9,]*\.?[0-9]*(?:e[+-]?[0-9]+)?)`;

interface Pattern {
  framework: LogFramework;
  field: 'tokensPerSecPerGpu' | 'stepSeconds' | 'samplesPerSec';
  re: RegExp;
  /** Converts the captured number to the field's unit. */
  scale: number;
}

// Megatron-LM: "elapsed time per iteration (ms): 1234.5"; NeMo: "train_step_timing in s=1.23";
// TorchTitan: "tps: 6,258" (older versions "wps:"); the Hugging Face Trainer's summary dict.
const PATTERNS: Pattern[] = [
  { framework: 'megatron', field: 'stepSeconds', re: new RegExp(`elapsed time per iteration \\(ms\\):\\s*${NUMBER}`, 'g'), scale: 1e-3 },
  { framework: 'nemo', field: 'stepSeconds', re: new RegExp(`train_step_timing(?: in s)?\\s*[=:]\\s*${NUMBER}`, 'g'), scale: 1 },
  { framework: 'torchtitan', field: 'tokensPerSecPerGpu', re: new RegExp(`\\b(?:tps|wps):\\s*${NUMBER}`, 'g'), scale: 1 },
  { framework: 'hf-trainer', field: 'samplesPerSec', re: new RegExp(`'train_samples_per_second':\\s*${NUMBER}`, 'g'), scale: 1 },
];

/** The throughput a log reports, or null when it matches none of the known formats. */
export function parseTrainingLog(text: string): LogThroughput | null {
  for (const p of PATTERNS) {
    const values = [...text.matchAll(p.re)].map((m) => Number((m[1] ?? '').replaceAll(',', '')) * p.scale).filter((v) => v > 0 && Number.isFinite(v));
    if (values.length === 0) continue;
    // A summary (the Trainer's) is one number; per-step logs drop their warm-up steps when they can.
    const kept = values.length > WARMUP_STEPS ? values.slice(WARMUP_STEPS) : values;
    const out: LogThroughput = { framework: p.framework, samples: kept.length, [p.field]: median(kept) };
    const batch = /global batch size:\s*([0-9]+)/.exec(text);
    if (p.framework === 'megatron' && batch) out.globalBatch = Number(batch[1]);
    return out;
  }
  return null;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
