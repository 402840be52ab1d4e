import { describe, expect, it } from 'vitest';
import {
  ASYNC_CHECKPOINT_STALL_SECONDS,
  CALIBRATED_RESTART_SECONDS,
  LLAMA3_FAILURES_PER_GPU_HOUR,
  withInterruptions,
  youngCheckpointIntervalSeconds,
} from '../../src/core/reliability.js';

describe('interruptions (Llama 3 failure rate, Young 1974 checkpoint interval)', () => {
  it('419 unexpected interruptions in 54 days on 16,384 H100s = 1.973e-5 per GPU-hour, one every 3.1 h for the job', () => {
    expect(LLAMA3_FAILURES_PER_GPU_HOUR).toBeCloseTo(419 / 21_233_664, 15);
    expect(1 / (LLAMA3_FAILURES_PER_GPU_HOUR * 16_384)).toBeCloseTo(3.093, 3);
  });

  it("Young's interval is √(2·stall·MTBF): 30 s stall, 1-hour MTBF → √(2·30·3600) = 464.8 s", () => {
    expect(youngCheckpointIntervalSeconds(30, 1 / 3600)).toBeCloseTo(Math.sqrt(216_000), 9);
  });

  it('hand-computed case: 1,000 GPUs at 1e-5/GPU-h, 30 min restart, 1 h interval, no stall → T = W / 0.99', () => {
    // Λ = 0.01 per hour; lost per failure = 0.5 h + 1 h / 2 = 1 h; T = W / (1 − 0.01 × 1)
    const r = withInterruptions({
      gpus: 1000,
      workSeconds: 99 * 3600,
      failuresPerGpuHour: 1e-5,
      restartSeconds: 1800,
      checkpointIntervalSeconds: 3600,
      checkpointStallSeconds: 0,
    });
    expect(r.wallClockSeconds).toBeCloseTo(100 * 3600, 6);
    expect(r.interruptions).toBeCloseTo(1, 9);
    expect(r.goodput).toBeCloseTo(0.99, 9);
  });

  it('the default restart time reproduces Llama 3\'s "higher than 90% effective training time" at 16,384 GPUs (§3.3.4)', () => {
    // A calibration, not an independent check: the 5-minute default was chosen to land here (within 1 point).
    const failuresPerSecond = (LLAMA3_FAILURES_PER_GPU_HOUR * 16_384) / 3600;
    const r = withInterruptions({
      gpus: 16_384,
      workSeconds: 54 * 86_400,
      failuresPerGpuHour: LLAMA3_FAILURES_PER_GPU_HOUR,
      restartSeconds: CALIBRATED_RESTART_SECONDS,
      checkpointIntervalSeconds: youngCheckpointIntervalSeconds(ASYNC_CHECKPOINT_STALL_SECONDS, failuresPerSecond),
      checkpointStallSeconds: ASYNC_CHECKPOINT_STALL_SECONDS,
    });
    expect(r.goodput).toBeGreaterThan(0.9);
    expect(r.goodput).toBeLessThan(0.91);
  });

  it('failures that cost more than the time between them make the run endless (Infinity, not a negative time)', () => {
    const r = withInterruptions({
      gpus: 1e6,
      workSeconds: 3600,
      failuresPerGpuHour: 1e-4,
      restartSeconds: 3600,
      checkpointIntervalSeconds: 3600,
      checkpointStallSeconds: 0,
    });
    expect(r.wallClockSeconds).toBe(Number.POSITIVE_INFINITY);
  });
});
