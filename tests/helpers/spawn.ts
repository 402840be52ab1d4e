// The built binary in a child process that is killed after a deadline: for inputs that once hung
// gpucost in synchronous code (a blocking open, a quadratic parse), where a vitest timeout cannot
// interrupt the test's own thread.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'gpucost.js');

/** Exit code (null when killed at the deadline), stderr and wall time in ms. */
export function gpucostWithin(deadlineMs: number, args: string[]): Promise<{ code: number | null; err: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      err += s;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, err, ms: Date.now() - started });
    });
  });
}
