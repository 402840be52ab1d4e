// Issue 15's case: Llama 3 405B pre-training (The Llama 3 Herd of Models, https://arxiv.org/abs/2407.21783,
// §3.3.2, Table 4: BF16 MFU 43% on 8,192 H100 and 41% on 16,384 at 8K tokens, 38% on 16,384 at 128K
// with CP 16; TP 8, PP 16 with uneven, interleaved stages). `gpucost estimate --perf model` with the
// published layout, the micro-batch, recomputation and interleaving searched among layouts that fit
// gpucost's memory estimate. The target is within 10% of the published MFU.
import { describe, expect, it } from 'vitest';
import { expectBetween } from '../helpers/bands.js';
import { estimateJson } from '../helpers/cli.js';

const mfu = async (args: string[]): Promise<number> =>
  (await estimateJson<{ mfu: number }>(['--model', 'llama3.1-405b', '--gpu', 'h100', '--perf', 'model', '--tp', '8', '--pp', '16', ...args])).mfu;

describe('Llama 3 405B, Table 4', () => {
  // Within 10% (35.0%, 0.92 of it) until the step-time constants were refitted on Megatron-LM Table 1's
  // published layouts (2026-12-06): 34.1% since, 0.898 of the published, just outside issue 15's 10%.
  it('known gap: 128K tokens, CP 16 on 16,384 GPUs: 34.1% against the published 38% MFU (0.898 of it, held to ±0.01; within 10% before the 2026-12-06 refit)', async () => {
    const m = await mfu(['--gpus', '16384', '--cp', '16', '--seq-len', '131072', '--global-batch', '128']);
    expectBetween(m / 0.38, 0.888, 0.908);
  });

  // Known gaps, measured 2026-12-06 (predicted ÷ published MFU, ±0.02): at 8K tokens no layout without
  // recomputation fits gpucost's activation estimate (Korthikanti et al. 2022, with 16 micro-batches
  // in flight on the first stage), so the search recomputes everything and lands 19-20% low. With the
  // recomputation the paper's table implies (none), the throughput set's rows for these runs come out
  // 14-16% high (docs/throughput-validation.md).
  it.each([
    ['8192', 0.43, 0.79, 0.83],
    ['16384', 0.41, 0.78, 0.82],
  ])('known gap: 8K tokens on %s GPUs: predicted ÷ published %d MFU stays within %d–%d', async (gpus, published, low, high) => {
    const ratio = (await mfu(['--gpus', gpus, '--global-batch', '2048'])) / published;
    expect(ratio).toBeGreaterThanOrEqual(low);
    expect(ratio).toBeLessThanOrEqual(high);
  });

  // §3.3.2: "we could pre-train Llama 3 on sequences of 8K tokens without activation checkpointing".
  // With that stated, the published TP 8 × PP 16 × DP and one sequence per micro-batch, the model
  // is within 10% for 4 or 8 interleaved chunks per stage (the paper does not give V; 2 chunks give
  // 0.96 and 0.84). gpucost's activation estimate puts these layouts at 96–104 GB a GPU, which the
  // paper ran in 80 GB, so the search above does not choose them. Measured 2026-12-06, ±0.02.
  it.each([
    ['8192', '64', 0.43, '4', 1.049],
    ['8192', '64', 0.43, '8', 1.087],
    ['16384', '128', 0.41, '4', 0.991],
    ['16384', '128', 0.41, '8', 1.074],
  ])(
    '8K tokens on %s GPUs (DP %s), published MFU %s, %s chunks per stage, no recomputation as the paper states: within 10%',
    async (gpus, dp, published, v, centre) => {
      const args = ['--gpus', gpus, '--dp', dp, '--global-batch', '2048', '--micro-batch', '1', '--recompute', 'none', '--zero', '3', '--virtual-stages', v];
      const ratio = (await mfu(args)) / published;
      expect(Math.abs(ratio - 1)).toBeLessThan(0.1);
      expectBetween(ratio, centre - 0.02, centre + 0.02);
    },
  );
});
