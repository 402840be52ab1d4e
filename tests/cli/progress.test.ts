// Issue 19, item 7: a progress line on stderr for long work, on a terminal only, erased at the end.
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { progress } from '../../src/cli/progress.js';
import { cli } from '../helpers/cli.js';

function terminal() {
  const drawn: string[] = [];
  const io = memoryIo({ stderrIsTTY: true, terminalStderr: (t: string) => void drawn.push(t) });
  return { io, drawn };
}

describe('progress', () => {
  it('stays quiet for the first second, redraws at most every 100 ms, and erases itself', () => {
    const { io, drawn } = terminal();
    let t = 0;
    const bar = progress(io, 'compare', () => t);
    t = 900;
    bar.tick(10, 100);
    expect(drawn).toEqual([]);
    t = 1_200;
    bar.tick(45, 100);
    t = 1_250;
    bar.tick(50, 100);
    t = 1_400;
    bar.tick(100, 100);
    bar.end();
    expect(drawn).toEqual([`\rcompare [${'#'.repeat(14)}${' '.repeat(16)}] 45% (45/100)`, `\rcompare [${'#'.repeat(30)}] 100% (100/100)`, '\r\u001b[K']);
  });

  it('draws nothing when stderr is not a terminal, nor ends a line it never drew', () => {
    const drawn: string[] = [];
    let t = 0;
    const bar = progress(memoryIo({ stderrIsTTY: false, terminalStderr: (s: string) => void drawn.push(s) }), 'compare', () => t);
    t = 5_000;
    bar.tick(1, 2);
    bar.end();
    expect(drawn).toEqual([]);
    const quick = terminal();
    progress(quick.io, 'compare').end();
    expect(quick.drawn).toEqual([]);
  });

  it('a comparison piped or logged (no terminal) has nothing but its data on stdout and nothing on stderr', async () => {
    const { code, out, err } = await cli(['compare', '--gpu', 'h100', '--gpus', '1..2000+1', '--format', 'csv']);
    expect(code).toBe(0);
    expect(err).toBe('');
    // The data and nothing else: a header and one CSV record (CRLF-ended) per GPU count; a bar would
    // leave a lone carriage return or an escape sequence among them.
    const lines = out.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2001);
    expect(lines[0]).toMatch(/^model,gpu,gpus,/);
    expect(lines.filter((l) => /[\r\n\u001b]/.test(l))).toEqual([]);
  });
});
