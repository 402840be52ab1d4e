/**
 * Interruptions of a long synchronous training run and what they cost in wall-clock time.
 *
 * Model (first order, as in Young 1974, "A first order approximation to the optimum checkpoint interval",
 * Communications of the ACM 17(9):530–531, and Daly 2006, "A higher order estimate of the optimum
 * checkpoint interval for restart dumps", Future Generation Computer Systems 22(3)): the job saves a
 * checkpoint every C seconds of work, stalling δ seconds each time; failures arrive as a Poisson process
 * at rate Λ = λ·G (λ per GPU, G GPUs) and each one costs the restart time R plus, on average, half a
 * checkpoint segment of lost work, (C + δ)/2. The wall-clock T for W seconds of work then satisfies
 * T = W·(1 + δ/C) + Λ·T·(R + (C + δ)/2), so T = W·(1 + δ/C) / (1 − Λ·(R + (C + δ)/2)).
 */
import { HOURS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE } from './units.js';

/**
 * Unexpected interruptions per GPU-hour, from the Llama 3 405B pre-training run (Llama Team 2024,
 * "The Llama 3 Herd of Models", https://arxiv.org/abs/2407.21783, §3.3.4 and Table 5): 419 unexpected
 * interruptions (of 466; 47 were planned maintenance) in a 54-day snapshot on 16,384 H100 GPUs, about 78%
 * of them hardware-related. 419 / (16,384 GPUs × 54 days × 24 h) = 419 / 21,233,664 GPU-hours
 * = 1.97e-5 per GPU-hour, one interruption every 3.1 hours for the whole job.
 */
export const LLAMA3_INTERRUPTIONS = 419;
export const LLAMA3_GPUS = 16_384;
export const LLAMA3_SNAPSHOT_DAYS = 54;
export const LLAMA3_FAILURES_PER_GPU_HOUR = LLAMA3_INTERRUPTIONS / (LLAMA3_GPUS * LLAMA3_SNAPSHOT_DAYS * HOURS_PER_DAY);

/**
 * Training stall per checkpoint with asynchronous distributed checkpointing: 30 s. PyTorch blog,
 * "Reducing Model Checkpointing Times by Over 10x with PyTorch Distributed Asynchronous Checkpointing"
 * (https://pytorch.org/blog/reducing-checkpointing-times): "the training time lost due to
 * checkpointing now moves to under 30 seconds"; a 7B model's stall fell from 148.8 s (synchronous) to 6.3 s.
 */
export const ASYNC_CHECKPOINT_STALL_SECONDS = 30;

/**
 * Time from an interruption to training again (detect, replace or exclude the node, relaunch, load the
 * checkpoint): 5 minutes. Not a published measurement: it is the value at which this model, with the
 * Llama 3 failure rate, Young's checkpoint interval and a 30 s stall, reproduces the "higher than 90%
 * effective training time" Llama 3 reports at 16,384 GPUs (§3.3.4). Pass --restart-time for your system.
 */
export const CALIBRATED_RESTART_SECONDS = 5 * SECONDS_PER_MINUTE;

/** Young's optimum checkpoint interval: √(2·δ·M), with M = 1/Λ the job's mean time between failures (s). */
export function youngCheckpointIntervalSeconds(stallSeconds: number, jobFailuresPerSecond: number): number {
  return Math.sqrt((2 * stallSeconds) / jobFailuresPerSecond);
}

export interface ReliabilityInput {
  gpus: number;
  /** Wall-clock of the work itself, without interruptions or checkpoint stalls, s. */
  workSeconds: number;
  failuresPerGpuHour: number;
  restartSeconds: number;
  checkpointIntervalSeconds: number;
  checkpointStallSeconds: number;
}

export interface ReliabilityResult {
  /** Expected wall-clock with stalls and interruptions, s (Infinity when failures outpace progress). */
  wallClockSeconds: number;
  /** Expected interruptions over the run. */
  interruptions: number;
  /** Wall-clock spent in checkpoint stalls, s. */
  checkpointStallSeconds: number;
  /** Wall-clock lost to interruptions (restarts and recomputed work), s. */
  interruptionSeconds: number;
  /** Useful work ÷ wall-clock. */
  goodput: number;
}

/** Expected wall-clock of `workSeconds` of training with checkpoints and interruptions (see the module comment). */
export function withInterruptions(r: ReliabilityInput): ReliabilityResult {
  const jobFailuresPerSecond = (r.failuresPerGpuHour * r.gpus) / SECONDS_PER_HOUR;
  const stalled = r.workSeconds * (1 + r.checkpointStallSeconds / r.checkpointIntervalSeconds);
  const lostPerFailure = r.restartSeconds + (r.checkpointIntervalSeconds + r.checkpointStallSeconds) / 2;
  const lostFraction = jobFailuresPerSecond * lostPerFailure;
  const wallClockSeconds = lostFraction >= 1 ? Number.POSITIVE_INFINITY : stalled / (1 - lostFraction);
  return {
    wallClockSeconds,
    interruptions: jobFailuresPerSecond * wallClockSeconds,
    checkpointStallSeconds: stalled - r.workSeconds,
    interruptionSeconds: wallClockSeconds - stalled,
    goodput: r.workSeconds / wallClockSeconds,
  };
}
