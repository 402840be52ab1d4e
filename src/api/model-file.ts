/** `model` may name a preset or a Hugging Face config.json file, for the library as for the CLI. */
import { resolve } from 'node:path';
import { archFromHfConfig } from '../presets/hf-config.js';
import { parseJsonText } from '../presets/json-text.js';
import { readBoundedFile } from '../presets/read-file.js';
import type { EstimateRequest } from '../resolve/estimate.js';

/** Largest config.json read; published ones are a few kB. */
const MAX_CONFIG_BYTES = 1_000_000;

function looksLikeFile(model: string): boolean {
  return model.endsWith('.json') || model.includes('/') || model.includes('\\');
}

/** The request with a config.json path in `model` replaced by the model it describes (paths relative to `cwd`). */
export function withModelFile<T extends EstimateRequest>(req: T, cwd: string): T {
  if (req.model === undefined || !looksLikeFile(req.model)) return req;
  const model = archFromHfConfig(readJson(resolve(cwd, req.model), req.model), req.model);
  const out: T = { ...req, customModel: { name: model.name, arch: model.arch, origin: `${req.model} (${model.modelType})`, notes: model.notes } };
  delete out.model;
  return out;
}

function readJson(file: string, shown: string): unknown {
  return parseJsonText(readBoundedFile(file, shown, MAX_CONFIG_BYTES).toString('utf8'), shown);
}
