/** The kinds `gpucost presets list --kind` takes, apart from report/presets.ts so the CLI can name them without loading it. */
import type { PresetKind } from '../presets/schema.js';

export const PRESET_KIND_NAMES = {
  gpu: 'gpus',
  model: 'models',
  cluster: 'clusters',
  scenario: 'scenarios',
  price: 'prices',
  grid: 'grids',
  run: 'runs',
  throughput: 'throughput',
  finetune: 'finetune',
} as const satisfies Record<string, PresetKind>;
export type PresetKindName = keyof typeof PRESET_KIND_NAMES;
