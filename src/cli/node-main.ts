/** Entry of the bundled CLI: wires run() to the real process. */
import { isoDateUtc } from '../core/calendar.js';
import { EXIT } from '../errors.js';
import type { Io } from './io.js';
import { run } from './main.js';
import { fdWriter, isTerminal } from './stdio.js';

/** run(argv, io) as well, for tools that drive the built CLI in-process (scripts/fuzz.mjs). */
export { run };

export async function main(): Promise<void> {
  // Synchronous writes to fds 1 and 2 (see stdio.ts). A closed pipe (`gpucost … | head -1`) is a
  // normal way for a reader to stop: the rest of the output is dropped quietly.
  const out = fdWriter(1);
  const err = fdWriter(2);
  const tty = await isTerminal(1);
  const columns = tty ? process.stdout.columns : undefined;
  const io: Io = {
    stdout: (s) => out.write(s),
    stderr: (s) => err.write(s),
    env: process.env,
    isTTY: tty,
    ...(columns ? { columns } : {}),
    cwd: process.cwd(),
    today: isoDateUtc(Date.now()),
  };
  try {
    process.exitCode = await run(process.argv.slice(2), io);
  } catch (e) {
    // run() reports every error itself; this is a last line so that no stack trace reaches a user.
    err.write(`gpucost: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT.ERROR;
  }
}
