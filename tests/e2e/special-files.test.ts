// A FIFO given as an input file hung gpucost for ever: opening one blocks until something writes to
// it. It is spawned as the built binary because an open that blocks would block the test's own thread,
// where no vitest timeout could end it; the child is killed after a few seconds instead.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpucostWithin } from '../helpers/spawn.js';

const KILL_AFTER_MS = 4000;
const gpucost = (args: string[]) => gpucostWithin(KILL_AFTER_MS, args);

describe('a FIFO as an input file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpucost-fifo-'));
  const fifo = join(dir, 'input.fifo');
  execFileSync('mkfifo', [fifo]);
  mkdirSync(join(dir, 'presets', 'gpus'), { recursive: true });
  execFileSync('mkfifo', [join(dir, 'presets', 'gpus', 'x.yaml')]);

  it('is refused at once with exit 2 by every reader: run file, log, model config, preset folder', async () => {
    const runs = await Promise.all([
      gpucost(['estimate', '--config', fifo]),
      gpucost(['estimate', '--from-log', fifo]),
      gpucost(['estimate', '--model', fifo]),
      gpucost(['estimate', '--presets', join(dir, 'presets')]),
    ]);
    for (const r of runs) {
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(/is a named pipe \(FIFO\), not a regular file/);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.ms).toBeLessThan(KILL_AFTER_MS);
    }
  });
});
