import { describe, expect, it } from 'vitest';
import { cliJson } from '../helpers/cli.js';

// The article's claims (A1–A6) and their sources are in presets/scenarios/gpt3-article.yaml.
describe('gpucost reproduce: the article claims', () => {
  it('reproduces every derivable claim within 1% and marks A3 not derivable', async () => {
    const { code, json } = await cliJson<{ schemaVersion: number; claims: { id: string; claimed: number; computed: number | null; deviation: number | null; unit: string }[] }>(['reproduce']);
    expect(code).toBe(0);
    expect(json.schemaVersion).toBe(2);
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
      A1: 'USD', A2: 'GPU-years', A3: 'USD', A4: 'years', A5: 'months', A6: 'days',
    });
  });
});
