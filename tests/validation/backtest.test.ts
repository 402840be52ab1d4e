// gpucost against published training runs (presets/runs; each file cites its source).
import { describe, expect, it } from 'vitest';
import { CALIBRATED_MFU, CALIBRATED_MFU_FALLBACK } from '../../src/core/calibration.js';
import { DEFAULT_ESTIMATE_RANGE, narrowestCovering } from '../../src/core/range.js';
import { backtestRows, calibrate, summarize } from '../../src/resolve/backtest.js';
import { cliJson } from '../helpers/cli.js';
import { registry } from '../helpers/presets.js';

const rows = backtestRows(registry);

describe('backtest', () => {
  it('covers at least 15 published runs, with both splits', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(rows.filter((r) => r.split === 'holdout').length).toBeGreaterThanOrEqual(5);
  });

  it('the calibrated defaults are what the fit runs give (rerun npm run calibrate -- --write if this fails)', () => {
    const c = calibrate(rows);
    expect(CALIBRATED_MFU).toEqual(c.byArchitecture);
    expect(CALIBRATED_MFU_FALLBACK).toBe(c.fallback);
  });

  // Regression levels documented in docs/guide.md ("Accuracy"): measured 12.3% (fit) and 22.3% (holdout)
  // median absolute error on whole training runs when the calibration was made.
  it('median |error| of whole training runs stays within the documented levels: 15% fit, 25% holdout', () => {
    expect(summarize(rows, 'fit', 'training').medianAbsError).toBeLessThanOrEqual(0.15);
    expect(summarize(rows, 'holdout', 'training').medianAbsError).toBeLessThanOrEqual(0.25);
  });

  it('the implied utilisation is consistent with the predicted and published GPU-hours', () => {
    for (const r of rows) {
      // With 6ND FLOPs, predicted GPU-hours scale as 1 / utilisation.
      expect(r.predictedGpuHours / r.publishedGpuHours).toBeCloseTo(r.impliedUtilization / r.defaultUtilization, 6);
    }
  });

  it('LLaMA-65B (Touvron et al. 2023, Table 15: 1,022,362 A100-80GB GPU-hours) is predicted within 25%', () => {
    const r = rows.find((x) => x.id === 'llama-65b');
    expect(r?.publishedGpuHours).toBe(1022362);
    expect(Math.abs(r?.error ?? 1)).toBeLessThan(0.25);
  });

  it('gpucost backtest --format json gives the rows and the summary', async () => {
    const { code, json } = await cliJson<{ schemaVersion: number; runs: unknown[]; summary: { split: string; kind: string; medianAbsError: number }[] }>([
      'backtest',
    ]);
    expect(code).toBe(0);
    expect(json.runs).toHaveLength(rows.length);
    expect(json.summary.find((s) => s.split === 'holdout' && s.kind === 'training')?.medianAbsError).toBeCloseTo(
      summarize(rows, 'holdout', 'training').medianAbsError,
      12,
    );
  });
});

describe("the default estimate's range (issue 17, item 3)", () => {
  it('DEFAULT_ESTIMATE_RANGE is the narrowest interval of published ÷ predicted GPU-hours holding 90% of the published runs', () => {
    const best = narrowestCovering(
      backtestRows(registry).map((r) => r.publishedGpuHours / r.predictedGpuHours),
      0.9,
    );
    expect(best[0]).toBeCloseTo(DEFAULT_ESTIMATE_RANGE.low, 2);
    expect(best[1]).toBeCloseTo(DEFAULT_ESTIMATE_RANGE.high, 2);
  });

  it('every published run’s GPU-hours but the 10% outside it lie in the default estimate’s range, and the estimate always does', () => {
    const rows = backtestRows(registry);
    const inside = rows.filter((r) => {
      const ratio = r.publishedGpuHours / r.predictedGpuHours;
      return ratio >= DEFAULT_ESTIMATE_RANGE.low - 1e-9 && ratio <= DEFAULT_ESTIMATE_RANGE.high + 1e-9;
    });
    expect(inside.length / rows.length).toBeGreaterThanOrEqual(0.9);
    expect(DEFAULT_ESTIMATE_RANGE.low).toBeLessThanOrEqual(1);
    expect(DEFAULT_ESTIMATE_RANGE.high).toBeGreaterThanOrEqual(1);
  });
});
