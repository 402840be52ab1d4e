import { describe, expect, it } from 'vitest';
import { estimateTraining } from '../../src/core/estimate.js';
import { paramCounts } from '../../src/core/params.js';
import { tflopsToFlopsPerSecond, secondsToDays } from '../../src/core/units.js';
import { arch } from '../helpers/presets.js';
import { within } from '../helpers/cli.js';

// Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM",
// Table 2 (https://arxiv.org/abs/2104.04473): days for 300B tokens from GPUs and achieved TFLOP/s per GPU,
// FLOPs counted with eq. (3) at V = 51,200, s = 2048. Tolerance 4% (the paper's days are rounded).
const TOLERANCE = 0.04;
const MODELS = { '175B': arch('gpt3-175b', { vocab: 51200 }), '530B': arch('mt-nlg-530b') };

const rows: [scheme: string, model: keyof typeof MODELS, gpus: number, tflops: number, days: number][] = [
  ['ZeRO-3', '175B', 384, 144, 90],
  ['ZeRO-3', '175B', 768, 88, 74],
  ['ZeRO-3', '175B', 1536, 44, 74],
  ['ZeRO-3', '530B', 640, 138, 169],
  ['ZeRO-3', '530B', 1120, 98, 137],
  ['ZeRO-3', '530B', 2240, 48, 140],
  ['PTD-P', '175B', 384, 153, 84],
  ['PTD-P', '175B', 768, 149, 43],
  ['PTD-P', '175B', 1536, 141, 23],
  ['PTD-P', '530B', 560, 171, 156],
  ['PTD-P', '530B', 1120, 167, 80],
  ['PTD-P', '530B', 2240, 159, 42],
];

describe('Megatron-LM Table 2: days from GPUs and TFLOP/s per GPU', () => {
  it.each(rows)('%s %s on %d GPUs at %d TFLOP/s → %d days', (_scheme, model, gpus, tflops, days) => {
    const m = MODELS[model];
    const r = estimateTraining({
      params: paramCounts(m).total,
      tokens: 300e9,
      arch: m,
      convention: 'megatron',
      gpus,
      flopsPerSecondPerGpu: tflopsToFlopsPerSecond(tflops),
      scalingEfficiency: 1,
      usdPerGpuHour: null,
    });
    expect(within(secondsToDays(r.wallClockSeconds), days)).toBeLessThan(TOLERANCE);
  });

  it("the parameter counts are the paper's 174.6B and 529.6B (within 0.5%)", () => {
    expect(within(paramCounts(MODELS['175B']).total, 174.6e9)).toBeLessThan(0.005);
    expect(within(paramCounts(MODELS['530B']).total, 529.6e9)).toBeLessThan(0.005);
  });
});
