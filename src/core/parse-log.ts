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
  /** The step a line reports, so that ranks printing the same step count once. */
  step?: RegExp;
}

// Megatron-LM: "elapsed time per iteration (ms): 1234.5"; NeMo: "train_step_timing in s: 1.23";
// TorchTitan: "tps: 6,258" (older versions "wps:"); the Hugging Face Trainer's summary dict.
const PATTERNS: Pattern[] = [
  {
    framework: 'megatron',
    field: 'stepSeconds',
    re: new RegExp(`elapsed time per iteration \\(ms\\):\\s*${NUMBER}`),
    scale: 1e-3,
    step: /iteration\s+([0-9]+)\s*\//,
  },
  { framework: 'nemo', field: 'stepSeconds', re: new RegExp(`train_step_timing(?: in s)?\\s*[=:]\\s*${NUMBER}`), scale: 1, step: /global_step[=:]\s*([0-9]+)/ },
  { framework: 'torchtitan', field: 'tokensPerSecPerGpu', re: new RegExp(`\\b(?:tps|wps):\\s*${NUMBER}`), scale: 1, step: /\bstep:\s*([0-9]+)/ },
  { framework: 'hf-trainer', field: 'samplesPerSec', re: new RegExp(`'train_samples_per_second':\\s*${NUMBER}`), scale: 1 },
];

/** Terminal colour codes that coloured loggers leave inside a line. */
const COLOUR = /\u001b\[[0-9;]*[A-Za-z]/g;
/** Carriage returns (raw, or written out as ^M) with which progress bars redraw a line. */
const REDRAW = /\r|\^M/g;

/** The throughput a log reports, or null when it matches none of the known formats. */
export function parseTrainingLog(text: string): LogThroughput | null {
  const lines = text.replace(COLOUR, '').replace(REDRAW, '\n').split('\n');
  for (const p of PATTERNS) {
    const values = stepValues(lines, p);
    if (values.length === 0) continue;
    // A summary (the Trainer's) is one number; per-step logs drop their warm-up steps when they can.
    const kept = values.length > WARMUP_STEPS ? values.slice(WARMUP_STEPS) : values;
    const out: LogThroughput = { framework: p.framework, samples: kept.length, [p.field]: median(kept) };
    const batch = /global[ _]batch[ _]size:\s*([0-9]+)/.exec(text);
    if ((p.framework === 'megatron' || p.framework === 'nemo') && batch) out.globalBatch = Number(batch[1]);
    return out;
  }
  return null;
}

/** A pattern's values in step order, one per step (the first rank's line), or in line order without step numbers. */
function stepValues(lines: string[], p: Pattern): number[] {
  const byStep = new Map<number, number>();
  const unnumbered: number[] = [];
  for (const line of lines) {
    const m = p.re.exec(line);
    if (!m) continue;
    const value = Number((m[1] ?? '').replaceAll(',', '')) * p.scale;
    if (!(value > 0) || !Number.isFinite(value)) continue;
    const step = p.step?.exec(line);
    if (step) {
      const n = Number(step[1]);
      if (!byStep.has(n)) byStep.set(n, value);
    } else unnumbered.push(value);
  }
  if (byStep.size === 0) return unnumbered;
  return [...byStep.entries()].sort((x, y) => x[0] - y[0]).map(([, v]) => v);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
