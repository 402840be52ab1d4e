// gpucost against published training runs (presets/runs; each file cites its source).
import { describe, expect, it } from 'vitest';
import { CALIBRATED_MFU, CALIBRATED_MFU_FALLBACK } from '../../src/core/calibration.js';
import { DEFAULT_ESTIMATE_RANGE, narrowestCovering } from '../../src/core/range.js';
import { backtestRows, batchTest, calibrate, compareCalibrations, summarize } from '../../src/resolve/backtest.js';
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

  // Issue 17 asks the holdout whole runs for a median |error| ≤ 10%, worst ≤ 30% and a median signed error
  // within ±5%. Measured 2026-12-06 on 76 runs (29 fit and 32 held-out whole runs) with the per-generation
  // medians the ninth batch brought back (the pooled median 0.306 would give 32.6% / 20.6%, signed −0.3%;
  // 12.3% and 22.3% on the first 10 and 8): each held in a band two points wide, so improvements and
  // regressions both show. None of the three meets the targets.
  it('known gap: whole runs miss by a median 19.0% (fit) and 21.0% (holdout); the holdout runs by −14.2% signed', () => {
    const fit = summarize(rows, 'fit', 'training');
    const holdout = summarize(rows, 'holdout', 'training');
    expect(fit.runs).toBe(29);
    expect(holdout.runs).toBe(32);
    expect(fit.medianAbsError).toBeGreaterThanOrEqual(0.18);
    expect(fit.medianAbsError).toBeLessThanOrEqual(0.2);
    expect(holdout.medianAbsError).toBeGreaterThanOrEqual(0.2);
    expect(holdout.medianAbsError).toBeLessThanOrEqual(0.22);
    const signed = rows
      .filter((r) => r.split === 'holdout' && r.kind === 'training')
      .map((r) => r.predictedGpuHours / r.publishedGpuHours - 1)
      .sort((a, b) => a - b);
    const mid =
      signed.length % 2 ? (signed[(signed.length - 1) / 2] as number) : ((signed[signed.length / 2 - 1] as number) + (signed[signed.length / 2] as number)) / 2;
    expect(mid).toBeGreaterThanOrEqual(-0.152);
    expect(mid).toBeLessThanOrEqual(-0.132);
  });

  it('the calibration in use is scored as the summary scores it; the other is beside it (docs/published-runs.md)', () => {
    const [pooled, perGeneration] = compareCalibrations(rows);
    expect(perGeneration?.calibration).toBe('per-generation');
    expect(perGeneration?.inUse).toBe(true);
    expect(pooled?.inUse).toBe(false);
    expect(perGeneration?.values.byArchitecture).toEqual(CALIBRATED_MFU);
    expect(perGeneration?.values.fallback).toBe(CALIBRATED_MFU_FALLBACK);
    for (const split of ['fit', 'holdout'] as const) {
      expect(perGeneration?.[split].medianAbsError).toBeCloseTo(summarize(rows, split, 'training').medianAbsError, 12);
      expect(perGeneration?.[split].runs).toBe(summarize(rows, split, 'training').runs);
    }
    // The pooled median as docs/published-runs.md reports it after the ninth batch (0.306), each
    // figure held to ±1 point.
    expect(pooled?.values.fallback).toBe(0.306);
    expect(pooled?.fit.medianAbsError).toBeGreaterThanOrEqual(0.316);
    expect(pooled?.fit.medianAbsError).toBeLessThanOrEqual(0.336);
    expect(pooled?.holdout.medianAbsError).toBeGreaterThanOrEqual(0.196);
    expect(pooled?.holdout.medianAbsError).toBeLessThanOrEqual(0.216);
    expect(pooled?.holdout.medianError).toBeGreaterThanOrEqual(-0.013);
    expect(pooled?.holdout.medianError).toBeLessThanOrEqual(0.007);
  });

  // The decision docs/published-runs.md records: the eighth and ninth batches' four held-out runs,
  // each calibration taken on the 29 fit runs after the ninth batch, were missed by 51.5% (pooled)
  // and 44.1% (per-generation), so the per-generation medians came back; with them in use, the same
  // runs call for no switch. Each median held to ±1 point.
  it('the batch rule’s test on the eighth and ninth batches’ four held-out runs: pooled 51.5%, per-generation 44.1%', () => {
    const t = batchTest(rows, ['phi-3-small-7b', 'flm-101b', 'megatron-gpt2-2.5b', 'megatron-gpt2-8.3b']);
    expect(t.pooled).toBeGreaterThanOrEqual(0.505);
    expect(t.pooled).toBeLessThanOrEqual(0.525);
    expect(t.perGeneration).toBeGreaterThanOrEqual(0.431);
    expect(t.perGeneration).toBeLessThanOrEqual(0.451);
    expect(t.switchTo).toBeNull();
    // Two of the four are on V100, without a median of its own: both calibrations predict them alike.
    expect(t.distinguishing).toBe(2);
    // Only held-out whole runs can decide.
    expect(() => batchTest(rows, ['llama-65b'])).toThrow(/not a held-out whole run/);
  });

  it('backtest --format json carries both calibrations; --perf model, which uses neither, none', async () => {
    const { json } = await cliJson<{ calibrations?: { calibration: string; inUse: boolean }[] }>(['backtest', '--format', 'json']);
    expect(json.calibrations?.map((c) => [c.calibration, c.inUse])).toEqual([
      ['pooled', false],
      ['per-generation', true],
    ]);
    const model = await cliJson<{ calibrations?: unknown }>(['backtest', '--perf', 'model', '--format', 'json']);
    expect(model.json.calibrations).toBeUndefined();
  });

  it('holds at least 30 whole training runs with published GPU-hours or GPUs × days (issue 17, item 2)', () => {
    expect(rows.filter((r) => r.kind === 'training').length).toBeGreaterThanOrEqual(30);
  });

  it('the implied utilisation is consistent with the predicted and published GPU-hours', () => {
    for (const r of rows) {
      // With 6ND FLOPs, predicted GPU-hours scale as 1 / utilisation.
      expect(r.predictedGpuHours / r.publishedGpuHours).toBeCloseTo(r.impliedUtilization / r.defaultUtilization, 6);
    }
  });

  // LLaMA-65B ran at 47.8% of the A100's dense peak (6ND): 56.1% over under the pooled default of
  // 30.6% (fifth to ninth batch), +10.3% under Ampere's own median (0.433) again.
  it('LLaMA-65B (Touvron et al. 2023, Table 15: 1,022,362 A100-80GB GPU-hours) is predicted within 25%', () => {
    const r = rows.find((x) => x.id === 'llama-65b');
    expect(r?.publishedGpuHours).toBe(1022362);
    expect(Math.abs(r?.error ?? 1)).toBeLessThanOrEqual(0.25);
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
