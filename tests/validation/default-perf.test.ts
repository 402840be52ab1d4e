// Issue 15, item 9: the default estimate switches to the step-time model only where that is more
// accurate on the holdout than peak × calibrated utilisation. `gpucost backtest --perf model` puts
// both on the same published runs; these tests pin where each stands, so the decision is revisited
// when either moves.
import { describe, expect, it } from 'vitest';
import { expectBetween } from '../helpers/bands.js';
import { backtestRows, summarize } from '../../src/resolve/backtest.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { cliJson, estimateJson } from '../helpers/cli.js';
import { builtinThroughputSets } from '../../src/presets/builtin-throughput.js';
import { throughputCases } from '../../src/resolve/throughput.js';
import { CALIBRATED_MFU_FALLBACK } from '../../src/core/calibration.js';
import { paramCounts } from '../../src/core/params.js';
import { LAYOUT_PERF_ORIGIN } from '../../src/resolve/estimate.js';

const registry = builtinRegistry();
const defaults = backtestRows(registry);
const model = backtestRows(registry, 'model');
const median = (rows: typeof defaults, split: 'fit' | 'holdout', kind: 'training' | 'benchmark'): number =>
  summarize(rows, split, kind).medianAbsError as number;

describe('which predictor the default estimate uses', () => {
  // Measured 2026-12-06 with the pooled default (0.309 for every generation): on the 12 fit benchmarks the
  // model misses by 13.6% and the default by 26.5%; on the 3 held-out ones by 17.1% and 12.2% (the model
  // 14.5% before the layout search tried 5 and 7 interleaved chunks a stage: the median row, Megatron-LM's
  // 145.6B on 1,536 GPUs, went from 14.5% to 17.3% under). Since Megatron-LM's Table 1 runs take the
  // micro-batch, interleaving and data-parallel bucket of the authors' own scripts (examples/sc21), the
  // model misses the fit ones by 12.8% and the held-out by 13.6% (the 145.6B at 2 sequences and 2 chunks).
  // Three rows decide nothing; each median is held to ±2 points so a change in either shows.
  it('on published throughput benchmarks the step-time model is the more accurate on the fit rows, the default on the 3 held out', () => {
    expect(median(model, 'fit', 'benchmark')).toBeLessThan(median(defaults, 'fit', 'benchmark'));
    for (const [value, centre] of [
      [median(model, 'fit', 'benchmark'), 0.128],
      [median(defaults, 'fit', 'benchmark'), 0.265],
      [median(model, 'holdout', 'benchmark'), 0.136],
      [median(defaults, 'holdout', 'benchmark'), 0.122],
    ] as const) {
      expectBetween(value, centre - 0.02, centre + 0.02);
    }
  });

  // Whole runs lose time outside the step: the model adds interruptions and checkpoint stalls by
  // default, but not evaluation, data stalls or warm-up (issue 17), and TPU runs sit far off: on the
  // 40 holdout whole runs the model misses by 30.9% where the calibrated default misses by 20.6%, so
  // the default stays peak × calibrated utilisation. Measured 2026-12-06 on 91 runs (30.1% against
  // 22.3% on the first 32), each held to ±2 points.
  it('known gap: on holdout whole runs the step-time model misses by more than the default (30.9% against 20.6%)', () => {
    const m = median(model, 'holdout', 'training');
    const d = median(defaults, 'holdout', 'training');
    expect(m).toBeGreaterThanOrEqual(0.289);
    expect(m).toBeLessThanOrEqual(0.329);
    expect(d).toBeGreaterThanOrEqual(0.186);
    expect(d).toBeLessThanOrEqual(0.226);
  });

  it('backtest --perf model says which predictor it ran, in its title and JSON', async () => {
    const { code, json } = await cliJson<{ perf: string; runs: unknown[] }>(['backtest', '--perf', 'model', '--format', 'json']);
    expect(code).toBe(0);
    expect(json.perf).toBe('model');
    expect(json.runs.length).toBeGreaterThan(20);
  });
});

