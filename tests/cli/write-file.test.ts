// --output FILE (src/cli/write-file.ts): regular files are replaced atomically, anything else that
// already sits at FILE is respected (a link is followed, a pipe or device written to), and no
// temporary file outlives the process, not even one killed by a signal.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, writeFileAtomic } from '../../src/cli/write-file.js';
import { GpucostError } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const fresh = (): string => mkdtempSync(join(tmpdir(), 'gpucost-write-'));

describe('--output FILE: what is already at FILE', () => {
  it('a regular file is replaced, keeping its mode; nothing else is left in the directory', () => {
    const dir = fresh();
    const file = join(dir, 'out.txt');
    writeFileSync(file, 'old');
    chmodSync(file, 0o640);
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it.runIf(process.getuid?.() === 0)('run as root, a replaced file keeps its owner', () => {
    const dir = fresh();
    const file = join(dir, 'theirs.txt');
    writeFileSync(file, 'old');
    chownSync(file, 1234, 5678);
    writeFileAtomic(file, 'new');
    expect([statSync(file).uid, statSync(file).gid]).toEqual([1234, 5678]);
  });

  it('a new file gets the mode any new file gets here (the umask applies)', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'plain'), '');
    writeFileAtomic(join(dir, 'new.txt'), 'x');
    expect(statSync(join(dir, 'new.txt')).mode & 0o7777).toBe(statSync(join(dir, 'plain')).mode & 0o7777);
  });

  it('a symlink is written through: its target gets the text, the link stays a link', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'data.csv'), 'old');
    symlinkSync(join('real', 'data.csv'), join(dir, 'link.csv'));
    writeFileAtomic(join(dir, 'link.csv'), 'new');
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.csv'))).toBe(join('real', 'data.csv'));
    expect(readFileSync(join(dir, 'real', 'data.csv'), 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['link.csv', 'real']);
    expect(readdirSync(join(dir, 'real'))).toEqual(['data.csv']);
  });

  it('a chain of links ending in a dangling one creates the final target, each link left as it was', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    symlinkSync('../b/second', join(dir, 'a', 'first')); // relative to the link's own directory
    symlinkSync(join(dir, 'b', 'target.txt'), join(dir, 'b', 'second'));
    writeFileAtomic(join(dir, 'a', 'first'), 'made');
    expect(lstatSync(join(dir, 'a', 'first')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'b', 'second')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'b', 'target.txt'), 'utf8')).toBe('made');
    expect(readdirSync(join(dir, 'b')).sort()).toEqual(['second', 'target.txt']);
  });

  it('a link loop is an error naming the file, not a hang', () => {
    const dir = fresh();
    symlinkSync('y', join(dir, 'x'));
    symlinkSync('x', join(dir, 'y'));
    expect(() => writeFileAtomic(join(dir, 'x'), 'text')).toThrow(GpucostError);
    expect(() => writeFileAtomic(join(dir, 'x'), 'text')).toThrow(/cannot write .*x: .*ELOOP/);
  });

  it('a FIFO is written to, not replaced', () => {
    const dir = fresh();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A reader that does not block on open, so that the writer's open finds one and returns.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      writeFileAtomic(fifo, 'through the pipe');
      const buf = Buffer.alloc(100);
      const n = readSync(reader, buf, 0, buf.length, null);
      expect(buf.subarray(0, n).toString('utf8')).toBe('through the pipe');
    } finally {
      closeSync(reader);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('a character device is written to, not replaced (`-o /dev/null` as root must not replace /dev/null)', () => {
    // As root, a null device of our own (1,3 on Linux), so that a regression replaces that one and
    // not the system's; otherwise /dev/null itself, whose directory we cannot write.
    let device = '/dev/null';
    if (process.getuid?.() === 0) {
      const dir = fresh();
      device = join(dir, 'null');
      expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
    }
    writeFileAtomic(device, 'discarded');
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it('a directory is one line naming it, exit 2', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'out'));
    const { code, out, err } = await cli(['estimate', '--output', join(dir, 'out')]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^gpucost: error\[E_FILE\]: cannot write .*out: it is a directory; give a file name\n$/);
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('"-" is stdout', async () => {
    const { code, out, err } = await cli(['estimate', '--format', 'csv', '--output', '-']);
    expect(code).toBe(0);
    expect(out).toMatch(/^model,/);
    expect(err).not.toMatch(/wrote/);
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });
});

describe('--output FILE: the temporary file', () => {
  it('a symlink planted where the temporary file used to be named (.NAME.PID.tmp) is never followed', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'victim'), 'precious');
    symlinkSync(join(dir, 'victim'), join(dir, `.out.txt.${process.pid}.tmp`));
    writeFileAtomic(join(dir, 'out.txt'), 'new');
    expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('precious');
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('new');
  });

  it('a file name near the 255-byte limit still gets a temporary file (its name is shortened)', () => {
    const dir = fresh();
    const name = `${'é'.repeat(120)}.csv`; // 244 bytes
    writeFileAtomic(join(dir, name), 'long');
    expect(readdirSync(dir)).toEqual([name]);
    expect(readFileSync(join(dir, name), 'utf8')).toBe('long');
  });

  it('two writers of one file never share a temporary file', () => {
    const dir = fresh();
    const file = join(dir, 'out.txt');
    // Each write's temporary file is gone when it returns; the names differ, so writes from two
    // processes (same pid in two containers, say) cannot collide. Seen from here: no leftovers.
    for (let i = 0; i < 20; i++) writeFileAtomic(file, `v${i}`);
    expect(readFileSync(file, 'utf8')).toBe('v19');
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('signals are listened for only while a file is being written', async () => {
    const dir = fresh();
    const listeners = (): number[] => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    // Writes of earlier tests stop listening a few turns of the event loop after they finish.
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) await new Promise((next) => setImmediate(next));
    };
    await settle();
    const before = listeners();
    const out = new AtomicFile(join(dir, 'out.txt'));
    expect(listeners()).toEqual(before.map((n) => n + 1));
    out.write('x');
    out.commit();
    await settle();
    expect(listeners()).toEqual(before);
  });

  // The built CLI streaming 300,000 CSV rows (seconds) to a file, stopped by a signal once its
  // temporary file exists: the temporary file goes, the old file stays, and the exit status is the
  // shell's for that signal (128 + its number).
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s while streaming to FILE removes the temporary file and leaves FILE as it was', async (signal, status) => {
    const dir = fresh();
    const file = join(dir, 'c.csv');
    writeFileSync(file, 'old');
    const child = spawn(
      process.execPath,
      [join(root, 'bin', 'gpucost.js'), 'compare', '--gpu', 'h100', '--gpus', '1..300000+1', '--format', 'csv', '-o', file],
      { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } },
    );
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, sig) => done({ code, signal: sig })));
    const started = Date.now();
    while (!readdirSync(dir).some((f) => f.endsWith('.tmp'))) {
      if (Date.now() - started > 5000) {
        child.kill('SIGKILL');
        throw new Error('no temporary file appeared');
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill(signal);
    const result = await exited;
    expect(readdirSync(dir)).toEqual(['c.csv']);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(result).toEqual({ code: status, signal: null });
  });
});
