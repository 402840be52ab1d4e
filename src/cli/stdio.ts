/**
 * Output to file descriptors without Node's stream objects. The first touch of `process.stdout`
 * loads some twenty internal stream modules (30 with `tty` and `net` for a pipe or terminal), a few
 * milliseconds that a CLI printing one block of text does not need. Writes here are synchronous, so
 * stdout and stderr keep their order and nothing is lost at exit.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';

/** A pause that blocks the thread (for a full non-blocking pipe), without a busy loop. */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A writer for `fd` that writes everything it is given; a full non-blocking pipe (EAGAIN) is waited
 * out. A reader that went away (EPIPE, as in `gpucost … | head -1`) is a normal way to stop: the
 * first write after it throws `closed()` (for stdout, OutputClosed: the command stops at once), and
 * everything after is dropped. Any other failure (ENOSPC, EIO) becomes `failed(e)`'s error.
 */
export function fdWriter(fd: number, on: { closed(): Error | null; failed(e: NodeJS.ErrnoException): Error | null }): { write(text: string): void } {
  let closed = false;
  return {
    write(text: string) {
      if (closed || text.length === 0) return;
      const bytes = Buffer.from(text, 'utf8');
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += writeSync(fd, bytes, offset, bytes.length - offset);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            sleepMs(1);
            continue;
          }
          closed = true;
          const error = code === 'EPIPE' ? on.closed() : on.failed(e as NodeJS.ErrnoException);
          if (error) throw error;
          return;
        }
      }
    },
  };
}

/**
 * Whether `fd` is a terminal, without loading `tty` (and with it `net` and the streams) unless fd is
 * a character device other than /dev/null: files and pipes answer from one fstat.
 */
export async function isTerminal(fd: number): Promise<boolean> {
  let rdev: number;
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    rdev = st.rdev;
  } catch {
    return false;
  }
  try {
    if (rdev === statSync('/dev/null').rdev) return false;
  } catch {
    // no /dev/null: ask tty
  }
  const { isatty } = await import('node:tty');
  return isatty(fd);
}
