/** Entry of the bundled CLI: wires run() to the real process. */
import { isoDateUtc } from '../core/calendar.js';
import { EXIT, GpucostError, fileErrorText } from '../errors.js';
import { escapeControls } from '../report/safe-text.js';
import { type Io, OutputClosed } from './io.js';
import { run } from './main.js';
import { fdWriter, isTerminal } from './stdio.js';

/** run(argv, io) as well, for tools that drive the built CLI in-process (scripts/fuzz.mjs). */
export { run };

export async function main(): Promise<void> {
  // Synchronous writes to fds 1 and 2 (see stdio.ts). A closed stdout stops the command quietly; a
  // stdout that cannot be written (a full disk) is one line on stderr and exit 2. Failures of stderr
  // itself have nowhere to be told, and are dropped.
  const out = fdWriter(1, {
    closed: () => new OutputClosed(),
    failed: (e) => new GpucostError('E_FILE', `cannot write to standard output: ${fileErrorText(e)}`),
  });
  const err = fdWriter(2, { closed: () => null, failed: () => null });
  const tty = await isTerminal(1);
  const stderrIsTTY = await isTerminal(2);
  const columns = tty ? process.stdout.columns : undefined;
  const io: Io = {
    stdout: (s) => out.write(s),
    stderr: (s) => err.write(s),
    env: process.env,
    isTTY: tty,
    stderrIsTTY,
    ...(columns ? { columns } : {}),
    cwd: process.cwd(),
    today: isoDateUtc(Date.now()),
  };
  try {
    process.exitCode = await run(process.argv.slice(2), io);
  } catch (e) {
    // run() reports every error itself; this is a last line so that no stack trace reaches a user.
    err.write(`gpucost: internal error: ${escapeControls(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = EXIT.ERROR;
  }
}
