/** `estimate`: one training run, as the JSON output of `gpucost estimate` spells it. */
import { computeEstimate } from '../resolve/compute.js';
import { type EstimateRequest, resolveEstimate } from '../resolve/estimate.js';
import type { Registry } from '../presets/catalog.js';
import { type EstimateRecord, estimateRecord, estimateReport } from '../report/estimate.js';
import type { Report } from '../report/model.js';
import { withModelFile } from './model-file.js';
import { type ApiOptions, presetsOf, todayOf } from './options.js';
import { finiteOrThrow } from '../report/finite.js';

/** `gpucost estimate --format json`. */
export interface EstimateDocument {
  schemaVersion: number;
  estimates: [EstimateRecord];
}

/** The estimate's record and its report (what the CLI renders). */
export function runEstimate(request: EstimateRequest, presets: Registry): { record: EstimateRecord; report: Report } {
  const computed = computeEstimate(resolveEstimate(request, presets));
  const record = estimateRecord(computed);
  return { record, report: estimateReport(computed, record) };
}

/**
 * Time, GPU-hours, cost, energy and memory of one training run. The request takes what the CLI's
 * flags take, by their camel-case names (`{ model: 'llama3-70b', gpu: 'h100', gpus: 512, tokens: 15e12 }`);
 * `model` may also be the path of a Hugging Face config.json (relative to the working directory).
 * What it leaves out comes from the presets and defaults, as on the command line. Throws a
 * GpucostError (with a `code`) on input that cannot run.
 */
export function estimate(request: EstimateRequest = {}, options: ApiOptions = {}): EstimateDocument {
  const { report } = runEstimate(withModelFile({ today: todayOf(options), ...request }, process.cwd()), presetsOf(options));
  return finiteOrThrow(report.json) as unknown as EstimateDocument;
}
