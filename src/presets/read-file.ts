/**
 * Reading a user's file with a size limit. Only a regular file is read: a pipe or device has no size
 * to check beforehand, and a FIFO with no writer would block the open itself forever. The file is
 * opened first and its descriptor inspected, so what is checked is what is read (no race with a
 * rename in between), and opened non-blocking, so that a FIFO is refused instead of waited on.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { GpucostError, fileErrorText, printable } from '../errors.js';

const CHUNK = 1 << 16;

/** The bytes of the regular file `file` (shown in messages as `shown`), at most `maxBytes` of them. */
export function readBoundedFile(file: string, shown: string, maxBytes: number): Buffer {
  const name = printable(shown);
  let fd: number;
  try {
    // O_NONBLOCK makes opening a FIFO return at once; on a regular file it changes nothing.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw cannotRead(name, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular(name, st);
    if (st.size > maxBytes) throw tooLarge(name, st.size, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    // The size was checked, but a file can grow while it is read (a log being written): stop at the limit all the same.
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, CHUNK, null);
      } catch (e) {
        throw cannotRead(name, e);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(name, undefined, maxBytes);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function notRegular(name: string, st: Stats): GpucostError {
  const hint = 'give the path of a regular file';
  if (st.isDirectory()) return new GpucostError('E_FILE', `${name} is a directory, not a file`, hint);
  const kind = st.isFIFO()
    ? 'a named pipe (FIFO)'
    : st.isCharacterDevice()
      ? 'a character device'
      : st.isBlockDevice()
        ? 'a block device'
        : st.isSocket()
          ? 'a socket'
          : 'not a regular file';
  return new GpucostError('E_FILE', `${name} is ${kind}, not a regular file`, `${hint} (pipes and devices are not read: they have no size to check)`);
}

function cannotRead(name: string, e: unknown): GpucostError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return new GpucostError('E_FILE', `${name} is a directory, not a file`);
  return new GpucostError('E_FILE', `cannot read ${name}: ${fileErrorText(e)}`);
}

function tooLarge(name: string, size: number | undefined, maxBytes: number): GpucostError {
  const what = size === undefined ? `has more than ${maxBytes} bytes` : `is ${size} bytes`;
  return new GpucostError('E_FILE', `${name} ${what}; files over ${maxBytes} bytes are refused`);
}
