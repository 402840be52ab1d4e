// --grad-reduce-fp32: gradients accumulated and reduced in FP32, as Megatron-LM does for every --bf16
// run unless told otherwise (its arguments.py) and NeMo's grad_reduce_in_fp32. One switch moves the
// gradients' memory and the data-parallel traffic together; nothing else in the estimate.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, estimateJson } from '../helpers/cli.js';

type Breakdown = { weights: number; gradients: number; optimizer: number; activations: number; overhead: number };
type Est = {
  gradReduceFp32: boolean;
  memoryBreakdownGB: Breakdown;
  memoryPerGpuGB: number;
  stepSeconds?: number;
  plan?: { tp: number; pp: number; dp: number; zero: number };
  assumptions: { name: string; value: string; origin: string }[];
};

// Llama 3 8B on 8 H100 with its layout fixed, so that both runs hold the same shards.
const layout = ['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '8', '--tp', '2', '--pp', '1', '--zero', '1', '--micro-batch', '1', '--recompute', 'none'];

describe('--grad-reduce-fp32 (FP32 gradients)', () => {
  it('doubles the gradients’ memory and moves nothing else in the breakdown; JSON says which', async () => {
    const [plain, fp32] = await Promise.all([estimateJson<Est>(layout), estimateJson<Est>([...layout, '--grad-reduce-fp32'])]);
    expect([plain.gradReduceFp32, fp32.gradReduceFp32]).toEqual([false, true]);
    expect(fp32.plan).toEqual(plain.plan);
    expect(fp32.memoryBreakdownGB.gradients / plain.memoryBreakdownGB.gradients).toBeCloseTo(2, 9);
    const { gradients: _a, ...rest } = plain.memoryBreakdownGB;
    const { gradients: _b, ...restFp32 } = fp32.memoryBreakdownGB;
    expect(restFp32).toEqual(rest);
    expect(fp32.memoryPerGpuGB - plain.memoryPerGpuGB).toBeCloseTo(plain.memoryBreakdownGB.gradients, 6);
  });

  it('under ZeRO-2 the FP32 gradients are sharded like the 16-bit ones: still twice as many bytes', async () => {
    const zero2 = layout.map((a, i) => (layout[i - 1] === '--zero' ? '2' : a));
    const [plain, fp32] = await Promise.all([estimateJson<Est>(zero2), estimateJson<Est>([...zero2, '--grad-reduce-fp32'])]);
    expect(fp32.memoryBreakdownGB.gradients / plain.memoryBreakdownGB.gradients).toBeCloseTo(2, 9);
  });

  it('under --perf model the data-parallel reduction carries FP32: the step is no faster, and slower where it is exposed', async () => {
    const perf = [...layout, '--perf', 'model', '--gpus', '64', '--global-batch', '64'];
    const [plain, fp32] = await Promise.all([estimateJson<Est>(perf), estimateJson<Est>([...perf, '--grad-reduce-fp32'])]);
    expect(fp32.stepSeconds).toBeGreaterThan(plain.stepSeconds as number);
  });

  it('names itself among the assumptions, and only when given', async () => {
    const [plain, fp32] = await Promise.all([estimateJson<Est>(layout), estimateJson<Est>([...layout, '--grad-reduce-fp32'])]);
    expect(plain.assumptions.find((a) => a.name === 'Gradients')).toBeUndefined();
    const row = fp32.assumptions.find((a) => a.name === 'Gradients');
    expect(row?.value).toMatch(/FP32 \(4 bytes a gradient/);
    expect(row?.origin).toMatch(/--grad-reduce-fp32/);
    const table = await cli(['memory', ...layout, '--grad-reduce-fp32']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/Gradients\s+│\s+[\d.]+\s+│ FP32/);
    expect(table.out).toMatch(/4 B \(gradients, FP32\)/);
  });

  it('a run file says it as gradReduceFp32, with the same answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-fp32-grads-'));
    const file = join(dir, 'run.yaml');
    writeFileSync(file, 'model: llama3-8b\ngpu: h100\ngpus: 8\ntp: 2\npp: 1\nzero: 1\nmicroBatch: 1\nrecompute: none\ngradReduceFp32: true\n');
    const [fromFile, fromFlag] = await Promise.all([estimateJson<Est>(['--config', file]), estimateJson<Est>([...layout, '--grad-reduce-fp32'])]);
    expect(fromFile.gradReduceFp32).toBe(true);
    expect(fromFile.memoryBreakdownGB).toEqual(fromFlag.memoryBreakdownGB);
  });
});
