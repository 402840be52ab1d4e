import { warning } from '../core/warnings.js';
import type { DetectedGpu } from '../presets/match-gpu.js';
import { type Report, SCHEMA_VERSION } from './model.js';

export function detectReport(gpus: DetectedGpu[]): Report {
  const warnings = gpus
    .filter((g) => g.preset === null)
    .map((g) =>
      warning('GPU_UNMATCHED', `GPU ${g.index} "${g.name}" matches no preset; add one with --presets DIR`, {
        index: g.index,
        name: g.name,
        memoryMiB: g.memoryMiB,
        pciDeviceId: g.pciDeviceId,
      }),
    );
  const rows = gpus.map((g) => ({
    index: g.index,
    name: g.name,
    memoryMiB: g.memoryMiB,
    pciDeviceId: g.pciDeviceId,
    preset: g.preset ?? 'no match',
    matchedBy: g.matchedBy ?? '',
  }));
  const columns = [
    { key: 'index', label: 'index', kind: 'integer' as const },
    { key: 'name', label: 'name', kind: 'text' as const },
    { key: 'memoryMiB', label: 'memory', unit: 'MiB', kind: 'integer' as const },
    { key: 'pciDeviceId', label: 'PCI device id', kind: 'text' as const, dropOrder: 2 },
    { key: 'preset', label: 'preset', kind: 'text' as const },
    { key: 'matchedBy', label: 'matched by', kind: 'text' as const, dropOrder: 1 },
  ];
  return {
    title: `Local GPUs (${gpus.length})`,
    tables: [{ columns, rows }],
    primary: { columns, rows },
    assumptions: [],
    warnings,
    notes: [],
    json: {
      schemaVersion: SCHEMA_VERSION,
      gpus: gpus.map((g) => ({ index: g.index, name: g.name, preset: g.preset, memoryMiB: g.memoryMiB, pciDeviceId: g.pciDeviceId, matchedBy: g.matchedBy })),
      warnings,
    },
  };
}
