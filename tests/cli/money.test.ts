import { DEFAULT_ESTIMATE_RANGE } from '../../src/core/range.js';
import { calibratedUtilization } from '../../src/core/calibration.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { cli, cliJson, estimateJson, TEST_TODAY } from '../helpers/cli.js';

interface Estimate {
  [key: string]: unknown;
  gpuHours: number;
  wallClockDays: number;
  costUsd: number | null;
  costUsdLow: number | null;
  costUsdHigh: number | null;
  wallClockDaysLow: number;
  wallClockDaysHigh: number;
  energyKwh: number | null;
  co2eKg: number | null;
  priceSource: { kind: string; provider: string | null; tier: string | null; asOf: string | null; stale: boolean; description: string } | null;
  reliability: { interruptions: number; lostGpuHours: number; goodput: number; idealWallClockDays: number } | null;
  warnings: { code: string; message: string; detail?: Record<string, unknown> }[];
}
const estimate = (args: string[]) => estimateJson<Estimate>(args);

describe('estimate: money, energy and carbon in the JSON contract', () => {
  it('adds energyKwh, co2eKg, costUsdLow/High, wallClockDaysLow/High and priceSource to every estimate', async () => {
    const e = await estimate(['--provider', 'aws']);
    for (const key of ['energyKwh', 'co2eKg', 'costUsdLow', 'costUsdHigh', 'wallClockDaysLow', 'wallClockDaysHigh', 'priceSource']) {
      expect(e, key).toHaveProperty(key);
    }
    expect(e.priceSource).toMatchObject({ kind: 'rental', provider: 'aws', tier: 'on-demand', asOf: '2026-08-26', stale: false });
    expect(e.costUsd).toBeCloseTo(e.gpuHours * 3.4309, 3);
  });

  it('low ≤ mid ≤ high for time and cost', async () => {
    for (const args of [
      ['--price', '2'],
      ['--gpu', 'h100', '--price', '2'],
      ['--mfu-range', '0.2..0.4', '--gpu', 'h100', '--price', '2'],
    ]) {
      const e = await estimate(args);
      expect(e.wallClockDaysLow).toBeLessThan(e.wallClockDays);
      expect(e.wallClockDaysHigh).toBeGreaterThan(e.wallClockDays);
      expect(e.costUsdLow ?? 0).toBeLessThan(e.costUsd ?? 0);
      expect(e.costUsdHigh ?? 0).toBeGreaterThan(e.costUsd ?? 0);
    }
  });

  it('the range: ±12% of a measured rate; the published runs’ spread (published ÷ predicted 0.678–1.784) for a default MFU; --mfu-range when given', async () => {
    const measured = await estimate([]); // 140 TFLOP/s measured (Megatron-LM)
    expect(measured.wallClockDaysHigh / measured.wallClockDays).toBeCloseTo(1 / 0.88, 9);
    expect(measured.wallClockDaysLow / measured.wallClockDays).toBeCloseTo(1 / 1.12, 9);
    const guessed = await estimate(['--gpu', 'h100']); // calibrated default × peak
    expect(guessed.wallClockDaysHigh / guessed.wallClockDays).toBeCloseTo(DEFAULT_ESTIMATE_RANGE.high, 9);
    expect(guessed.wallClockDaysLow / guessed.wallClockDays).toBeCloseTo(DEFAULT_ESTIMATE_RANGE.low, 9);
    const u = calibratedUtilization('hopper').value; // 7 Hopper fit runs give it a value of its own
    const given = await estimate(['--gpu', 'h100', '--mfu-range', '20%..40%']);
    expect(given.wallClockDaysHigh / given.wallClockDays).toBeCloseTo(u / 0.2, 9);
  });

  it('GPT-3 on 1024 A100s: 831,400 GPU-hours × 609.4 W × PUE 1.56 = 790 MWh; × 473 g/kWh (world) = 374 t', async () => {
    const e = await estimate([]);
    expect(e.energyKwh).toBeCloseTo((e.gpuHours * 609.375 * 1.56) / 1000, 3);
    expect(e.co2eKg).toBeCloseTo(((e.energyKwh ?? 0) * 473) / 1000, 3);
    expect(Math.round((e.energyKwh ?? 0) / 1000)).toBe(790);
  });

  it('reproduces Patterson et al. 2021 for GPT-3 on V100: 1,287 MWh and 552 tCO2e (Table 4) from their inputs', async () => {
    // 10,000 V100s at 24.6 TFLOP/s (OpenAI's reported rate; 14.8 days for 3.14e23 FLOPs), 330 W per
    // processor, PUE 1.10, 429 gCO2e/kWh. Tolerance 1%: days and FLOPs are rounded in the sources.
    const e = await estimate(['--scenario', 'A2', '--gpus', '10000', '--tflops', '24.6', '--power-per-gpu', '330', '--pue', '1.1', '--grid-gco2-kwh', '429']);
    expect(Math.abs(e.wallClockDays / 14.8 - 1)).toBeLessThan(0.01);
    expect(Math.abs((e.energyKwh ?? 0) / 1_287_000 - 1)).toBeLessThan(0.01);
    expect(Math.abs((e.co2eKg ?? 0) / 552_000 - 1)).toBeLessThan(0.01);
  });

  it('--grid region presets and aliases change CO2e, not energy', async () => {
    const world = await estimate([]);
    const france = await estimate(['--grid', 'france']);
    expect(france.energyKwh).toBe(world.energyKwh);
    expect((france.co2eKg ?? 0) / (world.co2eKg ?? 1)).toBeLessThan(0.2);
    const alias = await estimate(['--grid', 'aws-us-east-1']);
    expect(alias.co2eKg).toBeCloseTo(((alias.energyKwh ?? 0) * 323) / 1000, 3);
  });

  it('a stale price warns in the table and in the JSON', async () => {
    const r = await cli(['estimate', '--provider', 'aws', '--price-tier', 'reserved-1y']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Price used\s+│ \$3\/GPU-h: aws reserved-1y, p4de\.24xlarge us-east-1, as of 2022-08-19/);
    expect(r.out).toMatch(/is from 2022-08-19/);
    const e = await estimate(['--provider', 'aws', '--price-tier', 'reserved-1y']);
    expect(e.priceSource?.stale).toBe(true);
    expect(e.warnings.find((w) => w.code === 'PRICE_STALE')?.message).toMatch(/from 2022-08-19/);
  });

  it('TPU v5e (no TDP): energy and CO2e are null, the table says why, exit 0', async () => {
    const e = await estimate(['--gpu', 'tpu-v5e', '--gpus', '256', '--provider', 'gcp']);
    expect(e.energyKwh).toBeNull();
    expect(e.co2eKg).toBeNull();
    const r = await cli(['estimate', '--gpu', 'tpu-v5e', '--gpus', '256']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/not computed \(no power figure; --power-per-gpu W\)/);
  });

  it('--owned prices amortised hardware plus energy, and shows the energy part', async () => {
    const e = await estimate(['--owned', '--gpu', 'h100', '--gpus', '512']);
    expect(e.priceSource?.kind).toBe('owned');
    expect(e.costUsd).toBeCloseTo(e.gpuHours * (1.53331665 + 0.12023505), -1);
    const r = await cli(['estimate', '--owned', '--gpu', 'h100', '--gpus', '512']);
    expect(r.out).toMatch(/Energy cost\s+│ \$[\d.]+k \(included in cost\)/);
  });

  it('--reliability adds expected interruptions to time, GPU-hours and cost', async () => {
    const plain = await estimate(['--price', '2']);
    const e = await estimate(['--price', '2', '--reliability']);
    expect(e.reliability).not.toBeNull();
    expect(e.reliability?.idealWallClockDays).toBeCloseTo(plain.wallClockDays, 9);
    expect(e.wallClockDays).toBeGreaterThan(plain.wallClockDays);
    expect(e.gpuHours - plain.gpuHours).toBeCloseTo(e.reliability?.lostGpuHours ?? 0, 3);
    expect(e.costUsd).toBeCloseTo(e.gpuHours * 2, 3);
    // 1,024 GPUs × 1.97e-5/GPU-h × ~830 h ≈ 17 interruptions
    expect(e.reliability?.interruptions).toBeGreaterThan(15);
    expect(e.reliability?.interruptions).toBeLessThan(19);
    const slower = await estimate(['--price', '2', '--restart-time', '2h', '--checkpoint-interval', '3h']);
    expect(slower.wallClockDays).toBeGreaterThan(e.wallClockDays);
  });

  it('interruptions that outpace progress are an error, not a negative time', async () => {
    const r = await cli(['estimate', '--gpus', '1000000', '--failure-rate', '1e-4', '--restart-time', '1h']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/interruptions outpace progress/);
  });

  it('compare names the prices its cost column used', async () => {
    const r = await cli(['compare', '--gpu', 'a100,h100', '--gpus', '256', '--provider', 'lambda']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Prices\n\s+\$2\.79\/GPU-h: lambda on-demand, 8x A100 SXM 80GB, as of 2026-09-25/);
  });
});

