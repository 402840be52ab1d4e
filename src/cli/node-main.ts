/** Entry of the bundled CLI: wires run() to the real process. */
import type { Io } from './io.js';
import { run } from './main.js';

export async function main(): Promise<void> {
  // A closed pipe (`gpucost … | head -1`) is a normal way for a reader to stop: exit quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const io: Io = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    cwd: process.cwd(),
    today: new Date().toISOString().slice(0, 10),
  };
  process.exitCode = await run(process.argv.slice(2), io);
}
