// The Ultra-Scale Playbook's whole layout sweep (presets/throughput/ultrascale-playbook-sweep.csv,
// held out): does the step-time model rank layouts as they measured, and does gpucost say which fit?
// docs/layout-ranking.md has every cell (npm run validate:sweep). Measured 2026-12-06, the first
// comparison, after the file and its rule were committed (fee247c). Known gaps are held to bands
// either side of today's figures, so that an improvement and a regression both fail a test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GpucostError } from '../../src/errors.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { builtinThroughputSets } from '../../src/presets/builtin-throughput.js';
import { renderMarkdown } from '../../src/report/render/markdown.js';
import { summariseRanking, sweepReport, sweepTitle } from '../../src/report/sweep.js';
import { parseSweep, rankCells, spearman, sweepCases, sweepMemory } from '../../src/resolve/sweep.js';

const FILE = 'presets/throughput/ultrascale-playbook-sweep.csv';
const text = readFileSync(new URL(`../../${FILE}`, import.meta.url), 'utf8');
const set = builtinThroughputSets().find((s) => s.id === 'ultrascale-playbook');
if (!set) throw new Error('the ultrascale-playbook throughput set is missing');
const registry = builtinRegistry();
const runs = parseSweep(text, FILE);
const cases = sweepCases(runs, set, registry);
const cells = rankCells(cases);
const memory = sweepMemory(cases);

describe('the Ultra-Scale Playbook layout sweep (1,672 held-out runs, nanotron on 8 to 512 H100)', () => {
  it('holds 1,260 runs that trained and 412 that ran out of memory, in 27 cells of two or more timed layouts', () => {
    expect(runs.filter((r) => r.status === 'ok')).toHaveLength(1260);
    expect(runs.filter((r) => r.status === 'oom')).toHaveLength(412);
    expect(cells).toHaveLength(27);
  });

  // Counted tensor by tensor for nanotron's eager kernels since 2026-12-06 (Korthikanti's 34·s·b·h before):
  // the median went from −15.1% (|error| 25.4%) to −9.3% (20.2%), the out-of-memory layouts said not to
  // fit from 352 to 372, and one layout that trained, which fitted by half a GiB before, no longer does.
  it('known gap: says 1,258 of the 1,260 layouts that trained fit (1,259 before the rows’ FP32 gradients were counted); the others, 1B on 64 GPUs at PP 2 and micro-batch 8, are put at 83.5 GiB (ZeRO-0) and 74.8 GiB (ZeRO-1), the card holding 74.5, 40 of them the last stage’s logits', () => {
    expect(memory.trained - memory.trainedSaidToFit).toBe(2);
    const wrong = cases.filter((c) => c.run.status === 'ok' && !c.fits);
    expect(wrong.map((c) => c.run.job).sort()).toEqual(['14097160', '14098777']);
    for (const c of wrong) {
      expect(c.predictedDeviceGiB).toBeGreaterThan(74.5);
      expect(c.predictedDeviceGiB).toBeLessThan(85);
    }
  });

  it('known gap: says 385 of the 412 layouts that ran out of memory do not fit (27 said to fit; 372 and 40 before the rows’ FP32 gradients were counted)', () => {
    expect(memory.outOfMemorySaidNotToFit).toBeGreaterThanOrEqual(378);
    expect(memory.outOfMemorySaidNotToFit).toBeLessThanOrEqual(392);
  });

  it('MEMORY_TIGHT (within 1.31× of the GPU) marks 22 of the 27 layouts said to fit that ran out of memory, and 49 of the 1,260 that trained', () => {
    // 32 of 40 and 33 of 1,260 before the rows' FP32 gradients were counted (2026-12-06); 34 of 40 and 54 of 1,260 at 1.38×, before the fresh fine-tuning sources moved MEMORY_PEAK_SPREAD; 49 of 60 and 16 of 1,260 before the eager kernels' count.
    expect(memory.outOfMemoryTight).toBeGreaterThanOrEqual(18);
    expect(memory.outOfMemoryTight).toBeLessThanOrEqual(26);
    expect(memory.trainedTight).toBeGreaterThanOrEqual(43);
    expect(memory.trainedTight).toBeLessThanOrEqual(55);
  });

  it("known gap: gpucost's memory per GPU sits a median 3% under the reserved peak (|error| 18%; 9% and 20% before the rows' FP32 gradients were counted), each held to ±2 points", () => {
    expect(memory.reservedMedianError).toBeGreaterThanOrEqual(-0.051);
    expect(memory.reservedMedianError).toBeLessThanOrEqual(-0.011);
    expect(memory.reservedMedianAbsError).toBeGreaterThanOrEqual(0.161);
    expect(memory.reservedMedianAbsError).toBeLessThanOrEqual(0.201);
  });

  it("known gap: the model's fastest layout measures within 5% of the best in 13 of 27 cells (median 94%, worst 32%); median rank correlation 0.65", () => {
    const s = summariseRanking(cells);
    expect(s.picksWithin).toBeGreaterThanOrEqual(11);
    expect(s.picksWithin).toBeLessThanOrEqual(15);
    expect(s.medianTopShareOfBest).toBeGreaterThanOrEqual(0.924);
    expect(s.medianTopShareOfBest).toBeLessThanOrEqual(0.964);
    expect(s.worstTopShareOfBest).toBeGreaterThanOrEqual(0.298);
    expect(s.worstTopShareOfBest).toBeLessThanOrEqual(0.338);
    expect(s.medianSpearman).toBeGreaterThanOrEqual(0.6);
    expect(s.medianSpearman).toBeLessThanOrEqual(0.7);
  });

  it('docs/layout-ranking.md is what npm run validate:sweep writes today', () => {
    const page = readFileSync(new URL('../../docs/layout-ranking.md', import.meta.url), 'utf8');
    // The same report the script renders (sweepReportOf), from the cases computed above.
    expect(renderMarkdown(sweepReport(sweepTitle(set), cells, memory))).toBe(page);
  });
});

describe('reading a sweep file', () => {
  const header = text.split('\n').find((line) => line.startsWith('job,')) as string;
  it('names the file and line of a malformed run, and a wrong header', () => {
    expect(() => parseSweep(`${header}\n1,1b,16,2048,32,8192,true,8,8,1,1,two,16,0,ok,1,1,1\n`, 'x.csv')).toThrow(/x\.csv:2: microBatch is not a whole number/);
    expect(() => parseSweep(`${header}\n1,1b,16,2048,32,8192,true,8,8,1,1,2,16,0,crashed,,,\n`, 'x.csv')).toThrow(/x\.csv:2: not a sweep run/);
    expect(() => parseSweep('a,b\n', 'x.csv')).toThrow(GpucostError);
  });

  it('skips comment lines and leaves an out-of-memory run without a rate', () => {
    const [run] = parseSweep(`# note, with a comma\n${header}\n7,1b,16,2048,32,8192,true,8,8,1,1,2,16,1,oom,,,\n`, 'x.csv');
    expect(run).toMatchObject({ job: '7', status: 'oom', zero: 1, tokensPerSecondPerGpu: null, reservedGiB: null });
  });
});

describe("Spearman's rank correlation", () => {
  it('is 1 for the same order, −1 for the reverse, and gives ties their mean rank', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [40, 30, 20, 10])).toBeCloseTo(-1, 12);
    // Ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4): 4.5 / sqrt(4.5 × 5).
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
  });
});
