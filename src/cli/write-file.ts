import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { constants as osConstants } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { GpucostError, fileErrorText } from '../errors.js';

/**
 * Text for `--output FILE`. A regular file (or none yet) is written atomically: the text goes to a
 * temporary file beside it, which replaces it only at `commit()`; until then, and after `abort()`,
 * a failure or a signal, readers see the old file or none, and the temporary file is removed. A
 * symbolic link is written through (its final target is replaced, the link stays). A pipe or a
 * character device is written to directly, since replacing it would break whoever reads it (and
 * `-o /dev/null` run as root would replace /dev/null).
 */
export class AtomicFile {
  /** The temporary file, while there is one; undefined when writing straight into a pipe or device. */
  private tmp: string | undefined;
  /** Where the temporary file goes at commit: FILE, or the file its links end at. */
  private target = '';
  private fd: number | undefined;

  constructor(readonly file: string) {
    this.fd = this.attempt(() => this.open());
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
      const fd = this.fd as number;
      const tmp = this.tmp;
      if (tmp !== undefined) fsyncSync(fd); // the data must be on disk before the name points at it
      closeSync(fd);
      this.fd = undefined;
      if (tmp === undefined) return;
      renameSync(tmp, this.target);
      this.tmp = undefined;
      untrack(this);
      syncDirectory(dirname(this.target));
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
    this.removeTemporary();
  }

  /** Synchronous, so that it can run in an 'exit' listener. */
  removeTemporary(): void {
    if (this.tmp !== undefined) {
      try {
        rmSync(this.tmp, { force: true });
      } catch {
        // not ours to remove (say, a directory someone put there): leave it
      }
      this.tmp = undefined;
    }
    untrack(this);
  }

  private open(): number {
    const existing = statOrUndefined(this.file);
    if (existing?.isDirectory()) throw new GpucostError('E_FILE', `cannot write ${this.file}: it is a directory`, 'give a file name');
    if (existing && !existing.isFile()) return openStream(this.file, existing);
    this.target = finalTarget(this.file);
    const dir = dirname(this.target);
    // Registered before the file exists: from here on a signal must remove it rather than kill us.
    track(this);
    for (let tries = 0; ; tries++) {
      const tmp = join(dir, `.${temporaryStem(this.target)}.${randomBytes(8).toString('hex')}.tmp`);
      let fd: number;
      try {
        // O_EXCL: never opens what is already there, a link planted at this name included.
        fd = openSync(tmp, 'wx', 0o666);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST' && tries < 8) continue;
        throw e;
      }
      this.tmp = tmp;
      if (existing) {
        try {
          keepOwnership(fd, existing);
        } catch (e) {
          closeSync(fd);
          throw e;
        }
      }
      return fd;
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

/**
 * The start of a temporary file's name: the target's name, cut to 32 characters so that the name
 * with its suffix stays under the 255-byte limit of most file systems whatever the target's length.
 */
function temporaryStem(target: string): string {
  return Array.from(basename(target)).slice(0, 32).join('');
}

/** What FILE is, following links; undefined when nothing is there yet (or a link points nowhere). */
function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Linux's own limit on links followed in one path lookup. */
const MAX_LINKS = 40;

/**
 * The file a chain of symbolic links ends at, existing or not: replacing that one (in its own
 * directory, so that the rename stays on one file system) leaves every link as it was.
 */
function finalTarget(file: string): string {
  let path = file;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return path;
      throw e;
    }
    if (!st.isSymbolicLink()) return path;
    path = resolve(dirname(path), readlinkSync(path));
  }
  throw Object.assign(new Error('too many links'), { code: 'ELOOP' });
}

/** Opens a pipe or character device for writing in place; other kinds of file are refused. */
function openStream(file: string, st: Stats): number {
  const streamLike = (s: Stats): boolean => s.isFIFO() || s.isCharacterDevice();
  if (!streamLike(st)) {
    throw new GpucostError('E_FILE', `cannot write ${file}: not a regular file, pipe or character device`, 'give a file name');
  }
  // No O_CREAT or O_TRUNC: if the pipe or device went away in between, fail rather than create a file.
  const fd = openSync(file, constants.O_WRONLY | constants.O_NOCTTY);
  if (!streamLike(fstatSync(fd))) {
    closeSync(fd);
    throw new GpucostError('E_FILE', `cannot write ${file}: it changed while being opened`, 'try again');
  }
  return fd;
}

/** The replaced file keeps its permissions, and its owner where we may set it (as root). */
function keepOwnership(fd: number, st: Stats): void {
  fchmodSync(fd, st.mode & 0o7777);
  if (process.getuid?.() !== 0 || (st.uid === 0 && st.gid === 0)) return;
  try {
    fchownSync(fd, st.uid, st.gid);
  } catch {
    // a file system that refuses (root squashed on NFS, say): the text matters more than the owner
  }
}

/** Makes a rename durable: best effort, since some file systems cannot sync a directory. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // the file itself is synced; only a crash in the next moment could lose the rename
  }
}

/**
 * Files not yet committed or aborted. While there are any, SIGINT, SIGTERM and SIGHUP remove their
 * temporary files and then end the process with the shell's status for the signal (128 + its
 * number); without listeners the signal would kill the process and leave the temporary files.
 */
const pending = new Set<AtomicFile>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let listening = false;
let stopScheduled = false;

function track(file: AtomicFile): void {
  pending.add(file);
  if (listening) return;
  listening = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', removeAllTemporaries);
}

function untrack(file: AtomicFile): void {
  if (pending.delete(file) && pending.size === 0) scheduleStop();
}

function removeAllTemporaries(): void {
  for (const file of pending) file.removeTemporary();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAllTemporaries();
  process.exit(128 + (osConstants.signals[signal] ?? 0));
}

/**
 * Stops listening two turns of the event loop after the last file is done: a signal that arrived
 * during a synchronous write is delivered at the loop's next poll, and removing the listener before
 * that would swallow it (a Ctrl-C ignored).
 */
function scheduleStop(): void {
  if (stopScheduled) return;
  stopScheduled = true;
  setImmediate(() =>
    setImmediate(() => {
      stopScheduled = false;
      if (pending.size > 0 || !listening) return;
      listening = false;
      for (const signal of SIGNALS) process.off(signal, onSignal);
      process.off('exit', removeAllTemporaries);
    }),
  );
}
