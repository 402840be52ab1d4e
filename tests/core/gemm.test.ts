// The shape-aware GEMM model (src/core/gemm.ts): a roofline per GEMM, and the layer's GEMMs per TP rank.
import { describe, expect, it } from 'vitest';
import { gemmEfficiency, gemmFlops, layerGemmShapes } from '../../src/core/gemm.js';
import { activeMatmulParamsPerToken } from '../../src/core/params.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { modelArch } from '../../src/presets/to-core.js';

const h100Bf16 = { efficiencyMax: 0.803, ridgeFlopsPerByte: 989.4 / 3.35, inputBytes: 2 };
const registry = builtinRegistry();

describe('GEMM efficiency from shape', () => {
  it('rises with each of M, N and K towards the ceiling, never past it', () => {
    let previous = 0;
    for (const d of [64, 256, 1024, 4096, 16384, 65536]) {
      const e = gemmEfficiency({ m: d, n: d, k: d }, h100Bf16, 2);
      expect(e).toBeGreaterThan(previous);
      expect(e).toBeLessThan(h100Bf16.efficiencyMax);
      previous = e;
    }
    expect(previous).toBeGreaterThan(0.97 * h100Bf16.efficiencyMax);
    const base = gemmEfficiency({ m: 4096, n: 4096, k: 4096 }, h100Bf16, 2);
    for (const small of [
      { m: 256, n: 4096, k: 4096 },
      { m: 4096, n: 256, k: 4096 },
      { m: 4096, n: 4096, k: 256 },
    ]) {
      expect(gemmEfficiency(small, h100Bf16, 2)).toBeLessThan(base);
    }
  });

  it('is the same shape at FP8 with twice the peak and half the input bytes: only the ceiling and output width differ', () => {
    const fp8 = { efficiencyMax: 0.709, ridgeFlopsPerByte: 1978.9 / 3.35, inputBytes: 1 };
    const big = { m: 16384, n: 16384, k: 16384 };
    expect(gemmEfficiency(big, fp8, 2) / gemmEfficiency(big, h100Bf16, 2)).toBeCloseTo(0.709 / 0.803, 1);
  });

  it.each(['llama3-8b', 'llama3.1-405b', 'gpt3-175b', 'mixtral-8x7b', 'deepseek-v3'])(
    "%s: the layer's GEMMs carry 2 × its matmul parameters × tokens FLOPs, split over t ranks but for replicated parts",
    (id) => {
      const arch = modelArch(registry.get('models', id));
      const tokens = 4096;
      const whole = (2 * activeMatmulParamsPerToken(arch) * tokens) / arch.layers;
      expect(gemmFlops(layerGemmShapes(arch, tokens, 1)) / whole).toBeCloseTo(1, 9);
      // The MoE router and MLA's down-projections are replicated on every TP rank, not split.
      const replicated = arch.moe !== undefined || arch.mla !== undefined;
      const perRank = gemmFlops(layerGemmShapes(arch, tokens, 8)) / (whole / 8);
      if (replicated) expect(perRank).toBeGreaterThan(1);
      else expect(perRank).toBeCloseTo(1, 9);
      expect(perRank).toBeLessThan(1.25);
    },
  );

  it('an MoE layer every second layer (Llama 4 Maverick-style moeEvery 2) averages dense and MoE GEMMs by their count', () => {
    const mixtral = modelArch(registry.get('models', 'mixtral-8x7b'));
    const moe = mixtral.moe;
    if (!moe) throw new Error('mixtral-8x7b preset has no MoE shape');
    const interleaved = { ...mixtral, moe: { ...moe, moeEvery: 2 } };
    const tokens = 4096;
    const whole = (2 * activeMatmulParamsPerToken(interleaved) * tokens) / interleaved.layers;
    expect(gemmFlops(layerGemmShapes(interleaved, tokens, 1)) / whole).toBeCloseTo(1, 9);
    // Half the layers become dense (one MLP of ffnHidden = the expert width) instead of top-2: fewer FLOPs.
    expect(activeMatmulParamsPerToken(interleaved)).toBeLessThan(activeMatmulParamsPerToken(mixtral));
  });
});
