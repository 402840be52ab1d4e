// Issue 17, item 6: a throughput measured on the user's own run re-projects the whole run.
import { describe, expect, it } from 'vitest';
import { cli, estimateJson } from '../helpers/cli.js';

type E = { wallClockSeconds: number; gpuHours: number; tflopsPerGpu: number; assumptions: { name: string; origin: string }[] };
const base = ['--model', 'llama3-70b', '--gpu', 'h100', '--gpus', '1024', '--tokens', '15T'];

describe('calibrated from your own run', () => {
  it('--tokens-per-sec sets the step: 15T tokens at 950 tokens/s on each of 1,024 GPUs, plus the expected interruptions', async () => {
    const step = await estimateJson<E>([...base, '--tokens-per-sec', '950', '--no-reliability']);
    expect(step.wallClockSeconds).toBeCloseTo(15e12 / (950 * 1024), -2);
    const whole = await estimateJson<E>([...base, '--tokens-per-sec', '950']);
    expect(whole.gpuHours).toBeGreaterThan(step.gpuHours);
    expect(whole.assumptions.find((a) => a.name === 'Throughput per GPU')?.origin).toMatch(/^calibrated from your run: 950\.0 tokens\/s per GPU/);
  });

  it('--step-time with the global batch is the same measurement: 1,024 × 8,192 tokens every 8.6 s on 1,024 GPUs', async () => {
    const tokensPerSec = (1024 * 8192) / 8.6 / 1024;
    const fromStep = await estimateJson<E>([...base, '--step-time', '8.6s', '--global-batch', '1024']);
    const fromRate = await estimateJson<E>([...base, '--tokens-per-sec', String(tokensPerSec)]);
    expect(fromStep.tflopsPerGpu).toBeCloseTo(fromRate.tflopsPerGpu, 6);
  });

  it('refuses a second source of throughput, and a step time without the tokens of a step', async () => {
    const both = await cli(['estimate', ...base, '--tokens-per-sec', '950', '--mfu', '0.4']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--tokens-per-sec and --mfu cannot be used together/);
    const bare = await cli(['estimate', '--params', '7B', '--tokens', '1T', '--gpu', 'h100', '--gpus', '8', '--step-time', '2s']);
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/--step-time needs the tokens of a step/);
  });

  it('a step time without a unit is refused with an example in seconds, not months', async () => {
    const r = await cli(['estimate', ...base, '--step-time', '3', '--global-batch', '1024']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/e\.g\. 2\.5s or 400ms/);
    expect(r.err).not.toMatch(/3mo/);
  });
});
