// Issue 15, item 6, on the default path: FP8 at the calibrated utilisation gains what its GEMMs gain,
// not the 2× of its peak. The calibration belongs to 16-bit runs; FP8 multiplies that rate by the
// step-time model's gain for the chosen layout, or, without an architecture, by the median gain of
// the fit set's paired rows.
import { describe, expect, it } from 'vitest';
import { FP8_GAIN_OVER_BF16 } from '../../src/core/calibration.js';
import { builtinThroughputSets } from '../../src/presets/builtin-throughput.js';
import { median } from '../../src/resolve/backtest.js';
import { measuredCase } from '../../src/resolve/throughput-measured.js';
import { expectBetween } from '../helpers/bands.js';
import { estimateJson } from '../helpers/cli.js';
import { registry } from '../helpers/presets.js';

type Rate = { tflopsPerGpu: number; gpuHours: number; wallClockDays: number; wallClockDaysLow: number; wallClockDaysHigh: number };
const rate = (args: string[]) => estimateJson<Rate>(args);

/** 1 − predicted ÷ measured FP8 gain of TorchTitan's held-out Llama 3.1 8B pairs, measured 2026-12-06. */
const SHORTFALL: Record<string, number> = {
  'torchtitan-paper-llama31-8b-h100x8-fsdp-compile-float8-fp8': 0.094,
  'torchtitan-paper-llama31-8b-h100x128-fsdp-compile-float8-fp8': 0.086,
  'torchtitan-doc202412-llama31-8b-h100x8-fsdp-compile-float8-fp8': 0.002,
  'torchtitan-doc202412-llama31-8b-h100x128-fsdp-compile-float8-fp8': -0.021,
};

/** Tokens/s/GPU of FP8 over BF16 for rows whose ids differ only in that suffix, in one split. */
function pairedGains(split: 'fit' | 'holdout', fp8Suffix: string, bf16Suffix: string): number[] {
  const rows = builtinThroughputSets()
    .filter((s) => s.split === split)
    .flatMap((s) => s.rows);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const gains: number[] = [];
  for (const row of rows) {
    if (row.precision !== 'fp8' || !row.id.endsWith(fp8Suffix)) continue;
    const partner = byId.get(row.id.slice(0, -fp8Suffix.length) + bf16Suffix);
    if (!partner) continue;
    gains.push(measuredCase(row, registry).measured.tokensPerSecondPerGpu / measuredCase(partner, registry).measured.tokensPerSecondPerGpu);
  }
  return gains;
}

