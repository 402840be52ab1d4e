import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import stringWidth from '../../src/report/render/string-width.js';
import { fakeSmiPath } from '../helpers/fake-smi.js';

const dir = fakeSmiPath();
const recorded = join(import.meta.dirname, '..', 'fixtures', 'nvidia-smi-recorded');
const constructed = join(import.meta.dirname, '..', 'fixtures', 'nvidia-smi');

async function detect(file: string, args: string[] = ['detect', '--format', 'json'], extraEnv: Record<string, string> = {}) {
  const io = memoryIo({ env: { PATH: `${dir}:${process.env.PATH}`, FAKE_SMI_FILE: file, NO_COLOR: '1', ...extraEnv } });
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

describe('gpucost detect', () => {
  // Real output recorded on an H200 (driver 580.159.04); see tests/fixtures/nvidia-smi-recorded/README.md.
  it('matches the recorded H200 by PCI device id', async () => {
    const { code, out } = await detect(join(recorded, 'h200-query-gpu.csv'));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      schemaVersion: 3,
      gpus: [{ index: 0, name: 'NVIDIA H200', preset: 'h200', memoryMiB: 143771, pciDeviceId: '0x233510DE', matchedBy: 'pci-device-id' }],
      warnings: [],
    });
  });

  it('matches by name and memory when nvidia-smi gives no device id', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gpucost-')), 'no-id.csv');
    writeFileSync(file, '0, NVIDIA H200, 143771, [N/A]\n1, Some Future GPU, 1000, [N/A]\n');
    const { code, out } = await detect(file);
    expect(code).toBe(0);
    const { gpus, warnings } = JSON.parse(out);
    expect(gpus[0]).toMatchObject({ preset: 'h200', matchedBy: 'name', pciDeviceId: null });
    expect(gpus[1]).toMatchObject({ preset: null, matchedBy: null });
    expect(warnings).toEqual([
      {
        code: 'GPU_UNMATCHED',
        severity: 'warning',
        message: 'GPU 1 "Some Future GPU" matches no preset; add one with --presets DIR',
        detail: { index: 1, name: 'Some Future GPU', memoryMiB: 1000, pciDeviceId: null },
      },
    ]);
  });

  it('output that is not the queried CSV means no GPUs: exit 2', async () => {
    const { code, err } = await detect(join(recorded, 'h200-L.txt'));
    expect(code).toBe(2);
    expect(err).toMatch(/reported no GPUs/);
  });

  it('--gpu local estimates on the detected GPU', async () => {
    const { code, out } = await detect(join(recorded, 'h200-query-gpu.csv'), ['estimate', '--gpu', 'local', '--gpus', '8', '--format', 'json']);
    expect(code).toBe(0);
    const e = JSON.parse(out).estimates[0];
    expect(e.gpu).toBe('h200');
    expect(e.notes.join(' ')).toMatch(/detected 1 × NVIDIA H200/);
  });

  it('without nvidia-smi: one clear line, exit 2', async () => {
    const io = memoryIo({ env: { PATH: '/nonexistent' } });
    const code = await run(['detect'], io);
    expect(code).toBe(2);
    expect(io.err.trim()).toBe(
      'gpucost: error[E_NO_DEVICE]: nvidia-smi was not found, so no local GPU can be detected; install the NVIDIA driver, or name the GPU with --gpu ID',
    );
  });

  it('a failing nvidia-smi is reported in one line', async () => {
    const { code, err } = await detect(join(recorded, 'h200-query-gpu.csv'), ['detect'], { FAKE_SMI_FAIL: '1' });
    expect(code).toBe(2);
    expect(err).toMatch(/^gpucost: error\[E_NO_DEVICE\]: nvidia-smi failed: NVIDIA-SMI has failed/);
  });

  // Constructed fixtures (tests/fixtures/nvidia-smi/README.md): not recorded on hardware.
  it.each([
    ['dgx-v100-32gb.csv', 'v100-sxm2-32gb', 8],
    ['dgx-a100-80gb.csv', 'a100-sxm4-80gb', 8],
    ['dgx-h100.csv', 'h100-sxm', 8],
    ['a100-40gb-old-driver.csv', 'a100-sxm4-40gb', null],
    ['h100-pcie-1.csv', 'h100-pcie', 1],
    ['amd-mi300x.csv', 'mi300x', null],
  ])('%s → %s', async (file, preset, count) => {
    const { code, out } = await detect(join(constructed, file));
    expect(code).toBe(0);
    const gpus = JSON.parse(out).gpus as { preset: string }[];
    expect(new Set(gpus.map((g) => g.preset))).toEqual(new Set([preset]));
    if (count !== null) expect(gpus).toHaveLength(count);
  });

  it('a machine with two GPU kinds lists both, and --gpu local asks to choose', async () => {
    const file = join(constructed, 'mixed-a100-l40s.csv');
    const { out } = await detect(file);
    expect(new Set(JSON.parse(out).gpus.map((g: { preset: string }) => g.preset)).size).toBe(2);
    const local = await detect(file, ['estimate', '--gpu', 'local']);
    expect(local.code).toBe(2);
    expect(local.err).toMatch(/several GPU kinds/);
  });
});

describe('gpucost detect on an 80-column terminal (issue 19)', () => {
  it('the table of the recorded H200 is at most 80 columns wide', async () => {
    const io = memoryIo({
      env: { PATH: `${dir}:${process.env.PATH}`, FAKE_SMI_FILE: join(recorded, 'h200-query-gpu.csv'), NO_COLOR: '1' },
      isTTY: true,
      columns: 80,
    });
    expect(await run(['detect'], io)).toBe(0);
    expect(io.out).toMatch(/h200/);
    const widest = Math.max(...io.out.split('\n').map((l) => stringWidth(l)));
    expect(widest).toBeLessThanOrEqual(80);
  });
});
