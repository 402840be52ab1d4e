/** Runs nvidia-smi (the only place gpucost starts another program). */
import { execFileSync } from 'node:child_process';
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import { type DetectedGpu, matchGpus, parseSmiCsv } from '../presets/match-gpu.js';
import type { Io } from './io.js';

export const SMI_ARGS = ['--query-gpu=index,name,memory.total,pci.device_id', '--format=csv,noheader,nounits'];
/** nvidia-smi answers in well under a second; a hung driver must not hang gpucost. */
const SMI_TIMEOUT_MS = 15_000;

export function detectGpus(io: Io, registry: Registry): DetectedGpu[] {
  let out: string;
  try {
    out = execFileSync('nvidia-smi', SMI_ARGS, {
      encoding: 'utf8',
      timeout: SMI_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: io.env as NodeJS.ProcessEnv,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string; status?: number };
    if (err.code === 'ENOENT') {
      throw new GpucostError(
        'E_NO_DEVICE',
        'nvidia-smi was not found, so no local GPU can be detected',
        'install the NVIDIA driver, or name the GPU with --gpu ID',
      );
    }
    const detail = (err.stderr ?? '').trim().split('\n')[0] || err.message.split('\n')[0];
    throw new GpucostError('E_NO_DEVICE', `nvidia-smi failed: ${detail}`, 'name the GPU with --gpu ID');
  }
  const gpus = parseSmiCsv(out);
  if (gpus.length === 0) throw new GpucostError('E_NO_DEVICE', 'nvidia-smi reported no GPUs', 'name the GPU with --gpu ID');
  return matchGpus(gpus, registry);
}

/** The preset for `--gpu local`: the one kind of GPU in this machine. */
export function localGpu(io: Io, registry: Registry): { id: string; note: string } {
  const found = detectGpus(io, registry);
  const kinds = [...new Set(found.map((g) => g.preset))];
  const unmatched = found.filter((g) => g.preset === null);
  if (unmatched.length > 0) {
    throw new GpucostError(
      'E_NO_DEVICE',
      `no preset matches the local GPU "${unmatched[0]?.name}"`,
      'add one with --presets DIR, or name the GPU with --gpu ID',
    );
  }
  if (kinds.length > 1) {
    throw new GpucostError('E_INPUT', `this machine has several GPU kinds (${kinds.join(', ')})`, 'choose one with --gpu ID');
  }
  const first = found[0] as DetectedGpu;
  return { id: first.preset as string, note: `--gpu local: detected ${found.length} × ${first.name} (matched by ${first.matchedBy})` };
}
