// Issue 16's case: DeepSeek-V3 pre-training (DeepSeek-AI 2024, "DeepSeek-V3 Technical Report",
// https://arxiv.org/abs/2412.19437): 14.8T tokens on 2,048 H800 in FP8 with PP 16 (DualPipe, which
// overlaps the all-to-all with computation), EP 64 and ZeRO-1, 2.664M H800-hours for pre-training
// (2.788M with context extension and post-training). Target: within 20%.
import { describe, expect, it } from 'vitest';
import { cliJson, estimateJson } from '../helpers/cli.js';

const base = [
  '--model',
  'deepseek-v3',
  '--gpu',
  'h800',
  '--gpus',
  '2048',
  '--precision',
  'fp8',
  '--perf',
  'model',
  '--tokens',
  '14.8T',
  '--moe-overlap',
  '--expert-dispatcher',
  'deepep',
];
type Row = { gpuHours: number; stepSeconds: number; fits: boolean; plan: { tp: number; pp: number; ep?: number } };

describe('DeepSeek-V3 on 2,048 H800', () => {
  // Measured 2026-12-06: 1.16 of the published H800-hours with DeepEP's dispatch, as DeepSeek ran it
  // (§3.2.2), and the interruptions and checkpoint stalls the step-time model adds by default; 1.41
  // with a plain all-to-all. gpucost's activation estimate leaves no room for this layout without
  // full recomputation, which the search therefore picks; DeepSeek kept activations in FP8 and
  // recomputed only norms and MLA up-projections (§3.3.2), which gpucost does not model, so part of
  // the 16% is recomputation the run did not do.
  it('with the published layout: H800-hours within 20% of the 2.664M published for pre-training', async () => {
    const e = await estimateJson<Row>([...base, '--tp', '1', '--pp', '16', '--ep', '64', '--zero', '1']);
    expect(e.fits).toBe(true);
    expect(e.plan).toMatchObject({ tp: 1, pp: 16, ep: 64 });
    expect(Math.abs(e.gpuHours / 2.664e6 - 1)).toBeLessThan(0.2);
  });

  it('left free, the search finds a layout at least as fast as the published one', async () => {
    const published = await estimateJson<Row>([...base, '--tp', '1', '--pp', '16', '--ep', '64', '--zero', '1']);
    const free = await estimateJson<Row>(base);
    expect(free.fits).toBe(true);
    expect(free.stepSeconds).toBeLessThanOrEqual(published.stepSeconds);
  });

  it('compare prints each GPU’s layout (TP, PP, EP) for DeepSeek-V3 on H800, H100 and B200', async () => {
    const { code, json } = await cliJson<{ estimates: Row[] }>([
      'compare',
      '--model',
      'deepseek-v3',
      '--gpu',
      'h800,h100,b200',
      '--perf',
      'model',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    expect(json.estimates).toHaveLength(3);
    for (const e of json.estimates) expect(e.plan.ep).toBeGreaterThan(1);
  });
});
