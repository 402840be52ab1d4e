import { describe, expect, it } from 'vitest';
import { matchGpu } from '../../src/presets/match-gpu.js';
import { registry } from '../helpers/presets.js';

// Issue 20 item 4: the cards people fine-tune on, with the names they type and nvidia-smi prints.
const WANTED = [
  { id: 'rtx-5090', typed: ['5090', 'rtx5090', 'RTX 5090'], smi: 'NVIDIA GeForce RTX 5090', pci: '0x2B8510DE', memoryMiB: 32607 },
  { id: 'l4', typed: ['L4', 'nvidia-l4'], smi: 'NVIDIA L4', pci: '0x27B810DE', memoryMiB: 23034 },
  { id: 'rtx-a6000', typed: ['a6000', 'RTX A6000', 'rtxa6000'], smi: 'NVIDIA RTX A6000', pci: '0x223010DE', memoryMiB: 49140 },
  { id: 'rtx-6000-ada', typed: ['rtx6000-ada', 'RTX 6000 Ada'], smi: 'NVIDIA RTX 6000 Ada Generation', pci: '0x26B110DE', memoryMiB: 49140 },
] as const;

describe('GPUs people fine-tune on', () => {
  it.each(WANTED)('$id resolves by id and by the aliases people type', ({ id, typed }) => {
    expect(registry.get('gpus', id).id).toBe(id);
    for (const text of typed) expect(registry.get('gpus', text).id, text).toBe(id);
  });

  it.each(WANTED)('$id is detected from nvidia-smi by PCI device id and by name alone', ({ id, smi, pci, memoryMiB }) => {
    const presets = registry.list('gpus');
    expect(matchGpu({ index: 0, name: smi, memoryMiB, pciDeviceId: pci }, presets)).toMatchObject({ preset: id, matchedBy: 'pci-device-id' });
    expect(matchGpu({ index: 0, name: smi, memoryMiB, pciDeviceId: null }, presets)).toMatchObject({ preset: id, matchedBy: 'name' });
  });

  it('"NVIDIA L4" does not swallow the L40S, nor the RTX 5090 its D variant', () => {
    const presets = registry.list('gpus');
    expect(matchGpu({ index: 0, name: 'NVIDIA L40S', memoryMiB: 46068, pciDeviceId: null }, presets).preset).toBe('l40s');
    expect(matchGpu({ index: 0, name: 'NVIDIA GeForce RTX 5090 D', memoryMiB: 32607, pciDeviceId: '0x2B8710DE' }, presets).preset).toBeNull();
  });

  it.each(WANTED)('$id stores dense peaks, ordered FP32 ≤ TF32 < BF16 < FP8, not the 2:4-sparsity headline', ({ id }) => {
    const { denseTflops: t } = registry.get('gpus', id);
    const fp32 = t.fp32 as number;
    const bf16 = t.bf16 as number;
    expect(t.tf32).toBeGreaterThanOrEqual(fp32);
    expect(bf16).toBeGreaterThan(t.tf32 as number);
    expect(t.fp16).toBe(bf16);
    if (t.fp8 !== undefined) expect(t.fp8).toBeGreaterThan(bf16);
    // On these GA102/AD10x/GB202 cards the dense FP32-accumulate tensor rate is 2× (GeForce) or 4× (workstation,
    // data centre) the FP32 rate; a sparse headline copied by mistake would show up as 8×.
    expect(bf16 / fp32).toBeGreaterThan(1.9);
    expect(bf16 / fp32).toBeLessThan(4.1);
  });

  it('Ampere has no FP8; the A6000 is the only one with an NVLink bridge', () => {
    expect(registry.get('gpus', 'rtx-a6000').denseTflops.fp8).toBeUndefined();
    const nvlink = WANTED.map((w) => registry.get('gpus', w.id)).filter((g) => g.intraNodeLink.name.startsWith('NVLink'));
    expect(nvlink.map((g) => g.id)).toEqual(['rtx-a6000']);
  });
});
