/** Mapping what nvidia-smi reports to GPU presets: PCI device id first, then name and memory. */
import { BYTES_PER_GB, BYTES_PER_MIB } from '../core/units.js';
import type { Registry } from './catalog.js';
import type { GpuPreset } from './schema.js';

export interface SmiGpu {
  index: number;
  name: string;
  memoryMiB: number | null;
  /** As nvidia-smi prints it: "0x233510DE" (device id in the high 16 bits, vendor 10DE in the low). */
  pciDeviceId: string | null;
}

export interface DetectedGpu extends SmiGpu {
  preset: string | null;
  matchedBy: 'pci-device-id' | 'name' | null;
}

/**
 * Reported memory may sit below the marketed size (H200: 143,771 MiB for "141 GB"; A100 40 GB:
 * 40,536 MiB), so memory decides between candidates by closeness, within this relative band.
 */
export const MEMORY_MATCH_TOLERANCE = 0.15;

/** "0x233510DE" → "0x2335"; "0x2335" stays. */
export function pciDevice(id: string | null): string | null {
  if (!id) return null;
  const hex = id.trim().toUpperCase().replace(/^0X/, '');
  if (!/^[0-9A-F]{4}([0-9A-F]{4})?$/.test(hex)) return null;
  return `0x${hex.slice(0, 4)}`;
}

const normalizeName = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, ' ');

export function matchGpu(gpu: SmiGpu, presets: GpuPreset[]): DetectedGpu {
  const device = pciDevice(gpu.pciDeviceId);
  const byId = device ? presets.filter((p) => p.pciDeviceIds.includes(device)) : [];
  if (byId.length > 0) return { ...gpu, preset: closestByMemory(byId, gpu.memoryMiB).id, matchedBy: 'pci-device-id' };
  const name = normalizeName(gpu.name);
  const byName = presets.filter((p) => p.nvidiaSmiNames.some((n) => normalizeName(n) === name));
  if (byName.length > 0) return { ...gpu, preset: closestByMemory(byName, gpu.memoryMiB).id, matchedBy: 'name' };
  return { ...gpu, preset: null, matchedBy: null };
}

export function matchGpus(gpus: SmiGpu[], registry: Registry): DetectedGpu[] {
  const presets = registry.list('gpus');
  return gpus.map((g) => matchGpu(g, presets));
}

/** The candidate whose marketed memory is nearest the reported memory (first one if memory is unknown). */
function closestByMemory(candidates: GpuPreset[], memoryMiB: number | null): GpuPreset {
  const first = candidates[0] as GpuPreset;
  if (memoryMiB === null || candidates.length === 1) return first;
  const bytes = memoryMiB * BYTES_PER_MIB;
  const distance = (p: GpuPreset): number => Math.abs(p.memoryGB * BYTES_PER_GB - bytes) / (p.memoryGB * BYTES_PER_GB);
  const inBand = candidates.filter((p) => distance(p) <= MEMORY_MATCH_TOLERANCE);
  return [...(inBand.length ? inBand : candidates)].sort((a, b) => distance(a) - distance(b))[0] ?? first;
}

/** Parses `--query-gpu=index,name,memory.total,pci.device_id --format=csv,noheader,nounits` output. */
export function parseSmiCsv(text: string): SmiGpu[] {
  const gpus: SmiGpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const fields = line.split(',').map((f) => f.trim());
    const [index, name, memory, pci] = fields;
    if (index === undefined || name === undefined || !/^\d+$/.test(index)) continue;
    const mem = Number(memory);
    gpus.push({
      index: Number(index),
      name,
      memoryMiB: memory !== undefined && Number.isFinite(mem) && mem > 0 ? mem : null,
      pciDeviceId: pci && pci !== '[N/A]' ? pci : null,
    });
  }
  return gpus;
}
