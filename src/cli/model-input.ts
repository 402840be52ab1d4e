/** `--model` may name a preset or a Hugging Face config.json file; `--gpu local` asks nvidia-smi. */
import { resolve } from 'node:path';
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import { readBoundedFile } from '../presets/read-file.js';
import type { EstimateRequest } from '../resolve/estimate.js';
import type { Io } from './io.js';

const MAX_CONFIG_BYTES = 1_000_000;

export function looksLikeFile(model: string): boolean {
  return model.endsWith('.json') || model.includes('/') || model.includes('\\');
}

/** Turns file and device references in a request into what the pure resolver understands. */
export async function prepareRequest<T extends EstimateRequest>(req: T, io: Io, registry: Registry): Promise<T> {
  const out: T = { ...req };
  if (req.model !== undefined && looksLikeFile(req.model)) {
    const file = resolve(io.cwd, req.model);
    const { archFromHfConfig } = await import('../presets/hf-config.js');
    const model = archFromHfConfig(readJson(file, req.model), req.model);
    out.customModel = { name: model.name, arch: model.arch, origin: `${req.model} (${model.modelType})`, notes: model.notes };
    delete out.model;
  }
  if (req.gpu !== undefined && req.gpu.trim().toLowerCase() === 'local') {
    const { localGpu } = await import('./nvidia-smi.js');
    const local = localGpu(io, registry);
    out.gpu = local.id;
    out.notes = [...(out.notes ?? []), local.note];
  }
  return out;
}

function readJson(file: string, shown: string): unknown {
  const text = readBoundedFile(file, shown, MAX_CONFIG_BYTES).toString('utf8');
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new GpucostError('E_INPUT', `${shown} is not valid JSON: ${(e as Error).message}`);
  }
}
