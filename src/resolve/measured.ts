/**
 * Throughput measured on the user's own run (--tokens-per-sec, --step-time): a short trial of the real
 * job is the best predictor of the whole run, so it replaces peak × utilisation and the step-time
 * model, and the whole run is re-projected from it (issue 17, item 6).
 */
import { flopsPerToken } from '../core/flops.js';
import type { FlopsConvention } from '../core/enums.js';
import { MEASURED_THROUGHPUT_BAND, type ThroughputRange, bandAround } from '../core/range.js';
import type { ModelArch } from '../core/types.js';
import { TERA } from '../core/units.js';
import { GpucostError } from '../errors.js';
import { type Resolved, r } from './origin.js';

export interface MeasuredRequest {
  /** Training tokens per second per GPU measured on the user's run (--tokens-per-sec). */
  tokensPerSec?: number;
  /** Seconds per optimizer step measured on the user's run, with the global batch (--step-time). */
  stepTime?: number;
  /** Sequences per second of the whole job (a Hugging Face Trainer log's train_samples_per_second). */
  samplesPerSec?: number;
  /** Where a measurement was read (--from-log FILE): set by the CLI, shown as its origin. */
  measuredFrom?: string;
  /** A training log to read the measurement from (the CLI turns it into the fields above). */
  fromLog?: string;
}

export interface MeasuredThroughput {
  tflopsPerGpu: Resolved<number>;
  utilization: Resolved<number>;
  range: Resolved<ThroughputRange>;
}

interface Context {
  convention: FlopsConvention;
  params: number;
  arch: ModelArch | undefined;
  gpus: number;
  /** Sequences per optimizer step, when known. */
  globalBatch: number | undefined;
  peakTflops: number;
  /** The other throughput flags given, which a measurement cannot be combined with. */
  conflicting: string[];
  /** A fine-tune's trainable adapters: its FLOPs skip the frozen base's weight gradients. */
  adapterParams?: number;
}

/** The measured rate as TFLOP/s per GPU in the estimate's FLOPs convention; null when none was given. */
export function measuredThroughput(req: MeasuredRequest, c: Context): MeasuredThroughput | null {
  const perGpu = measuredTokensPerSecond(req, c);
  if (perGpu === null) return null;
  if (c.conflicting.length > 0) {
    throw new GpucostError(
      'E_INPUT',
      `a measured rate (${perGpu.origin}) cannot be combined with ${c.conflicting.join(', ')}`,
      'give one source of throughput',
    );
  }
  // Counted as the run's FLOPs are, so that the measured tokens per second come back out of them.
  const finetune = c.adapterParams === undefined ? {} : { finetune: { adapterParams: c.adapterParams } };
  const tflops = (perGpu.value * flopsPerToken({ convention: c.convention, params: c.params, ...(c.arch ? { arch: c.arch } : {}), ...finetune })) / TERA;
  const from = `calibrated from your run: ${perGpu.value.toPrecision(4)} tokens/s per GPU (${perGpu.origin})`;
  return {
    tflopsPerGpu: r(tflops, from),
    utilization: r(tflops / c.peakTflops, `implied: ${tflops.toPrecision(4)} ÷ ${c.peakTflops} TFLOP/s peak`),
    range: r(bandAround(tflops, MEASURED_THROUGHPUT_BAND), `±${MEASURED_THROUGHPUT_BAND * 100}% around your measured rate (Llama 3 405B: 38–43% MFU, Table 4)`),
  };
}

function measuredTokensPerSecond(req: MeasuredRequest, c: Context): Resolved<number> | null {
  const given = [req.tokensPerSec, req.stepTime, req.samplesPerSec].filter((v) => v !== undefined).length;
  if (given > 1) throw new GpucostError('E_INPUT', '--tokens-per-sec, --step-time and --from-log each measure the throughput', 'give one of them');
  const from = (flag: string): string => req.measuredFrom ?? `flag ${flag}`;
  if (req.tokensPerSec !== undefined) return r(req.tokensPerSec, from('--tokens-per-sec'));
  if (req.stepTime === undefined && req.samplesPerSec === undefined) return null;
  if (!c.arch) {
    throw new GpucostError('E_INPUT', `${from('--step-time')} needs the tokens of a step: a model with a sequence length`, 'give --model, or --tokens-per-sec');
  }
  if (req.samplesPerSec !== undefined) {
    return r(
      (req.samplesPerSec * c.arch.seqLen) / c.gpus,
      `${from('--from-log')}: ${req.samplesPerSec} sequences/s of ${c.arch.seqLen} tokens on ${c.gpus} GPUs`,
    );
  }
  if (c.globalBatch === undefined) {
    throw new GpucostError('E_INPUT', `${from('--step-time')} needs the tokens of a step: a global batch`, 'give --global-batch, or --tokens-per-sec');
  }
  const tokens = c.globalBatch * c.arch.seqLen;
  return r(
    tokens / (req.stepTime as number) / c.gpus,
    `${from('--step-time')}: ${req.stepTime} s per step of ${c.globalBatch} × ${c.arch.seqLen} tokens on ${c.gpus} GPUs`,
  );
}