describe('compare with a provider that prices some of the GPUs', () => {
  type Row = { gpu: string; gpus: number; costUsd: number | null; pricePerGpuHourUsd: number | null; warnings: { code: string; message: string }[] };
  it('rows of a GPU the provider does not list get no cost and say why; the others are priced as alone', async () => {
    const r = await cliJson<{ estimates: Row[] }>(['compare', '--gpu', 'v100,h100', '--gpus', '64', '--provider', 'coreweave']);
    expect(r.code, r.err).toBe(0);
    const v100 = r.json.estimates.find((e) => e.gpu === 'v100-sxm2-32gb');
    const h100 = r.json.estimates.find((e) => e.gpu === 'h100-sxm');
    expect(v100?.costUsd).toBeNull();
    expect(v100?.warnings.find((w) => w.code === 'PRICE_MISSING')?.message).toMatch(
      /coreweave lists no on-demand price for v100-sxm2-32gb: its rows have no cost/,
    );
    const alone = await cliJson<{ estimates: Row[] }>(['estimate', '--gpu', 'h100', '--gpus', '64', '--provider', 'coreweave']);
    expect(h100?.pricePerGpuHourUsd).toBe(alone.json.estimates[0]?.pricePerGpuHourUsd);
    expect(h100?.costUsd).toBeCloseTo(alone.json.estimates[0]?.costUsd ?? NaN, 6);
    expect(h100?.warnings.map((w) => w.code)).not.toContain('PRICE_MISSING');
    const table = await cli(['compare', '--gpu', 'v100,h100', '--gpus', '64', '--provider', 'coreweave']);
    expect(table.out).toMatch(/64 × v100-sxm2-32gb: coreweave lists no on-demand price for v100-sxm2-32gb/);
  });

  it('a provider that prices none of them stops, as an estimate does', async () => {
    const r = await cli(['compare', '--gpu', 'v100,mi300x', '--gpus', '8', '--provider', 'coreweave']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/coreweave lists no price for v100-sxm2-32gb/);
  });
});

