import { describe, expect, it } from 'vitest';
import { prices } from '../../src/index.js';
import type { PricesDocument } from '../../src/report/prices.js';
import { cli, cliJson, estimateJson, TEST_TODAY } from '../helpers/cli.js';

const EXAMPLE = ['prices', '--model', 'llama3-8b', '--tokens', '1T', '--gpus', '64'];

describe('gpucost prices', () => {
  it("ranks the issue's example: ≥ 5 providers × ≥ 3 GPU types, cheapest first, every row able to reach 64 GPUs", async () => {
    const { code, json, err } = await cliJson<PricesDocument>(EXAMPLE);
    expect(code, err).toBe(0);
    expect(json.schemaVersion).toBe(3);
    const rows = json.prices;
    expect(new Set(rows.map((r) => r.provider)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(rows.map((r) => r.gpu)).size).toBeGreaterThanOrEqual(3);
    const costs = rows.map((r) => r.costUsd as number);
    expect(costs.every((c) => c > 0)).toBe(true);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    for (const r of rows) {
      expect(r.gpus).toBe(64);
      expect(r.reach, `${r.provider} ${r.instance}`).toMatch(/^multi-node over /);
    }
    // Single-instance and unknown offerings are counted, not dropped silently.
    expect(json.excluded.some((e) => e.instance === 'Standard_NC40ads_H100_v5' && e.reaches === false)).toBe(true);
    expect(json.excluded.some((e) => e.provider === 'lambda' && e.reaches === null)).toBe(true);
    expect(rows.some((r) => r.provider === 'lambda' || r.instance === 'g4dn.xlarge')).toBe(false);
  });

  it('offerings that cannot run the plan come after every one that can, however cheap, and the title says how many', async () => {
    // Llama 3 70B on 8 GPUs: full training state (about 1.1 TB) does not fit 8 × 80 GB; 8 × 141–192 GB does.
    const { code, json } = await cliJson<PricesDocument & { prices: { fits: boolean; costUsd: number }[] }>([
      'prices',
      '--model',
      'llama3-70b',
      '--tokens',
      '100B',
      '--gpus',
      '8',
    ]);
    expect(code).toBe(0);
    const fits = json.prices.map((r) => r.fits);
    const firstBlocked = fits.indexOf(false);
    expect(firstBlocked).toBeGreaterThan(0);
    expect(fits.slice(firstBlocked).every((f) => !f)).toBe(true);
    // Each group is cheapest first; some blocked offering is cheaper than the last that can run.
    const costs = json.prices.map((r) => r.costUsd as number);
    const [ok, blocked] = [costs.slice(0, firstBlocked), costs.slice(firstBlocked)];
    expect(ok).toEqual([...ok].sort((a, b) => a - b));
    expect(blocked).toEqual([...blocked].sort((a, b) => a - b));
    expect(Math.min(...blocked)).toBeLessThan(Math.max(...ok));
    const { out } = await cli(['prices', '--model', 'llama3-70b', '--tokens', '100B', '--gpus', '8']);
    expect(out.split('\n')[0]).toBe(
      `Llama 3 70B · 100B tokens on 8 GPUs: ${fits.length} offerings, cheapest first; the ${fits.length - firstBlocked} that cannot run this plan come last`,
    );
  });

  it('a fine-tune is priced on one GPU by default; QLoRA on a TPU is QLORA_NO_KERNELS (error) and ranks last', async () => {
    const args = ['prices', '--model', 'llama3-8b', '--finetune', 'qlora', '--examples', '50k', '--avg-len', '512', '--epochs', '3'];
    type Row = { gpu: string; gpus: number; warnings: { code: string; severity: string }[] };
    const { code, json } = await cliJson<PricesDocument & { prices: Row[] }>(args);
    expect(code).toBe(0);
    expect(json.prices.every((r) => r.gpus === 1)).toBe(true);
    const tpu = json.prices.filter((r) => r.gpu.startsWith('tpu-'));
    expect(tpu.length).toBeGreaterThan(0);
    for (const r of tpu) expect(r.warnings.find((w) => w.code === 'QLORA_NO_KERNELS')?.severity).toBe('error');
    expect(json.prices.findIndex((r) => r.gpu.startsWith('tpu-'))).toBeGreaterThan(json.prices.findIndex((r) => r.gpu === 'rtx-4090'));
    // LoRA runs on a TPU: no such check; QLoRA there fails --fail-if-infeasible.
    const onTpu = (mode: string) => ['--model', 'llama3-8b', '--finetune', mode, '--gpu', 'tpu-v6e', '--examples', '50k', '--avg-len', '512'];
    const lora = await estimateJson<{ warnings: { code: string }[] }>(onTpu('lora'));
    expect(lora.warnings.map((w) => w.code)).not.toContain('QLORA_NO_KERNELS');
    expect((await cli(['estimate', ...onTpu('qlora'), '--fail-if-infeasible'])).code).toBe(1);
  });

  it('shows time and cost side by side, with the date and a note on what was left out', async () => {
    const { code, out } = await cli(EXAMPLE);
    expect(code).toBe(0);
    expect(out).toMatch(/wall-clock.*GPU-hours.*cost/);
    expect(out).toContain('2026-09-25');
    expect(out).toMatch(/Left out: \d+ offerings/);
    expect(out).toMatch(/presets do not say whether they reach 64/);
  });

  it('admits single-node offerings for an 8-GPU run', () => {
    const doc = prices({ model: 'llama3-8b', tokens: 1e11, gpus: 8, provider: ['lambda', 'aws'] }, { today: TEST_TODAY });
    const lambda = doc.prices.filter((r) => r.provider === 'lambda');
    expect(lambda.map((r) => r.instance).sort()).toEqual(['8x A100 SXM 80GB', '8x H100 SXM']);
    expect(lambda.every((r) => r.reach === 'one instance of 8 GPUs')).toBe(true);
    expect(doc.prices.some((r) => r.instance === 'g5.48xlarge')).toBe(true);
    // A 4-GPU instance cannot hold 8 GPUs and is not known to cluster.
    expect(doc.excluded.some((e) => e.instance === 'g5.12xlarge' && e.reaches === null)).toBe(true);
  });

  it('marks prices over six months old (PRICE_DATED) and over a year (PRICE_STALE) against a fixed today', () => {
    const doc = prices({ model: 'llama3-8b', tokens: 1e11, gpus: 64, provider: ['aws'], gpu: ['h100-sxm'] }, { today: '2027-05-01' });
    const onDemand = doc.prices.find((r) => r.tier === 'on-demand');
    expect(onDemand?.asOf).toBe('2026-09-25');
    expect(onDemand?.ageDays).toBe(218);
    expect(onDemand?.dated).toBe(true);
    expect(onDemand?.stale).toBe(false);
    expect(onDemand?.warnings.map((w) => w.code)).toContain('PRICE_DATED');
    const block = doc.prices.find((r) => r.tier === 'capacity-block');
    expect(block?.stale).toBe(true);
    expect(block?.warnings.map((w) => w.code)).toContain('PRICE_STALE');
    expect(block?.warnings.map((w) => w.code)).not.toContain('PRICE_DATED');
    const fresh = prices({ model: 'llama3-8b', tokens: 1e11, gpus: 64, provider: ['aws'], gpu: ['h100-sxm'], tier: ['on-demand'] }, { today: '2026-10-01' });
    expect(fresh.prices[0]?.dated).toBe(false);
    expect(fresh.prices[0]?.warnings.map((w) => w.code)).not.toContain('PRICE_DATED');
  });

  it('keeps the GPUs, providers and tiers asked for; CSV and Markdown render', async () => {
    const args = [...EXAMPLE, '--gpu', 'h100', '--provider', 'aws,coreweave', '--tier', 'on-demand,spot'];
    const { json } = await cliJson<PricesDocument>(args);
    expect(new Set(json.prices.map((r) => `${r.provider} ${r.gpu} ${r.tier}`))).toEqual(
      new Set(['aws h100-sxm on-demand', 'coreweave h100-sxm on-demand', 'coreweave h100-sxm spot']),
    );
    const csv = await cli([...args, '--format', 'csv']);
    expect(csv.out.split('\n')[0]).toContain('cost (USD)');
    const md = await cli([...args, '--format', 'markdown']);
    expect(md.out).toContain('| coreweave |');
  });

  it('--precision fp8 (or fp4) keeps the GPUs that have that peak and says which were left out (an A100 has no FP8 peak)', async () => {
    type Listed = { prices: { gpu: string }[]; excluded: { gpu: string; precision?: string; reaches: boolean | null }[] };
    const at = (precision: string) => cliJson<Listed>([...EXAMPLE, '--precision', precision, '--format', 'json']);
    const r = await at('fp8');
    expect(r.code, r.err).toBe(0);
    expect(r.json.prices.length).toBeGreaterThan(3);
    expect(r.json.prices.some((p) => p.gpu.startsWith('a100'))).toBe(false);
    const noPeak = r.json.excluded.filter((e) => e.precision === 'fp8');
    expect(noPeak.map((e) => e.gpu)).toContain('a100-sxm4-80gb');
    expect(noPeak.every((e) => e.reaches === true)).toBe(true);
    // Only Blackwell data-centre GPUs have an NVFP4 peak.
    const fp4 = new Set((await at('fp4')).json.prices.map((p) => p.gpu));
    expect(fp4.has('b200')).toBe(true);
    expect([...fp4].every((g) => g === 'b200' || g === 'gb200')).toBe(true);
    const table = await cli([...EXAMPLE, '--precision', 'fp4']);
    expect(table.out.replace(/\s+/g, ' ')).toMatch(/\d+ are on GPUs with no fp4 peak \(a100-sxm4-40gb, .*h100-sxm/);
  });

  it('rejects an unknown tier with exit 2', async () => {
    const { code, err } = await cli([...EXAMPLE, '--tier', 'monthly']);
    expect(code).toBe(2);
    expect(err).toContain('monthly');
  });
});

describe('compare --provider', () => {
  it("prices each GPU at the provider's own price for it, and says when it lists none", async () => {
    const { code, json } = await cliJson<{
      estimates: { gpu: string; costUsd: number | null; priceSource: { usdPerGpuHour: number; instance: string } | null }[];
    }>(['compare', '--model', 'llama3-8b', '--tokens', '1T', '--gpus', '64', '--gpu', 'h100-sxm,a100-sxm4-80gb,mi300x', '--provider', 'aws']);
    expect(code).toBe(0);
    const by = Object.fromEntries(json.estimates.map((e) => [e.gpu, e]));
    expect(by['h100-sxm']?.priceSource?.usdPerGpuHour).toBe(6.88);
    expect(by['a100-sxm4-80gb']?.priceSource?.usdPerGpuHour).toBe(3.4309);
    expect(by.mi300x?.costUsd).toBeNull();
    const { out } = await cli(['compare', '--model', 'llama3-8b', '--tokens', '1T', '--gpus', '64', '--gpu', 'h100-sxm,mi300x', '--provider', 'aws']);
    expect(out).toContain('aws lists no on-demand price for mi300x');
  });

  it('prices a multi-node count at an instance that can form the cluster', async () => {
    const { json } = await cliJson<{ estimates: { priceSource: { instance: string } }[] }>([
      'estimate',
      '--model',
      'llama3-8b',
      '--gpu',
      'h100-sxm',
      '--gpus',
      '64',
      '--provider',
      'gcp',
      '--price-tier',
      'spot',
    ]);
    expect(json.estimates[0]?.priceSource.instance).toBe('a3-highgpu-8g');
  });
});

describe('estimate and compare --provider say when the price is for an offering not known to reach the GPU count', () => {
  it('64 H100 at lambda: PRICE_REACH_UNKNOWN with the reason; 1 GPU: none', async () => {
    type Est = { warnings: { code: string; message: string; detail: Record<string, unknown> }[]; costUsd: number | null };
    const big = await estimateJson<Est>(['--model', 'llama3-8b', '--tokens', '1T', '--gpu', 'h100', '--gpus', '64', '--provider', 'lambda']);
    const reach = big.warnings.find((w) => w.code === 'PRICE_REACH_UNKNOWN');
    expect(reach?.detail).toMatchObject({ provider: 'lambda', gpu: 'h100-sxm', gpus: 64 });
    expect(reach?.detail.reaches === null || reach?.detail.reaches === false).toBe(true);
    expect(big.costUsd).not.toBeNull();
    const one = await estimateJson<Est>(['--model', 'llama3-8b', '--tokens', '1T', '--gpu', 'h100', '--gpus', '1', '--provider', 'lambda']);
    expect(one.warnings.map((w) => w.code)).not.toContain('PRICE_REACH_UNKNOWN');
  });

  it('an offering the presets show forming the cluster (aws p5, EFA) draws no such warning', async () => {
    type Est = { warnings: { code: string }[] };
    const e = await estimateJson<Est>(['--model', 'llama3-8b', '--tokens', '1T', '--gpu', 'h100', '--gpus', '64', '--provider', 'aws']);
    expect(e.warnings.map((w) => w.code)).not.toContain('PRICE_REACH_UNKNOWN');
  });
});
