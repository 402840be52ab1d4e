import { describe, expect, it } from 'vitest';
import { flopsPerToken, trainingFlops } from '../../src/core/flops.js';
import { paramCounts } from '../../src/core/params.js';
import { arch } from '../helpers/presets.js';
import { within } from '../helpers/cli.js';

const gpt3 = arch('gpt3-175b');
const N = paramCounts(gpt3).total;
const D = 300e9;

describe('FLOPs conventions on GPT-3 175B, 300B tokens', () => {
  it('6nd gives the GPT-3 paper Table D.1 total, 3.14e23 FLOPs (within 0.5%)', () => {
    expect(within(trainingFlops({ convention: '6nd', params: N, tokens: D }), 3.14e23)).toBeLessThan(0.005);
  });

  it('megatron (eq. 3) with the paper vocabulary 51,200 gives 4.30e23 FLOPs, as the OPT-175B logbook quotes (within 0.5%)', () => {
    const m = arch('gpt3-175b', { vocab: 51200 });
    expect(within(trainingFlops({ convention: 'megatron', params: N, tokens: D, arch: m }), 4.3e23)).toBeLessThan(0.005);
  });

  it('megatron equals the closed form 96·l·h²·(1 + s/6h + V/16lh) per token exactly for GPT shapes', () => {
    for (const id of ['gpt3-125m', 'gpt3-6.7b', 'gpt3-175b']) {
      const m = arch(id);
      const { layers: l, dModel: h, seqLen: s, vocab: V } = m;
      const closed = 96 * l * h * h * (1 + s / (6 * h) + V / (16 * l * h));
      expect(flopsPerToken({ convention: 'megatron', params: 0, arch: m }) / closed).toBeCloseTo(1, 12);
    }
  });

  it('6nd-attn adds PaLM Appendix B 12·L·H·Q·T per token to 6N', () => {
    const { layers: L, heads: H, dHead: Q, seqLen: T } = gpt3;
    expect(flopsPerToken({ convention: '6nd-attn', params: N, arch: gpt3 })).toBeCloseTo(6 * N + 12 * L * H * Q * T, -3);
  });

  it('8nd is 4/3 of 6nd', () => {
    expect(trainingFlops({ convention: '8nd', params: N, tokens: D }) / trainingFlops({ convention: '6nd', params: N, tokens: D })).toBeCloseTo(4 / 3, 12);
  });

  it('architecture conventions refuse a bare parameter count', () => {
    expect(() => trainingFlops({ convention: 'megatron', params: N, tokens: D })).toThrow(/needs a model architecture/);
  });
});
