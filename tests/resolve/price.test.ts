import { describe, expect, it } from 'vitest';
import { computeEstimate } from '../../src/resolve/compute.js';
import { type EstimateRequest, resolveEstimate } from '../../src/resolve/estimate.js';
import { daysBetween, STALE_PRICE_DAYS } from '../../src/resolve/price.js';
import { TEST_TODAY } from '../helpers/cli.js';
import { registry } from '../helpers/presets.js';

const resolve = (req: EstimateRequest) => resolveEstimate({ today: TEST_TODAY, ...req }, registry);

describe('price resolution', () => {
  it('--provider picks the on-demand entry for the GPU and records which price, where and when', () => {
    const r = resolve({ provider: 'aws' });
    expect(r.price.value).toBe(3.4309); // presets/prices/aws.yaml, p4de.24xlarge
    expect(r.money.priceSource).toMatchObject({
      kind: 'rental',
      provider: 'aws',
      tier: 'on-demand',
      instance: 'p4de.24xlarge',
      region: 'us-east-1',
      asOf: '2026-08-26',
      ageDays: 94,
      stale: false,
    });
    expect(r.money.priceSource?.source?.url).toMatch(/^https:\/\/aws\.amazon\.com/);
    expect(r.money.warnings).toEqual([]);
  });

  it('--price-tier chooses the tier; a price over 12 months old draws a warning naming its date', () => {
    const r = resolve({ provider: 'aws', priceTier: 'reserved-3y' });
    expect(r.price.value).toBe(1.81);
    expect(r.money.priceSource?.stale).toBe(true);
    expect(r.money.warnings.map((w) => w.code)).toEqual(['PRICE_STALE']);
    expect(r.money.warnings[0]?.message).toMatch(/from 2022-08-19, 4\.3 years before today/);
    expect(r.money.warnings[0]?.detail).toMatchObject({ provider: 'aws', tier: 'reserved-3y', asOf: '2022-08-19', staleAfterDays: 365 });
  });

  it('staleness is measured from the injected date: 365 days is fresh, 366 is stale', () => {
    expect(daysBetween('2025-11-28', '2026-11-28')).toBe(STALE_PRICE_DAYS);
    const entryDate = '2026-08-26'; // aws a100-sxm4-80gb on-demand
    const at = (today: string) => resolveEstimate({ provider: 'aws', today }, registry).money.priceSource?.stale;
    expect(at('2027-08-26')).toBe(false);
    expect(at('2027-08-27')).toBe(true);
    expect(daysBetween(entryDate, '2027-08-27')).toBe(366);
  });

  it('without a date (library use) nothing is called stale', () => {
    const r = resolveEstimate({ provider: 'aws', priceTier: 'reserved-3y' }, registry);
    expect(r.money.priceSource?.ageDays).toBeNull();
    expect(r.money.warnings).toEqual([]);
  });

  it('when several entries match, the lowest price wins and the others are named', () => {
    const one = resolve({ provider: 'aws', gpu: 'l40s', gpus: 1 });
    expect(one.price.value).toBe(1.861);
    expect(one.money.priceSource?.selection).toMatch(/lowest of 2 on-demand entries.*g6e\.48xlarge/);
    expect(one.notes.join()).toMatch(/g6e\.48xlarge/);
    // Eight GPUs do not fit the 1-GPU g6e.xlarge, which is not known to cluster: the 8-GPU instance prices them.
    const eight = resolve({ provider: 'aws', gpu: 'l40s', gpus: 8 });
    expect(eight.price.value).toBe(3.7664);
    expect(eight.money.priceSource?.selection).toMatch(/the one on-demand entry that reaches 8 GPUs \(1 more cannot/);
    const lambda = resolve({ provider: 'lambda', gpu: 'h100', gpus: 8 });
    expect(lambda.price.value).toBe(3.99); // the 8-GPU instance, cheaper per GPU than the 1-GPU one
    expect(lambda.money.priceSource?.instance).toBe('8x H100 SXM');
  });

  it('--price overrides --provider, and says so', () => {
    const r = resolve({ provider: 'aws', price: 2 });
    expect(r.price).toEqual({ value: 2, origin: 'flag --price' });
    expect(r.money.priceSource?.kind).toBe('flag');
    expect(r.notes.join()).toMatch(/--price 2 overrides --provider aws/);
  });

  it('the scenario price (claim A1, Lambda 2020) is kept and labelled', () => {
    const r = resolve({ scenario: 'A1' });
    expect(r.price.value).toBe(1.48);
    expect(r.money.priceSource).toMatchObject({ kind: 'scenario', usdPerGpuHour: 1.48 });
  });

  it('with neither --provider nor --price there is no cost', () => {
    const e = computeEstimate(resolve({}));
    expect(e.result.costUsd).toBeNull();
    expect(e.resolved.money.priceSource).toBeNull();
  });

  it.each([
    [{ provider: 'nope' }, /unknown price list "nope"/],
    [{ provider: 'aws', gpu: 'tpu-v5e', gpus: 8 }, /aws lists no price for tpu-v5e/],
    [{ provider: 'aws', priceTier: 'spot' }, /aws lists no spot price for a100-sxm4-80gb/],
    [{ priceTier: 'spot' }, /--price-tier needs --provider/],
    [{ provider: 'hardware' }, /purchase prices, not rentals/],
    [{ owned: true, provider: 'aws' }, /--owned and --provider/],
    [{ hardwarePrice: 30_000 }, /--hardware-price needs --owned/],
    [{ owned: true, gpu: 'mi300x', gpus: 8 }, /no purchase price for mi300x/],
  ] as [EstimateRequest, RegExp][])('rejects %j', (req, message) => {
    expect(() => resolve(req)).toThrow(message);
  });
});

describe('owned hardware', () => {
  it('H100: $41,667 per GPU at 0.14 OOM/yr plus energy at 956.25 W × PUE 1.56 × $0.0806/kWh = $1.6535 per GPU-hour', () => {
    // capex 41,667 × 0.14 · ln 10 / 8,760 = 1.53330; energy 0.95625 kW × 1.56 × 0.0806 = 0.12023505
    const r = resolve({ owned: true, gpu: 'h100', gpus: 512 });
    expect(r.price.value).toBeCloseTo(1.5333 + 0.12023505, 4);
    const o = r.money.priceSource?.owned;
    expect(o?.hardwareUsdPerGpu).toBe(41_667);
    expect(o?.depreciation).toBe('exponential');
    expect(o?.energyUsdPerGpuHour).toBeCloseTo(0.12023505, 6);
    expect(r.money.priceSource?.asOf).toBe('2023-05-29');
  });

  it('the newest of several purchase prices is used, and the other is named', () => {
    const r = resolve({ owned: true });
    expect(r.money.priceSource?.owned?.hardwareUsdPerGpu).toBe(11_174 + 7_375 + 4_351); // 2023-09-23 entry
    expect(r.notes.join()).toMatch(/newest of 2 entries/);
  });

  it('--hardware-price, --depreciation-years and --kwh-price replace the defaults', () => {
    const r = resolve({ owned: true, hardwarePrice: 35_040, depreciationYears: 4, kwhPrice: 0.1, pue: 1.2 });
    // 35,040 / (4 × 8,760) = 1.00; energy 0.609375 kW × 1.2 × 0.1 = 0.073125
    expect(r.price.value).toBeCloseTo(1 + 0.073125, 9);
  });

  it('cost = GPU-hours × (capex + energy) per GPU-hour, and the energy part equals energy × kWh price', () => {
    const e = computeEstimate(resolve({ owned: true, gpu: 'h100', gpus: 512 }));
    expect(e.result.costUsd).toBeCloseTo(e.result.gpuHours * (e.resolved.price.value ?? 0), 3);
    expect(e.money.energyCostUsd).toBeCloseTo((e.money.energyKwh ?? 0) * 0.0806, 3);
  });
});

describe('energy defaults', () => {
  it('PUE: 1.10 on a hyperscale cloud, 1.56 otherwise; --pue wins', () => {
    expect(resolve({ provider: 'gcp', gpu: 'h100', gpus: 8 }).money.energy.pue.value).toBe(1.1);
    expect(resolve({ provider: 'lambda', gpu: 'h100', gpus: 8 }).money.energy.pue.value).toBe(1.56);
    expect(resolve({}).money.energy.pue.value).toBe(1.56);
    expect(resolve({ pue: 1.3 }).money.energy.pue).toEqual({ value: 1.3, origin: 'flag --pue' });
  });

  it("the grid follows the rental price's region, else the world average; --grid and --grid-gco2-kwh win", () => {
    expect(resolve({ provider: 'aws' }).money.grid.value?.id).toBe('us-virginia');
    expect(resolve({ provider: 'gcp', gpu: 'h100', gpus: 8 }).money.grid.value?.id).toBe('us-iowa');
    expect(resolve({}).money.grid.value?.id).toBe('world');
    expect(resolve({ provider: 'aws', grid: 'france' }).money.grid.value?.id).toBe('france');
    expect(resolve({ gridGco2Kwh: 0 }).money.grid.value?.gco2PerKwh).toBe(0);
  });

  it('a TPU without a published TDP gets no energy and no CO2e, and a note, not a crash', () => {
    const e = computeEstimate(resolve({ gpu: 'tpu-v5e', gpus: 256 }));
    expect(e.money.energyKwh).toBeNull();
    expect(e.money.co2eKg).toBeNull();
    expect(e.resolved.notes.join()).toMatch(/tpu-v5e publishes no TDP/);
    const given = computeEstimate(resolve({ gpu: 'tpu-v5e', gpus: 256, powerPerGpu: 300 }));
    expect(given.money.energyKwh).toBeCloseTo((given.result.gpuHours * 300 * 1.56) / 1000, 6);
  });
});
