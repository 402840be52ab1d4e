import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { formatGrouped } from '../../src/core/grouping.js';
import { computeEstimate } from '../../src/resolve/compute.js';
import { resolveEstimate } from '../../src/resolve/estimate.js';
import { estimateReport } from '../../src/report/estimate.js';
import { TEXT_FORMATS } from '../../src/cli/common-options.js';
import { compareRows } from '../../src/resolve/compare.js';
import { compareReport } from '../../src/report/compare.js';
import { FORMATS, render } from '../../src/report/index.js';
import { registry } from '../helpers/presets.js';

const report = estimateReport(computeEstimate(resolveEstimate({ price: 1.5 }, registry)));
const comparison = compareReport(compareRows({ price: 2 }, registry), { plot: true });

describe('renderers of the default estimate', () => {
  it.each(TEXT_FORMATS)('%s matches its snapshot', async (format) => {
    const text = await render(report, format, { color: false, width: 100 });
    await expect(text).toMatchFileSnapshot(`./__snapshots__/estimate.${format}.snap`);
  });

  it('svg and html refuse a report without a chart', async () => {
    await expect(render(report, 'svg', { color: false })).rejects.toThrow(/draws no chart/);
  });
});

describe('renderers of the default comparison (with charts)', () => {
  it.each(FORMATS)('%s matches its snapshot', async (format) => {
    const text = await render(comparison, format, { color: false, width: 100 });
    await expect(text).toMatchFileSnapshot(`./__snapshots__/compare.${format}.snap`);
  });

  it('every text renderer renders a comparison with no price and no chart: each row, and no cost anywhere', async () => {
    const rows = compareRows({}, registry);
    const plain = compareReport(rows, { plot: false });
    expect(plain.charts ?? []).toEqual([]);
    const out: Record<string, string> = {};
    for (const format of TEXT_FORMATS) out[format] = await render(plain, format, { color: false });
    const gpus = rows.map((r) => r.estimate.input.gpus);
    const json = JSON.parse(out.json!) as { estimates: { gpus: number; costUsd: number | null }[] };
    expect(json.estimates.map((e) => e.gpus)).toEqual(gpus);
    expect(json.estimates.map((e) => e.costUsd)).toEqual(gpus.map(() => null));
    expect(parseYaml(out.yaml!)).toEqual(json);
    expect(parseCsv(out.csv!)).toHaveLength(rows.length + 1);
    for (const f of ['table', 'markdown']) {
      for (const n of gpus) expect(out[f]).toMatch(new RegExp(`[|│] +${formatGrouped(n, 0)} +[|│]`));
      expect(out[f]).not.toContain('$');
    }
  });

  it('table with colour has ANSI codes; without, none', async () => {
    expect(await render(report, 'table', { color: true })).toMatch(/\x1b\[1m/);
    expect(await render(report, 'table', { color: false })).not.toMatch(/\x1b\[/);
  });

  it('machine formats never carry colour, whatever the option', async () => {
    for (const format of ['json', 'csv', 'markdown', 'yaml'] as const) {
      expect(await render(report, format, { color: true })).not.toMatch(/\x1b\[/);
    }
  });

  it('JSON turns non-finite numbers into null', async () => {
    const broken = { ...report, json: { schemaVersion: 1, x: Number.POSITIVE_INFINITY, y: Number.NaN } };
    expect(JSON.parse(await render(broken, 'json', { color: false }))).toEqual({ schemaVersion: 1, x: null, y: null });
  });
});

describe('charts of values a log axis cannot place', () => {
  it('an infinite wall-clock is left out of the plot instead of crashing it (found by the property tests)', async () => {
    // Efficiency 1e-9 per doubling makes 282M GPUs take longer than a double can hold.
    const rows = compareRows(
      {
        model: 'gpt3-13b',
        gpuList: ['h100'],
        gpusList: [5, 16, 282057900],
        tokens: 3e208,
        tflops: 5e-39,
        scaling: { kind: 'efficiency', perDoubling: 1e-9, baseGpus: 1 },
      },
      registry,
    );
    expect(rows.some((r) => !Number.isFinite(r.estimate.result.wallClockSeconds))).toBe(true);
    const text = await render(compareReport(rows, { plot: true }), 'table', { color: false, width: 60 });
    expect(text).toMatch(/Time to train/);
  });
});
