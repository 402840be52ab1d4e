/**
 * A progress line on stderr for work that runs longer than about a second (a comparison of many
 * GPU counts), on a terminal only: pipes, files and CI logs never see it. It redraws in place at
 * most ten times a second and is erased when the work ends, so stdout's data is untouched.
 */
import type { Io } from './io.js';

/** Quiet for this long: most commands finish before anyone would look for a progress bar. */
const SHOW_AFTER_MS = 1000;
const REDRAW_EVERY_MS = 100;
const BAR_WIDTH = 30;

export interface Progress {
  tick(done: number, total: number): void;
  end(): void;
}

const NONE: Progress = { tick() {}, end() {} };

export function progress(io: Io, label: string, now: () => number = Date.now): Progress {
  const write = io.terminalStderr;
  if (!io.stderrIsTTY || !write) return NONE;
  const started = now();
  let drawnAt = 0;
  let drawn = false;
  return {
    tick(done, total) {
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - drawnAt < REDRAW_EVERY_MS || total <= 0) return;
      drawnAt = t;
      drawn = true;
      const share = Math.min(1, done / total);
      const filled = Math.round(share * BAR_WIDTH);
      write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${Math.floor(share * 100)}% (${done}/${total})`);
    },
    end() {
      if (drawn) write('\r\u001b[K');
    },
  };
}
