import { describe, expect, it } from 'vitest';
import { cli, cliJson } from '../helpers/cli.js';
import { registry } from '../helpers/presets.js';

describe('gpucost presets', () => {
  it('list --format json gives GPUs with memory and dense peaks, models with params', async () => {
    const { code, json } = await cliJson<{ schemaVersion: number; gpus: Record<string, unknown>[]; models: Record<string, unknown>[] }>(['presets', 'list']);
    expect(code).toBe(0);
    expect(json.schemaVersion).toBe(3);
    const a100 = json.gpus.find((g) => g.id === 'a100-sxm4-80gb');
    expect(a100).toMatchObject({ memoryGB: 80, denseTflops: { bf16: 312, fp16: 312 } });
    const gpt3 = json.models.find((m) => m.id === 'gpt3-175b');
    expect(gpt3?.params).toBeGreaterThan(174e9);
    expect(gpt3?.activeParams).toBe(gpt3?.params);
  });

  it('list --kind gpu shows only GPUs', async () => {
    const { json } = await cliJson<{ gpus: { id: string }[]; models: unknown[] }>(['presets', 'list', '--kind', 'gpu']);
    expect(json.gpus.map((g) => g.id).sort()).toEqual(
      registry
        .list('gpus')
        .map((g) => g.id)
        .sort(),
    );
    expect(json.models).toEqual([]);
  });

  it('show prints every field with unit and source', async () => {
    const { code, out } = await cli(['presets', 'show', 'h100']);
    expect(code).toBe(0);
    expect(out).toContain('denseTflops.bf16');
    expect(out).toContain('TFLOP/s (dense)');
    expect(out).toMatch(/denseTflops\.bf16\s*│\s*989\.4\s*│\s*TFLOP\/s \(dense\)\s*│\s*\[1, 2\]/);
    const { json } = await cliJson<{ preset: { sources: { url: string }[] } }>(['presets', 'show', 'h100']);
    expect(json.preset.sources[0]?.url).toBe('https://www.nvidia.com/en-us/data-center/h100/');
  });

  it('show of a model includes the computed parameter count', async () => {
    const { json } = await cliJson<{ kind: string; computed: { params: number } }>(['presets', 'show', 'gpt3-175b']);
    expect(json.kind).toBe('model');
    expect(json.computed.params).toBeGreaterThan(174e9);
  });

  it('show of an unknown id suggests the closest', async () => {
    const { code, err } = await cli(['presets', 'show', 'h10']);
    expect(code).toBe(2);
    expect(err).toMatch(/did you mean .*h100/);
  });
});
