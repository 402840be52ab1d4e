// Spawns the built binary (npm test builds first, via pretest).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'gpucost.cjs');
const gpucost = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('the built gpucost binary', () => {
  it('estimate --format json prints the contract', () => {
    const r = gpucost('estimate', '--format', 'json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.estimates[0].wallClockDays).toBeGreaterThan(33);
    expect(json.estimates[0].wallClockDays).toBeLessThan(35);
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
});
