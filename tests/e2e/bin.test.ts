// Spawns the built binary (npm test builds first, via pretest).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'gpucost.js');
const gpucost = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('the built gpucost binary', () => {
  it('estimate --format json prints the contract', () => {
    const r = gpucost('estimate', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.schemaVersion).toBe(3);
    expect(json.estimates[0].wallClockDays).toBeGreaterThan(33);
    expect(json.estimates[0].wallClockDays).toBeLessThan(35);
  });

  it('the real CLI dates prices with the current date: a 2022 price is stale', () => {
    const r = gpucost('estimate', '--provider', 'aws', '--price-tier', 'reserved-1y', '--format', 'json');
    expect(r.status).toBe(0);
    const estimate = JSON.parse(r.stdout).estimates[0];
    expect(estimate.priceSource.ageDays).toBeGreaterThan(365);
    expect(estimate.priceSource.stale).toBe(true);
    expect(estimate.warnings.find((w: { code: string }) => w.code === 'PRICE_STALE').message).toMatch(/from 2022-08-19/);
  });

  it('plan --deadline 34d gives 1024 GPUs', () => {
    const r = gpucost('plan', '--deadline', '34d', '--format', 'json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).plans[0].gpus).toBe(1024);
  });

  it('reproduce exits 0', () => {
    expect(gpucost('reproduce').status).toBe(0);
  });

  it('bad input exits 2 with one line and no stack', () => {
    const r = gpucost('estimate', '--gpu', 'nope');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^gpucost: error\[E_UNKNOWN_PRESET\]: unknown GPU "nope"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--version and --help exit 0', () => {
    expect(gpucost('--version').status).toBe(0);
    expect(gpucost('--help').stdout).toContain('estimate');
  });

  // The bundle swaps cli-table3's string-width for a lighter one (scripts/build.mjs): its tables
  // must come out exactly as the source's do.
  it.each([
    [['estimate']],
    [['compare']],
    [['memory', '--gpu', 'v100', '--gpus', '8']],
    [['estimate', '--model', 'llama3-405b', '--gpu', 'h100', '--gpus', '16384', '--perf', 'model']],
    [['presets', 'list', '--kind', 'gpu']],
  ])('prints the same tables as the source for %j', async (args) => {
    const r = gpucost(...args);
    const inProcess = await cli(args);
    expect(r.status).toBe(inProcess.code);
    expect(r.stdout).toBe(inProcess.out);
  });
});
