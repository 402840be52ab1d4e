import { builtinRegistry } from '../../src/presets/builtin.js';
import { modelArch } from '../../src/presets/to-core.js';
import type { ModelArch } from '../../src/core/types.js';

export const registry = builtinRegistry();

export function arch(id: string, overrides: Partial<ModelArch> = {}): ModelArch {
  return { ...modelArch(registry.get('models', id)), ...overrides };
}