describe('bad input to the new flags: one line on stderr, exit 2', () => {
  it.each([
    ['--provider', 'nope'],
    ['--price-tier', 'cheap'],
    ['--hardware-price', '-5'],
    ['--depreciation-years', '0'],
    ['--pue', '0.9'],
    ['--kwh-price', 'abc'],
    ['--power-per-gpu', '-1'],
    ['--grid', 'atlantis'],
    ['--grid-gco2-kwh', '-3'],
    ['--failure-rate', '0'],
    ['--restart-time', '5'],
    ['--restart-time', '5m'],
    ['--checkpoint-interval', 'soon'],
    ['--checkpoint-time', '-1s'],
    ['--mfu-range', '0.5..0.3'],
    ['--mfu-range', '0.3'],
  ])('estimate %s %s', async (flag, value) => {
    const r = await cli(['estimate', flag, value]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')[0]).toMatch(/^gpucost: error/);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it.each([
    [['--price-tier', 'spot'], /--price-tier needs --provider/],
    [['--owned', '--provider', 'aws'], /--owned and --provider/],
    [['--hardware-price', '30000'], /--hardware-price needs --owned/],
    [['--depreciation-years', '4'], /--depreciation-years needs --owned/],
    [['--provider', 'aws', '--gpu', 'rtx-4090'], /aws lists no price for rtx-4090/],
    [['--owned', '--gpu', 'mi300x'], /no purchase price for mi300x in the presets; pass --hardware-price/],
  ])('%j', async (args, message) => {
    const r = await cli(['estimate', ...args]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });
});

describe('presets: price lists and grids can be listed and shown', () => {
  it('list --kind price names every provider --provider accepts, with its tiers and dates', async () => {
    const { code, json } = await cliJson<{ prices: { id: string; kind: string; tiers: string; gpus: string[] }[]; gpus: unknown[] }>([
      'presets',
      'list',
      '--kind',
      'price',
    ]);
    expect(code).toBe(0);
    expect(json.gpus).toEqual([]);
    const aws = json.prices.find((p) => p.id === 'aws');
    expect(aws?.kind).toBe('hyperscaler');
    expect(aws?.tiers).toMatch(/on-demand/);
    expect(aws?.gpus).toContain('a100-sxm4-80gb');
    expect(json.prices.find((p) => p.id === 'hardware')?.tiers).toMatch(/--owned/);
  });

  it('list --kind grid gives intensities and aliases', async () => {
    const { json } = await cliJson<{ grids: { id: string; gco2PerKwh: number; aliases: string[] }[] }>(['presets', 'list', '--kind', 'grid']);
    expect(json.grids.find((g) => g.id === 'us-virginia')?.aliases).toContain('aws-us-east-1');
  });

  it('show of a price list prints its entries as a table, not [object Object]', async () => {
    const { code, out } = await cli(['presets', 'show', 'lambda']);
    expect(code).toBe(0);
    expect(out).not.toMatch(/object Object/);
    expect(out).toMatch(/h100-sxm\s+│ on-demand │\s+3\.99 │ 8x H100 SXM/);
    const hw = await cli(['presets', 'show', 'hardware']);
    expect(hw.out).toMatch(/h100-sxm\s+│\s+20,579 │\s+13,171 │\s+7,917 │ 2023-05-29/);
  });
});

describe('run files take the new options under their camelCase names', () => {
  it('provider, priceTier, grid, reliability, restartTime and mfuRange from gpucost.yaml; origins say so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-money-'));
    writeFileSync(
      join(dir, 'gpucost.yaml'),
      'provider: aws\npriceTier: reserved-3y\ngrid: france\nreliability: true\nrestartTime: 10min\nmfuRange: "0.3..0.5"\npowerPerGpu: 700\n',
    );
    const io = memoryIo({ cwd: dir, env: { NO_COLOR: '1' }, today: TEST_TODAY });
    const code = await run(['estimate', '--format', 'json'], io);
    expect(code, io.err).toBe(0);
    const e = (JSON.parse(io.out) as { estimates: Estimate[] }).estimates[0] as Estimate & { assumptions: { name: string; origin: string }[]; grid: string };
    expect(e.priceSource).toMatchObject({ provider: 'aws', tier: 'reserved-3y' });
    expect(e.grid).toBe('france');
    expect(e.reliability).toMatchObject({ restartSeconds: 600 });
    const origin = (name: string) => e.assumptions.find((a) => a.name === name)?.origin;
    expect(origin('Restart time')).toBe('run file gpucost.yaml');
    expect(origin('Power per GPU')).toBe('run file gpucost.yaml');
    expect(origin('Throughput range')).toBe('run file gpucost.yaml');
    const bad = memoryIo({ cwd: dir, env: { NO_COLOR: '1' }, today: TEST_TODAY });
    writeFileSync(join(dir, 'bad.yaml'), 'restartTime: 5m\npriceTier: cheap\n');
    expect(await run(['estimate', '--config', 'bad.yaml'], bad)).toBe(2);
    expect(bad.err).toMatch(/bad\.yaml:1:\d+ restartTime: .*ambiguous/);
    expect(bad.err).toMatch(/bad\.yaml:2:\d+ priceTier/);
  });
});
