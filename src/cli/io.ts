/** The CLI's window on the world, so tests can run commands in-process with a fake one. */
export interface Io {
  /** Throws OutputClosed once when the reader has gone (`gpucost … | head -1`); later text is dropped. */
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colour and width decisions). */
  isTTY: boolean;
  /** Whether stderr is a terminal: progress is drawn only there. */
  stderrIsTTY?: boolean;
  /**
   * stderr without the escaping of control characters that run() puts on `stderr`: only for
   * gpucost's own cursor movements (the progress line), never for text that came from outside.
   */
  terminalStderr?(text: string): void;
  columns?: number;
  cwd: string;
  /** Today's date, YYYY-MM-DD: how old a price is. The real CLI sets the current date; tests a fixed one. */
  today?: string;
}

/** An Io that collects output in memory. */
export function memoryIo(overrides: Partial<Io> = {}): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    env: {},
    isTTY: false,
    cwd: process.cwd(),
    ...overrides,
  };
  return io;
}

/**
 * Thrown by Io.stdout when the reader of standard output has gone. Commands stop producing output
 * there and then (a long comparison stops computing); checks already made keep their exit code.
 */
export class OutputClosed extends Error {
  constructor() {
    super('standard output was closed by its reader');
    this.name = 'OutputClosed';
  }
}
