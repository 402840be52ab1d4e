import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GpucostError } from '../errors.js';

/** Writes to a temporary file beside the target, then renames: readers never see half a file. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new GpucostError('E_FILE', `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
