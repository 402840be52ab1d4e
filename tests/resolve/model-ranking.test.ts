// RANKED_BY_PEAK: GPU types at the default utilisation rank by peak alone; the step-time model's
// second opinion is said where it differs by more than 5%, with the ratios `--perf model` prints.
import { describe, expect, it } from 'vitest';
import { cliJson } from '../helpers/cli.js';

type Warning = { code: string; message: string; detail?: Record<string, number | string>; rows?: { gpu: string; gpus: number }[] };
type Compare = { estimates: { gpu: string; gpus: number; tflopsPerGpu: number }[]; warnings: Warning[] };

const args = ['compare', '--model', 'llama3-70b', '--gpu', 'h100,h200,b200', '--gpus', '64,256'];

describe('RANKED_BY_PEAK', () => {
  it('H100 and H200 share a peak and a default rate; the warning gives the step-time model’s ratios, the same as --perf model’s rows', async () => {
    const byDefault = await cliJson<Compare>(args);
    expect(byDefault.code).toBe(0);
    const rate = (c: Compare, gpu: string, gpus: number) => c.estimates.find((r) => r.gpu === gpu && r.gpus === gpus)?.tflopsPerGpu as number;
    expect(rate(byDefault.json, 'h200', 256)).toBe(rate(byDefault.json, 'h100-sxm', 256));
    const w = byDefault.json.warnings.find((x) => x.code === 'RANKED_BY_PEAK') as Warning;
    expect(w.detail?.reference).toBe('h100-sxm');
    // Compared at the largest count every GPU type has.
    expect(w.detail?.gpus).toBe(256);
    expect(w.rows).toEqual([
      { gpu: 'h100-sxm', gpus: 256 },
      { gpu: 'h200', gpus: 256 },
      { gpu: 'b200', gpus: 256 },
    ]);
    const model = (await cliJson<Compare>([...args, '--perf', 'model'])).json;
    for (const gpu of ['h200', 'b200']) {
      expect(w.detail?.[gpu] as number).toBeCloseTo(rate(model, gpu, 256) / rate(model, 'h100-sxm', 256), 6);
    }
    expect(w.detail?.h200 as number).toBeGreaterThan(1.05);
    expect(w.message).toMatch(/against h100-sxm: h200 1\.\d\d× \(default 1\.00×\)/);
    expect(model.warnings.map((x) => x.code)).not.toContain('RANKED_BY_PEAK');
  });

  it('is silent for one GPU type, for a given --mfu, and for the article’s rows (no count they share)', async () => {
    const codes = async (a: string[]) => (await cliJson<Compare>(a)).json.warnings.map((x) => x.code);
    expect(await codes(['compare', '--model', 'llama3-70b', '--gpu', 'h100', '--gpus', '64,256'])).not.toContain('RANKED_BY_PEAK');
    expect(await codes([...args, '--mfu', '0.4'])).not.toContain('RANKED_BY_PEAK');
    expect(await codes(['compare'])).not.toContain('RANKED_BY_PEAK');
  });
});
