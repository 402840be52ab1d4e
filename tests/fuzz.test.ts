// A sample of scripts/fuzz.mjs in every test run: the hand-picked cases and a few hundred random
// ones against the built CLI (npm test builds first), in-process, plus closed stdout as a process.
// The full run (10,000+ cases) is `node scripts/fuzz.mjs`; docs/fuzzing.md has its last result.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { builtRun, check, clean, explicitCases, inputCases, outputCases, random, randomCase } from '../scripts/fuzz-lib.mjs';

const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'gpucost-fuzz-test-'));
afterAll(() => clean(scratch));
const run = await builtRun(root);
/**
 * Random cases per run, from a fixed seed so CI is repeatable (exploring new inputs is the job of
 * `node scripts/fuzz.mjs`; GPUCOST_FUZZ_SEED=… runs this sample with another seed).
 */
const SAMPLE = 150;
const SEED = Number(process.env.GPUCOST_FUZZ_SEED ?? 20_785);

type Case = { name?: string; argv: string[]; files?: Record<string, unknown>; env?: Record<string, string>; expect?: unknown };
const fresh = (name: string): string => {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('fuzzing the CLI (sample)', () => {
  const names = (explicitCases('/x', root) as Case[]).map((c, i) => [i, c.name] as const);
  it.each(names)('hand-picked %i: %s', async (i) => {
    const dir = fresh(`explicit-${i}`);
    const c = (explicitCases(dir, root) as Case[])[i] as Case;
    const { problems } = await check(run, c, dir);
    expect(problems).toEqual([]);
  });

  const hostileCases = (dir: string): Case[] => [...inputCases(dir), ...outputCases(dir)];
  const hostile = hostileCases('/x').map((c, i) => [i, c.name] as const);
  it.each(hostile)('hostile input or output %i: %s', async (i) => {
    const dir = fresh(`input-${i}`);
    const c = hostileCases(dir)[i] as Case;
    const { problems } = await check(run, c, dir);
    expect(problems).toEqual([]);
  });

  // Prototype names on every option: tests/cli/prototype-names.test.ts here, all ~1,800 cases in the full run.
  it(`${SAMPLE} random cases (seed ${SEED}; GPUCOST_FUZZ_SEED=… to repeat)`, async () => {
    const failing: string[] = [];
    for (let i = 0; i < SAMPLE; i++) {
      const dir = fresh(`random-${i}`);
      const c = randomCase(random(SEED * 1_000_003 + i), dir, root) as Case;
      const { problems } = await check(run, c, dir);
      if (problems.length) failing.push(`case ${i} ${JSON.stringify(c.argv)}: ${problems.join('; ')}`);
      clean(dir);
    }
    expect(failing).toEqual([]);
  });

  // 20,000 rows are 7 MB of CSV, a hundred times a pipe's buffer: gpucost is still writing when the
  // reader goes. scripts/fuzz.mjs does the same with 100,000 rows, and through `| head -1`.
  it('a reader that closes the pipe early ends gpucost quietly, with exit 0', async () => {
    const child = spawn(process.execPath, [join(root, 'bin', 'gpucost.js'), 'compare', '--gpu', 'h100', '--gpus', '1..20000+1', '--format', 'csv'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
