import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import stringWidth from '../../src/report/render/string-width.js';
import { TEST_TODAY, cli } from '../helpers/cli.js';

/** A command run in-process as if on a terminal `columns` wide. */
async function onTerminal(args: string[], columns: number | undefined, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const io = memoryIo({ env: { NO_COLOR: '1', ...env }, isTTY: true, ...(columns ? { columns } : {}), today: TEST_TODAY });
  const code = await run(args, io);
  return { code, out: io.out };
}

const widest = (text: string): number => Math.max(...text.split('\n').map(stringWidth));

const COMMANDS: string[][] = [
  ['estimate'],
  ['estimate', '--price', '2'],
  ['compare'],
  ['compare', '--gpu', 'v100,a100,h100', '--gpus', '8..4096', '--price', '2'],
  ['prices', '--model', 'llama3-8b', '--tokens', '1T', '--gpus', '64'],
  ['plan', '--deadline', '30d'],
  ['memory'],
  ['reproduce'],
  ['backtest'],
  ['presets', 'show', 'h100'],
  ...['gpu', 'model', 'cluster', 'price', 'run', 'grid', 'scenario', 'throughput'].map((k) => ['presets', 'list', '--kind', k]),
];

describe('tables fit the terminal', () => {
  it.each(COMMANDS.map((c) => [c.join(' '), c]))('%s: no line wider than 80 on an 80-column terminal', async (_, args) => {
    const { code, out } = await onTerminal(args as string[], 80);
    expect(code).toBe(0);
    expect(widest(out)).toBeLessThanOrEqual(80);
  });

  it('COLUMNS overrides the terminal, and fits piped output too', async () => {
    expect(widest((await onTerminal(['compare'], 200, { COLUMNS: '60' })).out)).toBeLessThanOrEqual(60);
    expect(widest((await cli(['compare'], { COLUMNS: '70' })).out)).toBeLessThanOrEqual(70);
  });

  it('a terminal that does not say its width gets 80', async () => {
    expect(widest((await onTerminal(['compare'], undefined)).out)).toBeLessThanOrEqual(80);
  });

  it('names the columns it left out, in drop order, and --wide keeps them all', async () => {
    const fitted = (await onTerminal(['compare'], 80)).out;
    expect(fitted).toMatch(/Left out to fit 80 columns: GPU-years, speed-up, efficiency/);
    expect(fitted).not.toContain('GPU-years │');
    const wide = (await onTerminal(['compare', '--wide'], 80)).out;
    expect(wide).not.toContain('Left out');
    expect(wide).toContain('GPU-years');
    expect(widest(wide)).toBeGreaterThan(80);
  });

  it('piped output (no COLUMNS) keeps every column, as before', async () => {
    const piped = (await cli(['compare'])).out;
    expect(piped).not.toContain('Left out');
    expect(piped).toMatch(
      /│ GPU +│ +GPUs │ TFLOP\/s\/GPU │ wall-clock \(d\) │ GPU-hours │ GPU-years │ speed-up │ efficiency │ memory\/GPU +│ article +│ deviation │/,
    );
  });

  it('a column of durations has one unit, in its header', async () => {
    const piped = (await cli(['compare', '--gpu', 'h100', '--gpus', '8,4096'])).out;
    expect(piped).toContain('wall-clock (d)');
    expect(piped).not.toMatch(/\d (y|mo|h) │/);
  });
});
