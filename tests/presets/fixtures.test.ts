import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPresetDir } from '../../src/presets/load-dir.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'tests', 'fixtures', 'nvidia-smi');
const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
const { catalog } = loadPresetDir(join(root, 'presets'));

/** One line of `--query-gpu=index,name,memory.total,pci.device_id --format=csv,noheader,nounits`. */
function parse(line: string): { index: number; name: string; mib: number; deviceId: string } {
  const fields = line.split(', ');
  expect(fields, line).toHaveLength(4);
  const [index, name, mib, pci] = fields as [string, string, string, string];
  expect(pci, line).toMatch(/^0x[0-9A-F]{4}([0-9A-F]{4})?$/);
  return { index: Number(index), name, mib: Number(mib), deviceId: pci.slice(0, 6) };
}

describe('constructed nvidia-smi fixtures', () => {
  it('the README names every fixture and marks them constructed', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/CONSTRUCTED/);
    for (const f of files) expect(readme, f).toContain(`\`${f}\``);
  });

  it.each(files)('%s: one well-formed line per GPU, each matched by exactly one GPU preset', (file) => {
    const lines = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    lines.forEach((line, i) => {
      const row = parse(line);
      expect(row.index).toBe(i);
      expect(Number.isInteger(row.mib) && row.mib > 0).toBe(true);
      const byName = catalog.gpus.filter((g) => g.nvidiaSmiNames.includes(row.name));
      expect(
        byName.map((g) => g.id),
        row.name,
      ).toHaveLength(1);
      const gpu = byName[0]!;
      if (gpu.pciDeviceIds.length > 0) expect(gpu.pciDeviceIds, row.name).toContain(row.deviceId);
      // nvidia-smi reports MiB; the preset's marketed size is decimal GB. Within 15% either way.
      const gb = (row.mib * 2 ** 20) / 1e9;
      expect(gb / gpu.memoryGB, row.name).toBeGreaterThan(0.85);
      expect(gb / gpu.memoryGB, row.name).toBeLessThan(1.15);
    });
  });
});
