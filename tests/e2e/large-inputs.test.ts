// yaml's duplicate-key check compares every key with every other: a run file of 80,000 keys took
// minutes, and one of 20,000 unknown keys took 12 s, most of it placing and printing 20,000 problems.
// Run as a child process with a deadline, since a parse that never yields cannot be timed out in-thread.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_YAML_NODES } from '../../src/presets/load.js';
import { gpucostWithin } from '../helpers/spawn.js';

const DEADLINE_MS = 5000;
const manyKeys = (n: number): string => Array.from({ length: n }, (_, i) => `k${i}: 1\n`).join('');

describe('large run files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpucost-keys-'));
  const huge = join(dir, 'huge.yaml');
  const wide = join(dir, 'wide.yaml');
  writeFileSync(huge, manyKeys(80_000));
  // Under the node limit: parsed in full, then refused by the schema for its 10,000 unknown fields.
  writeFileSync(wide, manyKeys(10_000));

  it('80,000 keys are refused, one line, within seconds; 10,000 unknown fields give a bounded list', async () => {
    const [h, w] = await Promise.all([gpucostWithin(DEADLINE_MS, ['estimate', '--config', huge]), gpucostWithin(DEADLINE_MS, ['estimate', '--config', wide])]);
    expect(h.code, h.err).toBe(2);
    expect(h.err.trim().split('\n')).toHaveLength(1);
    expect(h.err).toContain(`more than ${MAX_YAML_NODES} keys and values`);
    expect(w.code, w.err.slice(0, 500)).toBe(2);
    expect(w.err.trim().split('\n').length).toBeLessThan(30);
    expect(w.err).toMatch(/and \d+ more problems/);
  });
});
