// Preset files a test writes for itself: a folder of user presets, a GPU preset to put in it, and the
// file:line:col problems a PresetError carries, as strings a test can compare.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PresetError } from '../../src/errors.js';

export function userDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpucost-presets-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A valid GPU preset; `name` is written as a JSON string so that any text, control characters too, survives. */
export function gpuYaml(id: string, name: string): string {
  return `id: ${id}
name: ${JSON.stringify(name)}
vendor: nvidia
architecture: hopper
formFactor: pcie
launchYear: 2026
memoryGB: 96
memoryBandwidthTBps: 3
denseTflops: {bf16: 500}
intraNodeLink: {name: PCIe 5.0 x16, bandwidthGBpsPerDirection: 64}
sources:
  - title: Our own measurements
    url: https://example.com/our-gpu
    retrieved: 2026-11-01
`;
}

export function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof PresetError) return e.problems.map((p) => `${p.line}:${p.col} ${p.field}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a PresetError');
}
