import type { ParallelPlan } from '../../src/core/parallel.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { modelArch } from '../../src/presets/to-core.js';
import type { ModelArch } from '../../src/core/types.js';

export const registry = builtinRegistry();

export function arch(id: string, overrides: Partial<ModelArch> = {}): ModelArch {
  return { ...modelArch(registry.get('models', id)), ...overrides };
}

/** One GPU, no parallelism: the layout of a single-card fine-tune. */
export function oneGpuPlan(microBatch: number, globalBatch: number, recompute: ParallelPlan['recompute'] = 'full'): ParallelPlan {
  return { tp: 1, pp: 1, dp: 1, microBatch, globalBatch, zero: 0, recompute, sequenceParallel: false, virtualStages: 1, cp: 1, ep: 1 };
}
