// What a measured peak of GPU memory counts (MEMORY_METRICS), and how much of gpucost's framework
// allowance each sees when gpucost is compared with a measurement.
import { describe, expect, it } from 'vitest';
import { FRAMEWORK_OVERHEAD_BYTES, SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES, bytesSeenBy, frameworkOverheadBytes, overheadSeenBy } from '../../src/core/memory.js';

const one = { tp: 1, pp: 1, dp: 1, cp: 1 };
const two = { tp: 1, pp: 1, dp: 2, cp: 1 };
const many = { tp: 8, pp: 4, dp: 16, cp: 2 };

describe('overheadSeenBy', () => {
  it('an allocated peak holds the tensors alone: none of the allowance', () => {
    for (const plan of [one, two, many]) expect(overheadSeenBy('allocated', plan)).toBe(0);
  });
  it('a device peak sees all of it: one GPU the one-GPU allowance, more the allowance with communication buffers', () => {
    expect(overheadSeenBy('device', one)).toBe(SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES);
    for (const plan of [two, many]) expect(overheadSeenBy('device', plan)).toBe(FRAMEWORK_OVERHEAD_BYTES);
    for (const plan of [one, two, many]) expect(overheadSeenBy('device', plan)).toBe(frameworkOverheadBytes(plan));
  });
  it("a reserved peak sees the caching allocator's spare, fitted on reserved peaks, on any GPU count: no CUDA context or NCCL buffers", () => {
    for (const plan of [one, two, many]) expect(overheadSeenBy('reserved', plan)).toBe(SINGLE_GPU_FRAMEWORK_OVERHEAD_BYTES);
  });
  it('never sees more than the device does', () => {
    for (const plan of [one, two, many]) {
      expect(overheadSeenBy('allocated', plan)).toBeLessThanOrEqual(overheadSeenBy('reserved', plan));
      expect(overheadSeenBy('reserved', plan)).toBeLessThanOrEqual(overheadSeenBy('device', plan));
    }
  });
});

describe('bytesSeenBy', () => {
  it('is the estimate without its own allowance plus what the metric sees, with or without the allowance counted in', () => {
    const tensors = 40e9;
    for (const plan of [one, many]) {
      const withAllowance = { totalBytes: tensors + frameworkOverheadBytes(plan), overheadBytes: frameworkOverheadBytes(plan) };
      const without = { totalBytes: tensors, overheadBytes: 0 };
      for (const metric of ['allocated', 'reserved', 'device', undefined] as const) {
        expect(bytesSeenBy(withAllowance, metric, plan)).toBe(tensors + overheadSeenBy(metric, plan));
        expect(bytesSeenBy(without, metric, plan)).toBe(bytesSeenBy(withAllowance, metric, plan));
      }
    }
    expect(bytesSeenBy({ totalBytes: tensors + FRAMEWORK_OVERHEAD_BYTES, overheadBytes: FRAMEWORK_OVERHEAD_BYTES }, 'device', many)).toBe(
      tensors + FRAMEWORK_OVERHEAD_BYTES,
    );
  });
});
