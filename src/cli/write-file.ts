import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GpucostError, fileErrorText } from '../errors.js';

/**
 * A file written atomically: the text goes to a temporary file beside the target, which replaces
 * the target only at `commit()`. Until then, and after `abort()` or any failure, readers see the
 * old file or none; the temporary file is removed. Never more than one of these per target path.
 */
export class AtomicFile {
  private readonly tmp: string;
  private fd: number | undefined;

  constructor(readonly file: string) {
    this.tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
    this.fd = this.attempt(() => openSync(this.tmp, 'w', 0o644));
  }

  write(text: string): void {
    const fd = this.fd;
    if (fd === undefined) throw new GpucostError('E_FILE', `cannot write ${this.file}: already closed`);
    this.attempt(() => {
      const bytes = Buffer.from(text, 'utf8');
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    });
  }

  commit(): void {
    this.attempt(() => {
      closeSync(this.fd as number);
      this.fd = undefined;
      renameSync(this.tmp, this.file);
    });
  }

  /** Removes the temporary file (the target is left as it was). Safe to call more than once. */
  abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already unusable; removing the file is what matters
      }
      this.fd = undefined;
    }
    try {
      rmSync(this.tmp, { force: true });
    } catch {
      // not ours to remove (say, a directory of that name): leave it
    }
  }

  private attempt<T>(step: () => T): T {
    try {
      return step();
    } catch (e) {
      this.abort();
      if (e instanceof GpucostError) throw e;
      throw new GpucostError('E_FILE', `cannot write ${this.file}: ${fileErrorText(e)}`);
    }
  }
}

/** Writes to a temporary file beside the target, then renames: readers never see half a file. */
export function writeFileAtomic(file: string, text: string): void {
  const out = new AtomicFile(file);
  out.write(text);
  out.commit();
}
