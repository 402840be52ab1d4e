import { describe, expect, it } from 'vitest';
import { moeLayerCount, paramCounts } from '../../src/core/params.js';
import { arch, registry } from '../helpers/presets.js';
import { within } from '../helpers/cli.js';

// Brown et al. 2020, "Language Models are Few-Shot Learners", Table D.1 (parameters, millions),
// https://arxiv.org/abs/2005.14165. The architecture comes from Table 2.1 via the presets.
describe('GPT-3 parameter counts from the architecture', () => {
  it.each([
    ['gpt3-125m', 125e6, 0.01],
    ['gpt3-350m', 356e6, 0.01],
    ['gpt3-760m', 760e6, 0.01],
    ['gpt3-1.3b', 1320e6, 0.01],
    ['gpt3-2.7b', 2650e6, 0.01],
    ['gpt3-6.7b', 6660e6, 0.01],
    ['gpt3-13b', 12850e6, 0.01],
    ['gpt3-175b', 174.6e9, 0.005],
  ])('%s ≈ %d (tolerance %d)', (id, published, tolerance) => {
    expect(within(paramCounts(arch(id)).total, published)).toBeLessThan(tolerance);
  });

  it('matches Narayanan et al. 2021 eq. (2) exactly for GPT-3 175B with V = 51,200', () => {
    // P = 12·l·h²·(1 + 13/(12h) + (V+s)/(12·l·h)), plus the final LayerNorm's 2h which eq. (2) omits.
    const l = 96,
      h = 12288,
      V = 51200,
      s = 2048;
    const eq2 = 12 * l * h * h * (1 + 13 / (12 * h) + (V + s) / (12 * l * h));
    expect(paramCounts(arch('gpt3-175b', { vocab: V })).total).toBeCloseTo(eq2 + 2 * h, -1);
  });

  it('every model preset with a published count is within 1%', () => {
    for (const m of registry.list('models')) {
      if (!m.published) continue;
      const counts = paramCounts(arch(m.id));
      expect(within(counts.total, m.published.params), m.id).toBeLessThan(0.01);
      if (m.published.activeParams) expect(within(counts.active, m.published.activeParams), m.id).toBeLessThan(0.01);
    }
  });

  it('moeEvery N: of the layers after the dense ones, one in N is MoE (Llama 4 interleave_moe_layer_step)', () => {
    const base = arch('mixtral-8x7b');
    const moe = base.moe;
    if (!moe) throw new Error('mixtral-8x7b preset has no MoE shape');
    expect(moeLayerCount(base)).toBe(32);
    expect(moeLayerCount({ ...base, moe: { ...moe, moeEvery: 2 } })).toBe(16);
    expect(moeLayerCount({ ...base, moe: { ...moe, denseLayers: 3, moeEvery: 2 } })).toBe(14); // floor(29 / 2)
    expect(moeLayerCount(arch('gpt3-175b'))).toBe(0);
    // Every layer dense again: the 8 experts of the MoE layers leave the total, one MLP per layer stays.
    const everyOther = paramCounts({ ...base, moe: { ...moe, moeEvery: 2 } });
    const full = paramCounts(base);
    const expert = 3 * base.dModel * moe.expertFfnHidden;
    expect(full.total - everyOther.total).toBe(16 * (7 * expert + base.dModel * moe.experts));
    expect(full.active - everyOther.active).toBe(16 * (expert + base.dModel * moe.experts));
  });

  it('dense models have active = total', () => {
    const c = paramCounts(arch('gpt3-175b'));
    expect(c.active).toBe(c.total);
  });
});
