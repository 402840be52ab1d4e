import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');

// The article's claims (A1–A6) and their sources are in presets/scenarios/gpt3-article.yaml.
describe('gpucost reproduce: the article claims', () => {
  it('reproduces every derivable claim within 1% and marks A3 not derivable', async () => {
    const { code, json } = await cliJson<{
      schemaVersion: number;
      claims: { id: string; claimed: number; computed: number | null; deviation: number | null; unit: string }[];
    }>(['reproduce']);
    expect(code).toBe(0);
    expect(json.schemaVersion).toBe(3);
    expect(json.claims.map((c) => c.id)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
    for (const c of json.claims) {
      if (c.id === 'A3') {
        expect(c.computed).toBeNull();
        expect(c.deviation).toBeNull();
        continue;
      }
      expect(c.computed, c.id).not.toBeNull();
      expect(Math.abs(c.deviation ?? 1), c.id).toBeLessThan(0.01);
      expect(c.deviation).toBeCloseTo((c.computed ?? 0) / c.claimed - 1, 12);
    }
  });

  it('names the units of each claim', async () => {
    const { json } = await cliJson<{ claims: { id: string; unit: string }[] }>(['reproduce']);
    expect(Object.fromEntries(json.claims.map((c) => [c.id, c.unit]))).toEqual({
      A1: 'USD',
      A2: 'GPU-years',
      A3: 'USD',
      A4: 'years',
      A5: 'months',
      A6: 'days',
    });
  });
});

describe('gpucost reproduce: the explanations', () => {
  it('take their figures from the scenario preset, not from the code', async () => {
    // The bundled scenario with other figures, overriding it by id: every changed value must show.
    const yaml = readFileSync(join(root, 'presets', 'scenarios', 'gpt3-article.yaml'), 'utf8');
    const changed = [
      ['gpu: v100-sxm2-32gb, gpus: 8,', 'gpu: v100-sxm2-32gb, gpus: 16,'],
      ['claimed: 36\n', 'claimed: 18\n'],
      ['gpu: v100-sxm2-32gb, gpus: 512,', 'gpu: v100-sxm2-32gb, gpus: 256,'],
      ['claimed: 4.6e6', 'claimed: 5e6'],
      ['claimed: 12e6', 'claimed: 10e6'],
      ['gpus: 1, flops: 6nd, tflops: 28}', 'gpus: 1, flops: 6nd, tflops: 30}'],
      ['value: 1536', 'value: 2048'],
      ['unit: V100-years', 'unit: single-V100 years'],
    ].reduce((text, [from, to]) => {
      expect(text, from).toContain(from);
      return text.replace(from as string, to as string);
    }, yaml);
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-article-'));
    mkdirSync(join(dir, 'scenarios'));
    writeFileSync(join(dir, 'scenarios', 'gpt3-article.yaml'), changed);
    const { code, out, err } = await cli(['reproduce', '--presets', dir]);
    expect(code, err).toBe(0);
    // The explanations follow the table, sources, assumptions and warnings (whose text is the preset's own).
    const text = out.slice(out.indexOf('\nWhy ')).replace(/\s+/g, ' ');
    for (const expected of [
      'Megatron-LM: 288 single-V100 years on one GPU, so 288 ÷ 16 = 18 years on 16 and 13.5 months on 256.',
      'Why 332.2 and 288 single-V100 years disagree',
      `Lambda's "theoretical 30 TFLOPS"`,
      '16 V100s hold 512 GB',
      'the "18 years" run could not start',
      'a global batch of 2048 sequences allows at most 2048 data-parallel replicas',
      'Where $5M comes from',
      'The $10M figure has no traceable source',
    ]) {
      expect(text).toContain(expected);
    }
    for (const gone of ['÷ 8', '"36 years"', '28 TFLOPS', '1536 sequences', '$4.6M comes', '$12M figure']) expect(text).not.toContain(gone);
  });
});