// A run whose layout the user gives is a throughput question, and the throughput rows (every one
// measured with its layout) are where the two predictors meet on it: the default utilisation
// (CALIBRATED_MFU_FALLBACK of the peak, counted as 6N FLOPs a token) against the step-time model.
// Measured 2026-12-06 on the 252 held-out BF16 rows: 31.5% against 10.1% (9.2% after the refit on
// Table 1's published layouts); on the 318 with the tenth fresh batch, 28.5% against 11.1%. Each held
// to ±2 points.
describe('which predictor an estimate with a given layout uses (resolve/estimate.ts timesLayoutByDefault)', () => {
  const rows = throughputCases(builtinThroughputSets(), registry).filter(
    (c) => c.split === 'holdout' && c.row.precision === 'bf16' && c.model.tokensPerSecondPerGpu !== null,
  );
  const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const defaultRate = (c: (typeof rows)[number]) => (c.peakTflops * 1e12 * CALIBRATED_MFU_FALLBACK) / (6 * paramCounts(c.arch).active);

  it('on the held-out throughput rows the step-time model misses by a third of what peak × the calibrated utilisation does', () => {
    expect(rows.length).toBe(318);
    const model = middle(rows.map((c) => Math.abs((c.model.tokensPerSecondPerGpu as number) / c.measured.tokensPerSecondPerGpu - 1)));
    const constant = middle(rows.map((c) => Math.abs(defaultRate(c) / c.measured.tokensPerSecondPerGpu - 1)));
    expectBetween(model, 0.081, 0.121);
    expectBetween(constant, 0.265, 0.305);
    expect(model * 2.5).toBeLessThan(constant);
  });

  type E = { perf: string; warnings: { code: string }[]; assumptions: { name: string; origin: string }[] };
  const run = ['--model', 'llama3-70b', '--gpu', 'h100', '--gpus', '512', '--tokens', '1T'];
  const throughputOrigin = (e: E) => e.assumptions.find((a) => a.name === 'Throughput per GPU')?.origin ?? '';

  it('a layout flag makes the step-time model the default, and the assumption says why', async () => {
    for (const flags of [
      ['--tp', '8'],
      ['--pp', '4'],
      ['--dp', '64'],
      ['--micro-batch', '2'],
      ['--virtual-stages', '2', '--pp', '4'],
    ]) {
      const e = await estimateJson<E>([...run, ...flags]);
      expect(e.perf, flags.join(' ')).toBe('model');
      expect(throughputOrigin(e)).toContain(LAYOUT_PERF_ORIGIN);
    }
  });

  it('without a layout, with --zero or --recompute alone, or with a throughput chosen, the default stays peak × utilisation', async () => {
    expect((await estimateJson<E>(run)).perf).toBe('mfu');
    expect((await estimateJson<E>([...run, '--zero', '1', '--recompute', 'full'])).perf).toBe('mfu');
    for (const chosen of [
      ['--perf', 'mfu'],
      ['--mfu', '0.4'],
      ['--tflops', '400'],
      ['--scaling', 'linear'],
    ]) {
      expect((await estimateJson<E>([...run, '--tp', '8', ...chosen])).perf, chosen.join(' ')).toBe('mfu');
    }
    // No architecture, nothing for the model to time.
    expect((await estimateJson<E>(['--params', '70B', '--gpu', 'h100', '--gpus', '512', '--tp', '8'])).perf).toBe('mfu');
  });

  it('layout flags that hold no layout keep peak × utilisation and say NO_LAYOUT, as before, rather than failing', async () => {
    const e = await estimateJson<E>(['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '12', '--tp', '8']);
    expect(e.perf).toBe('mfu');
    expect(e.warnings.map((w) => w.code)).toContain('NO_LAYOUT');
  });
});
