// Issue 15, item 9: the default estimate switches to the step-time model only where that is more
// accurate on the holdout than peak × calibrated utilisation. `gpucost backtest --perf model` puts
// both on the same published runs; these tests pin where each stands, so the decision is revisited
// when either moves.
import { describe, expect, it } from 'vitest';
import { expectBetween } from '../helpers/bands.js';
import { backtestRows, summarize } from '../../src/resolve/backtest.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { cliJson } from '../helpers/cli.js';

const registry = builtinRegistry();
const defaults = backtestRows(registry);
const model = backtestRows(registry, 'model');
const median = (rows: typeof defaults, split: 'fit' | 'holdout', kind: 'training' | 'benchmark'): number =>
  summarize(rows, split, kind).medianAbsError as number;

describe('which predictor the default estimate uses', () => {
  // Measured 2026-12-06 with the pooled default (0.309 for every generation): on the 12 fit benchmarks the
  // model misses by 13.6% and the default by 26.5%; on the 3 held-out ones by 17.1% and 12.2% (the model
  // 14.5% before the layout search tried 5 and 7 interleaved chunks a stage: the median row, Megatron-LM's
  // 145.6B on 1,536 GPUs, went from 14.5% to 17.3% under). Three rows decide nothing; each median is held
  // to ±2 points so a change in either shows.
  it('on published throughput benchmarks the step-time model is the more accurate on the fit rows, the default on the 3 held out', () => {
    expect(median(model, 'fit', 'benchmark')).toBeLessThan(median(defaults, 'fit', 'benchmark'));
    for (const [value, centre] of [
      [median(model, 'fit', 'benchmark'), 0.136],
      [median(defaults, 'fit', 'benchmark'), 0.265],
      [median(model, 'holdout', 'benchmark'), 0.171],
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