describe('FP8 at the default utilisation', () => {
  it('the constant is the median gain of the six paired FP8/BF16 rows of the fit set (llm-foundry, 1.00–1.35)', () => {
    const gains = pairedGains('fit', '-fp8', '-bf16');
    expect(gains).toHaveLength(6);
    expect(median(gains)).toBeCloseTo(FP8_GAIN_OVER_BF16, 3);
  });

  it('with an architecture: the step-time model’s gain, 1.2–1.5× for Llama 3 8B, 70B and 405B on 512 H100 (published 1.25–1.64×), never the 2× of the peak', async () => {
    for (const model of ['llama3-8b', 'llama3-70b', 'llama3.1-405b']) {
      const args = ['--model', model, '--gpu', 'h100', '--gpus', '512'];
      const bf16 = await rate([...args, '--precision', 'bf16']);
      const fp8 = await rate([...args, '--precision', 'fp8']);
      const gain = fp8.tflopsPerGpu / bf16.tflopsPerGpu;
      expect(gain, model).toBeGreaterThan(1.2);
      expect(gain, model).toBeLessThan(1.5);
      // One story: hours and days follow the same rate, and the range scales with it.
      expect(bf16.gpuHours / fp8.gpuHours).toBeCloseTo(gain, 6);
      expect(fp8.wallClockDaysLow).toBeLessThan(fp8.wallClockDays);
      expect(fp8.wallClockDaysHigh).toBeGreaterThan(fp8.wallClockDays);
    }
  });

  it('without an architecture: the fit set’s median gain', async () => {
    const args = ['--params', '7e9', '--gpu', 'h100', '--gpus', '64'];
    const bf16 = await rate([...args, '--precision', 'bf16']);
    const fp8 = await rate([...args, '--precision', 'fp8']);
    expect(fp8.tflopsPerGpu / bf16.tflopsPerGpu).toBeCloseTo(FP8_GAIN_OVER_BF16, 9);
  });

  it('and never above the best FP8 MFU measured on the GPU: the 500 W H100 (28 FP8 rows, best 29.0%) caps it, with or without an architecture', async () => {
    type Capped = { mfu: number; utilization: number; warnings: { code: string }[]; assumptions: { name: string; origin: string }[] };
    // The default (35.1% of the 16-bit peak) leaves Llama 3 8B at 2,048 tokens under the bound (at its
    // own 8,192 it reaches the bound); Mixtral 8x22B at 128K tokens, whose attention FLOPs double its
    // MFU, goes over it and is capped.
    const withArch = await estimateJson<Capped>([
      '--model',
      'mixtral-8x22b',
      '--seq-len',
      '131072',
      '--gpu',
      'h100-96gb-hbm2e',
      '--gpus',
      '512',
      '--precision',
      'fp8',
    ]);
    expect(withArch.mfu).toBeLessThanOrEqual(0.2904);
    // The capped utilisation is rounded down to three places: at most one step (0.001 of the peak) under the bound.
    expect(withArch.mfu).toBeGreaterThan(0.2904 - (0.001 * withArch.mfu) / withArch.utilization);
    expect(withArch.warnings.map((w) => w.code)).not.toContain('MFU_ABOVE_PUBLISHED');
    expect(withArch.assumptions.find((a) => a.name === 'Throughput per GPU')?.origin).toMatch(
      /capped so that MFU stays at the best measured on h100-96gb-hbm2e at fp8/,
    );
    const under = await estimateJson<Capped>(['--model', 'llama3-8b', '--seq-len', '2048', '--gpu', 'h100-96gb-hbm2e', '--gpus', '64', '--precision', 'fp8']);
    expect(under.mfu).toBeLessThan(0.29);
    expect(under.assumptions.find((a) => a.name === 'Throughput per GPU')?.origin).not.toMatch(/capped/);
    const bare = await estimateJson<Capped>(['--params', '8e9', '--gpu', 'h100-96gb-hbm2e', '--gpus', '64', '--precision', 'fp8']);
    expect(bare.warnings.map((w) => w.code)).not.toContain('MFU_ABOVE_PUBLISHED');
  });

  it('an explicit --mfu is a fraction of the FP8 peak, as given', async () => {
    const fp8 = await rate(['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '64', '--precision', 'fp8', '--mfu', '0.3']);
    expect(fp8.tflopsPerGpu).toBeCloseTo(1978.9 * 0.3, 6);
  });

  // Held out: TorchTitan's Llama 3.1 8B with and without Float8 (same layout, torch.compile on both),
  // in its paper (1.41×, 1.44×) and its docs of December 2024 (1.28×, 1.29×), on 8 and 128 H100.
  // Each pair's shortfall is held to ±2 points of where it sits: the paper's 9.4% and 8.6% under, the
  // docs' 0.2% under and 2.1% over. Until the 2026-12-06 refit of the step-time constants they were
  // 10.3%, 9.3%, 1.1% under and 1.3% over, and the test asked 2% over to 11% under of all four.
  it('held-out TorchTitan pairs: the default’s gain for Llama 3 8B lies between 2.1% over and 9.4% under the measured ones (fit constant: 12–22% under)', async () => {
    const gains = pairedGains('holdout', '-fsdp-compile-float8-fp8', '-fsdp-compile-bf16');
    expect(gains).toHaveLength(4);
    const predicted: Record<string, number> = {};
    for (const gpus of ['8', '128']) {
      const args = ['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', gpus];
      predicted[gpus] = (await rate([...args, '--precision', 'fp8'])).tflopsPerGpu / (await rate([...args, '--precision', 'bf16'])).tflopsPerGpu;
    }
    const ids = builtinThroughputSets()
      .flatMap((s) => s.rows)
      .filter((r) => r.id.endsWith('-fsdp-compile-float8-fp8') && r.id.includes('-8b-'))
      .map((r) => r.id);
    expect(ids).toHaveLength(4);
    for (const [i, g] of gains.entries()) {
      const gpus = /h100x(\d+)-/.exec(ids[i] as string)?.[1] as string;
      const under = 1 - (predicted[gpus] as number) / g;
      const centre = SHORTFALL[ids[i] as string] as number;
      expectBetween(under, centre - 0.02, centre + 0.02, ids[i]);
    }
  });
});
