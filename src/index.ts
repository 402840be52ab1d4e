/** Library entry: the pure core and the preset lookup, without the CLI. */
export * from './core/units.js';
export * from './core/enums.js';
export * from './core/types.js';
export * from './core/params.js';
export * from './core/flops.js';
export * from './core/throughput.js';
export * from './core/cost.js';
export * from './core/memory.js';
export * from './core/estimate.js';
export * from './core/quantity.js';
export * from './core/warnings.js';
export { builtinRegistry, BUILTIN_CATALOG } from './presets/builtin.js';
export { Registry, type PresetCatalog } from './presets/catalog.js';
export { run } from './cli/main.js';
export { resolveEstimate, type EstimateRequest, type ResolvedEstimate } from './resolve/estimate.js';
export { computeEstimate, type ComputedEstimate } from './resolve/compute.js';
