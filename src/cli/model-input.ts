/** `--model` may name a preset or a Hugging Face config.json file; `--gpu local` asks nvidia-smi. */
import { withModelFile } from '../api/model-file.js';
import type { Registry } from '../presets/catalog.js';
import type { EstimateRequest } from '../resolve/estimate.js';
import type { Io } from './io.js';

/** Turns file and device references in a request into what the pure resolver understands. */
export async function prepareRequest<T extends EstimateRequest>(req: T, io: Io, registry: Registry): Promise<T> {
  const out: T = withModelFile({ ...req }, io.cwd);
  // --gradient-checkpointing and its negation name --recompute full and none the Hugging Face way.
  const checkpointing = (req as { gradientCheckpointing?: boolean }).gradientCheckpointing;
  delete (out as { gradientCheckpointing?: boolean }).gradientCheckpointing;
  if (checkpointing !== undefined) {
    out.recompute = checkpointing ? 'full' : 'none';
    out.origins = { ...out.origins, recompute: `flag --${checkpointing ? '' : 'no-'}gradient-checkpointing` };
  }
  if (req.fromLog !== undefined) {
    const { measuredFromLog } = await import('./from-log.js');
    const log = measuredFromLog(req.fromLog, io.cwd);
    // The log's global batch, unless the user gave one.
    Object.assign(out, log, req.globalBatch !== undefined ? { globalBatch: req.globalBatch } : {});
  }
  if (req.gpu !== undefined && req.gpu.trim().toLowerCase() === 'local') {
    const { localGpu } = await import('./nvidia-smi.js');
    const local = localGpu(io, registry);
    out.gpu = local.id;
    out.notes = [...(out.notes ?? []), local.note];
  }
  return out;
}
