/**
 * Reading a user's file with a size limit that holds for anything a path can name: a regular file
 * is refused by its size before reading, and a device or pipe (`/dev/zero`, `<(…)`) by reading no
 * more than the limit. A directory, a missing file or an unreadable one is a one-line GpucostError.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GpucostError, fileErrorText } from '../errors.js';

const CHUNK = 1 << 16;

/** The bytes of `file` (shown in messages as `shown`), at most `maxBytes` of them. */
export function readBoundedFile(file: string, shown: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw cannotRead(shown, e);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new GpucostError('E_FILE', `${shown} is a directory, not a file`);
    if (st.isFile() && st.size > maxBytes) throw tooLarge(shown, st.size, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, CHUNK, null);
      } catch (e) {
        throw cannotRead(shown, e);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(shown, undefined, maxBytes);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function cannotRead(shown: string, e: unknown): GpucostError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return new GpucostError('E_FILE', `${shown} is a directory, not a file`);
  return new GpucostError('E_FILE', `cannot read ${shown}: ${fileErrorText(e)}`);
}

function tooLarge(shown: string, size: number | undefined, maxBytes: number): GpucostError {
  const what = size === undefined ? `has more than ${maxBytes} bytes` : `is ${size} bytes`;
  return new GpucostError('E_FILE', `${shown} ${what}; files over ${maxBytes} bytes are refused`);
}
