/** `--from-log FILE`: the measured throughput of a training log, as the request fields that carry it. */
import { resolve } from 'node:path';
import { type LogFramework, parseTrainingLog } from '../core/parse-log.js';
import { GpucostError } from '../errors.js';
import { readBoundedFile } from '../presets/read-file.js';
import type { MeasuredRequest } from '../resolve/measured.js';

/** Logs are read whole; a long run's log stays far below this. */
const MAX_LOG_BYTES = 64 * 1024 * 1024;

const FRAMEWORK_NAMES: Record<LogFramework, string> = {
  megatron: 'Megatron-LM',
  nemo: 'NeMo',
  torchtitan: 'TorchTitan',
  'hf-trainer': 'Hugging Face Trainer',
};

export function measuredFromLog(
  file: string,
  cwd: string,
): Pick<MeasuredRequest, 'tokensPerSec' | 'stepTime' | 'samplesPerSec' | 'measuredFrom'> & { globalBatch?: number } {
  const text = readBoundedFile(resolve(cwd, file), file, MAX_LOG_BYTES).toString('utf8');
  const log = parseTrainingLog(text);
  if (!log) {
    throw new GpucostError(
      'E_INPUT',
      `no throughput found in ${JSON.stringify(file)}`,
      'expected a Megatron-LM, NeMo, TorchTitan or Hugging Face Trainer log (iteration times, train_step_timing, tps:, or train_samples_per_second)',
    );
  }
  const measuredFrom = `log ${file}: ${FRAMEWORK_NAMES[log.framework]}, median of ${log.samples} step(s)`;
  return {
    measuredFrom,
    ...(log.tokensPerSecPerGpu !== undefined ? { tokensPerSec: log.tokensPerSecPerGpu } : {}),
    ...(log.stepSeconds !== undefined ? { stepTime: log.stepSeconds } : {}),
    ...(log.samplesPerSec !== undefined ? { samplesPerSec: log.samplesPerSec } : {}),
    ...(log.globalBatch !== undefined ? { globalBatch: log.globalBatch } : {}),
  };
}
