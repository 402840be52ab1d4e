/** `model` may name a preset or a Hugging Face config.json file, for the library as for the CLI. */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GpucostError } from '../errors.js';
import { archFromHfConfig } from '../presets/hf-config.js';
import { parseJsonText } from '../presets/json-text.js';
import { readBoundedFile } from '../presets/read-file.js';
import type { EstimateRequest } from '../resolve/estimate.js';

/** Largest config.json read; published ones are a few kB. */
const MAX_CONFIG_BYTES = 1_000_000;

function looksLikeFile(model: string): boolean {
  return model.endsWith('.json') || model.includes('/') || model.includes('\\');
}

/**
 * The config.json `model` names: the file itself, or the one in a model's folder (a Hugging Face
 * download, `--model ./Llama-3.1-8B`). A bare name is a folder only when one of that name holding a
 * config.json is there; otherwise it stays a preset id.
 */
function configFile(model: string, cwd: string): { path: string; shown: string } | undefined {
  const path = resolve(cwd, model);
  const st = statSync(path, { throwIfNoEntry: false });
  if (st?.isDirectory()) {
    const inside = join(path, 'config.json');
    if (statSync(inside, { throwIfNoEntry: false })?.isFile()) return { path: inside, shown: join(model, 'config.json') };
    if (!looksLikeFile(model)) return undefined;
    throw new GpucostError('E_FILE', `${model} is a directory without a config.json`, "give a Hugging Face model's folder or its config.json");
  }
  return looksLikeFile(model) ? { path, shown: model } : undefined;
}

/** The request with a config.json path in `model` replaced by the model it describes (paths relative to `cwd`). */
export function withModelFile<T extends EstimateRequest>(req: T, cwd: string): T {
  const file = req.model === undefined ? undefined : configFile(req.model, cwd);
  if (req.model === undefined || file === undefined) return req;
  const model = archFromHfConfig(readJson(file.path, file.shown), file.shown);
  const out: T = { ...req, customModel: { name: model.name, arch: model.arch, origin: `${req.model} (${model.modelType})`, notes: model.notes } };
  delete out.model;
  return out;
}

function readJson(file: string, shown: string): unknown {
  return parseJsonText(readBoundedFile(file, shown, MAX_CONFIG_BYTES).toString('utf8'), shown);
}
