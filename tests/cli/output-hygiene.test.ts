// Issue 18, output hygiene: text from user files never acts on the terminal, colour follows the
// environment, no Infinity or NaN is printed, and a closed or failing stdout ends the run properly.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorFromEnvironment } from '../../src/cli/context.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { escapeControls, escapeControlsDeep, escapeJsonControls } from '../../src/report/safe-text.js';
import { TEST_TODAY, cli } from '../helpers/cli.js';
import { gpuYaml, userDir } from '../helpers/user-presets.js';

const root = join(import.meta.dirname, '..', '..');
const ESC = '\u001b';
// A title change, a screen clear, an 8-bit CSI and a right-to-left override: each acts on a terminal.
const hostile = `Evil${ESC}]0;owned\u0007${ESC}[2J\u009b31m\u202eGPU`;
const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function presetsWithName(name: string): string {
  return userDir({ 'gpus/evil.yaml': gpuYaml('evil-gpu', name) });
}

describe('control characters from user data', () => {
  it('escapeControls turns each into a visible \\u escape and keeps newlines, tabs and plain Unicode', () => {
    expect(escapeControls(hostile)).toBe('Evil\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u202eGPU');
    expect(escapeControls('a\tb\nc – ü 日本')).toBe('a\tb\nc – ü 日本');
    const clean = { a: ['x', { b: 'y' }] };
    expect(escapeControlsDeep(clean)).toBe(clean); // nothing to escape: the same object, no copy
    expect(escapeControlsDeep({ a: [`${ESC}x`] })).toEqual({ a: ['\\u001bx'] });
  });

  it('escapeJsonControls is lossless: the JSON parses back to the same string', () => {
    const json = escapeJsonControls(JSON.stringify({ name: hostile }));
    expect(json).not.toMatch(rawControl);
    expect(JSON.parse(json).name).toBe(hostile);
  });

  it.each(['table', 'markdown', 'csv', 'yaml', 'json'])('a GPU name with escape sequences in a user preset: --format %s prints none raw', async (format) => {
    const dir = presetsWithName(hostile);
    const { code, out, err } = await cli(['compare', '--presets', dir, '--gpu', 'evil-gpu,h100', '--gpus', '64', '--format', format]);
    expect(code, err).toBe(0);
    expect(out.replaceAll('\r\n', '\n')).not.toMatch(rawControl); // CSV's own CRLF line ends aside
    expect(err).not.toMatch(rawControl);
    if (format === 'json') expect(out).toContain('\\u001b]0;owned');
  });

  it('the same name with colour on: only gpucost’s own colour codes reach the terminal', async () => {
    const dir = presetsWithName(hostile);
    const io = memoryIo({ env: { FORCE_COLOR: '1' }, isTTY: true, today: TEST_TODAY });
    expect(await run(['estimate', '--presets', dir, '--gpu', 'evil-gpu'], io)).toBe(0);
    expect(io.out).toContain(`${ESC}[`); // coloured
    const withoutOwnColour = io.out.replace(/\u001b\[[0-9;]*m/g, '');
    expect(withoutOwnColour).not.toMatch(rawControl);
    expect(io.out).toContain('\\u001b]0;owned');
  });

  it('diagnostics escape what they quote: an unknown preset id and a file name', async () => {
    const unknown = await cli(['estimate', '--gpu', `${ESC}[2Jh100`]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).not.toMatch(rawControl);
    expect(unknown.err).toContain('\\u001b[2J');
    const missing = await cli(['estimate', '--model', `/nonexistent/${ESC}]0;x\u0007.json`, '--tokens', '1T']);
    expect(missing.code).toBe(2);
    expect(missing.err).not.toMatch(rawControl);
  });
});

describe('colour follows the environment', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true], // no-color.org: only a non-empty value counts
    [{ TERM: 'dumb' }, true, false],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '3' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '2', NO_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '1', TERM: 'dumb' }, false, true],
  ] as [Record<string, string>, boolean, boolean][])('%j on a terminal: %s → colour %s', (env, tty, colour) => {
    expect(colorFromEnvironment(env, tty)).toBe(colour);
  });

  it.each([{ FORCE_COLOR: '0' }, { TERM: 'dumb' }, { NO_COLOR: '1' }])('%j: no escape codes even on a terminal', async (env) => {
    const io = memoryIo({ env, isTTY: true, today: TEST_TODAY });
    expect(await run(['estimate'], io)).toBe(0);
    expect(io.out).not.toContain(ESC);
  });

  it('--color wins over the environment', async () => {
    const io = memoryIo({ env: { NO_COLOR: '1' }, isTTY: false, today: TEST_TODAY });
    expect(await run(['estimate', '--color'], io)).toBe(0);
    expect(io.out).toContain(`${ESC}[`);
  });
});

describe('numbers are finite or the run is refused', () => {
  it.each([
    ['estimate', '--mfu', '1e-320'],
    ['estimate', '--tflops', '1e-320'],
    ['compare', '--gpu', 'h100', '--gpus', '64', '--mfu', '1e-320'],
  ])('%s %s %s: exit 2, one line naming the field, no Infinity', async (...args) => {
    for (const format of ['table', 'json', 'csv']) {
      const { code, out, err } = await cli([...args, '--format', format]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(/^gpucost: error\[E_INPUT\]: the inputs give a result out of range: \S+ is (Infinity|NaN);/);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('standard output that goes away or fails (the built binary)', () => {
  const bin = join(root, 'bin', 'gpucost.js');

  // Before: the comparison ran on to its millionth row (about 10 s here) with nobody reading.
  it('a reader that closes the pipe stops a long comparison at once, exit 0, nothing on stderr', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, [bin, 'compare', '--gpu', 'h100', '--gpus', '1..1000000+1', '--format', 'csv'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(Date.now() - started).toBeLessThan(4000);
  }, 15_000);

  it('a gate that failed keeps exit 1 when the reader has gone', async () => {
    const child = spawn(process.execPath, [bin, 'compare', '--gpu', 'h100', '--gpus', '8..1024', '--format', 'csv', '--max-days', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
  });

  it('a full disk behind stdout (/dev/full): one line, exit 2, no stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [bin, 'compare'], { stdio: ['ignore', full, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^gpucost: error\[E_FILE\]: cannot write to standard output: ENOSPC[^\n]*\n$/);
  });
});
