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
  // within ±5%. Measured 2026-12-06 on 91 runs (36 fit and 40 held-out whole runs) with the pooled default
  // (0.309 after the eleventh batch; per-generation medians would give 20.8% / 22.8%, signed −11.9%;
  // 12.3% and 22.3% on the first 10 and 8): each held in a band two points wide, so improvements and
  // regressions both show. The signed median meets the issue's ±5%; the other two do not.
  it('known gap: whole runs miss by a median 27.4% (fit) and 20.6% (holdout); the holdout runs by −1.2% signed', () => {
    const fit = summarize(rows, 'fit', 'training');
    const holdout = summarize(rows, 'holdout', 'training');
    expect(fit.runs).toBe(36);
    expect(holdout.runs).toBe(40);
    expect(fit.medianAbsError).toBeGreaterThanOrEqual(0.264);
    expect(fit.medianAbsError).toBeLessThanOrEqual(0.284);
    expect(holdout.medianAbsError).toBeGreaterThanOrEqual(0.196);
    expect(holdout.medianAbsError).toBeLessThanOrEqual(0.216);
    const signed = rows
      .filter((r) => r.split === 'holdout' && r.kind === 'training')
      .map((r) => r.predictedGpuHours / r.publishedGpuHours - 1)
      .sort((a, b) => a - b);
    const mid =
      signed.length % 2 ? (signed[(signed.length - 1) / 2] as number) : ((signed[signed.length / 2 - 1] as number) + (signed[signed.length / 2] as number)) / 2;
    expect(mid).toBeGreaterThanOrEqual(-0.022);
    expect(mid).toBeLessThanOrEqual(-0.002);
  });

  it('the calibration in use is scored as the summary scores it; the other is beside it (docs/published-runs.md)', () => {
    const [pooled, perGeneration] = compareCalibrations(rows);
    expect(pooled?.calibration).toBe('pooled');
    expect(pooled?.inUse).toBe(true);
    expect(perGeneration?.inUse).toBe(false);
    expect(pooled?.values.fallback).toBe(CALIBRATED_MFU_FALLBACK);
    for (const split of ['fit', 'holdout'] as const) {
      expect(pooled?.[split].medianAbsError).toBeCloseTo(summarize(rows, split, 'training').medianAbsError, 12);
      expect(pooled?.[split].runs).toBe(summarize(rows, split, 'training').runs);
    }
    // The per-generation medians as docs/published-runs.md reports them after the eleventh batch
    // (Ampere 0.398 from 16 runs, Hopper 0.267 from 17), each figure held to ±1 point.
    expect(perGeneration?.values.byArchitecture).toEqual({ ampere: 0.398, hopper: 0.267 });
    expect(perGeneration?.fit.medianAbsError).toBeGreaterThanOrEqual(0.198);
    expect(perGeneration?.fit.medianAbsError).toBeLessThanOrEqual(0.218);
    expect(perGeneration?.holdout.medianAbsError).toBeGreaterThanOrEqual(0.218);
    expect(perGeneration?.holdout.medianAbsError).toBeLessThanOrEqual(0.238);
    expect(perGeneration?.holdout.medianError).toBeGreaterThanOrEqual(-0.129);
    expect(perGeneration?.holdout.medianError).toBeLessThanOrEqual(-0.109);
  });

  // The decisions docs/published-runs.md records. The tenth batch's four held-out runs brought the pooled
  // median back (40.4% against 44.0% on the fit runs of the time). From the eleventh batch on the rule
  // weighs every held-out run assigned by it since it was written that the two calibrations predict
  // differently: 21 after the eleventh batch, pooled 28.4%, per-generation 27.0%, no switch (the
  // eleventh batch's own four: pooled 17.8%, per-generation 36.2%). Each median held to ±1 point.
  it('the batch rule’s test after the eleventh batch, on its 21 distinguishing held-out runs: pooled 28.4%, per-generation 27.0%, no switch', () => {
    const t = batchTest(rows, [
      'phi-1-1.3b',
      'phi-4-14b',
      'dclm-1b-1x',
      'dclm-400m-1x',
      'dclm-7b-2x',
      'skywork-13b',
      'biomedlm-2.7b',
      'phi-3-medium-14b',
      'llama3.1-70b',
      'olmo-3-7b',
      'sea-lion-7b',
      'phi-3-small-7b',
      'flm-101b',
      'falcon-rw-1b',
      'llmc-gpt2-1558m',
      'modded-nanogpt-124m-flexattention',
      'mpt-1b-redpajama',
      'pythia-1.4b',
      'pythia-160m',
      'pythia-410m',
      'pythia-70m',
    ]);
    expect(t.distinguishing).toBe(21);
    expect(t.pooled).toBeGreaterThanOrEqual(0.274);
    expect(t.pooled).toBeLessThanOrEqual(0.294);
    expect(t.perGeneration).toBeGreaterThanOrEqual(0.26);
    expect(t.perGeneration).toBeLessThanOrEqual(0.28);
    expect(t.switchTo).toBeNull();
    const eleventh = batchTest(rows, ['pythia-1.4b', 'pythia-160m', 'pythia-410m', 'pythia-70m']);
    expect(eleventh.pooled).toBeGreaterThanOrEqual(0.168);
    expect(eleventh.pooled).toBeLessThanOrEqual(0.188);
    expect(eleventh.perGeneration).toBeGreaterThanOrEqual(0.352);
    expect(eleventh.perGeneration).toBeLessThanOrEqual(0.372);
    // Only held-out whole runs can decide.
    expect(() => batchTest(rows, ['llama-65b'])).toThrow(/not a held-out whole run/);
  });

  it('backtest --format json carries both calibrations; --perf model, which uses neither, none', async () => {
    const { json } = await cliJson<{ calibrations?: { calibration: string; inUse: boolean }[] }>(['backtest', '--format', 'json']);
    expect(json.calibrations?.map((c) => [c.calibration, c.inUse])).toEqual([
      ['pooled', true],
      ['per-generation', false],
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

  // LLaMA-65B ran at 47.8% of the A100's dense peak (6ND), above the pooled default of 30.9%: within 25%
  // while Ampere had a median of its own (0.437, +9.4%; 0.433, +10.3%, in the ninth batch), 56.1% over under
  // the pooled default (+56.1% at 0.306). Held to ±1 point.
  it('known gap: LLaMA-65B (Touvron et al. 2023, Table 15: 1,022,362 A100-80GB GPU-hours) is predicted 55% over', () => {
    const r = rows.find((x) => x.id === 'llama-65b');
    expect(r?.publishedGpuHours).toBe(1022362);
    expect(r?.error).toBeGreaterThanOrEqual(0.536);
    expect(r?.error).toBeLessThanOrEqual(0.556);
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
