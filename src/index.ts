/**
 * The library: `estimate`, `compare`, `plan`, `prices` and `loadPresets` return the objects that the CLI's
 * JSON output serialises (`schemaVersion` and all), so a script gets the same numbers either way.
 *
 *   import { estimate } from 'gpucost';
 *   const { estimates: [run] } = estimate({ model: 'llama3-70b', gpu: 'h100', gpus: 512 });
 *   console.log(run.wallClockDays, run.costUsd);
 */
export { estimate, type EstimateDocument } from './api/estimate.js';
export { compare, type CompareInput, type CompareDocument } from './api/compare.js';
export { plan, type PlanInput, type PlanDocument } from './api/plan.js';
export { prices, type PricesInput } from './api/prices.js';
export { loadPresets, type LoadPresetsOptions } from './api/presets.js';
export type { ApiOptions } from './api/options.js';
export type { Registry, PresetCatalog } from './presets/catalog.js';
export type { GpuPreset, ModelPreset, ClusterPreset, PricePreset, RunPreset, ScenarioPreset, GridPreset } from './presets/schema.js';
export type { EstimateRequest } from './resolve/estimate.js';
export type { EstimateRecord, EstimateValues } from './report/estimate.js';
export type { CompareRecord } from './report/compare.js';
export type { PlanRecord } from './report/plan.js';
export type { PricesDocument, PriceRecord } from './report/prices.js';
export { SCHEMA_VERSION } from './report/model.js';
export { WARNING_CATALOGUE, type Warning, type WarningCode } from './core/warnings.js';
export { EXIT, GpucostError, PresetError, type ErrorCode, type PresetProblem } from './errors.js';
// The formulas underneath, for callers who want one number without presets.
export { trainingFlops, type TrainingFlopsInput } from './core/flops.js';
export { paramCounts } from './core/params.js';
export { estimateTraining, type EstimateInput, type EstimateResult } from './core/estimate.js';
export { parseQuantity, formatQuantity } from './core/quantity.js';
export type { ModelArch } from './core/types.js';
