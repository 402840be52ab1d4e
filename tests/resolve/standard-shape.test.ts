// The stated standard shape of a bare --params count (resolve/standard-shape.ts): Llama 2's, with the
// hidden size 128 × the layers. At Llama 2 7B's and 13B's own counts it must give their published
// shapes back (Touvron et al. 2023, "Llama 2", https://arxiv.org/abs/2307.09288, Table 1 and the
// released configs: 32 × 4096 with SwiGLU 11008; 40 × 5120 with SwiGLU 13824).
import { describe, expect, it } from 'vitest';
import { paramCounts } from '../../src/core/params.js';
import { standardShape } from '../../src/resolve/standard-shape.js';

describe('standard shape for a bare parameter count', () => {
  it.each([
    [6.74e9, 32, 4096, 11008],
    [13.0e9, 40, 5120, 13824],
  ])('%d parameters: %i layers × %i, SwiGLU %i (Llama 2)', (params, layers, dModel, ffn) => {
    const s = standardShape(params);
    expect(s.arch).toMatchObject({ layers, dModel, ffnHidden: ffn, heads: dModel / 128, vocab: 32000, mlp: 'swiglu' });
    expect(Math.abs(s.params / params - 1)).toBeLessThan(0.01);
  });

  it('the shape is the nearest of its family to the count asked for, and says what it assumed', () => {
    for (const params of [1e9, 70e9, 405e9]) {
      const s = standardShape(params);
      const count = (layers: number) => paramCounts(standardShape(paramCounts({ ...s.arch, layers, dModel: 128 * layers }).total).arch).total;
      expect(Math.abs(s.params - params)).toBeLessThanOrEqual(Math.abs(count(s.arch.layers + 1) - params));
      expect(Math.abs(s.params - params)).toBeLessThanOrEqual(Math.abs(count(s.arch.layers - 1) - params));
      expect(s.note).toMatch(/gives no architecture, so memory assumes Llama 2's shape at that size/);
    }
  });
});
