// Regressions from fuzzing: /dev/zero as a run file or model config read forever; a kind folder
// that is a file, or one that cannot be listed, was an internal error.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GpucostError } from '../../src/errors.js';
import { loadPresetDir } from '../../src/presets/load-dir.js';
import { readBoundedFile } from '../../src/presets/read-file.js';

describe('readBoundedFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpucost-read-'));

  it('reads a file up to the limit', () => {
    writeFileSync(join(dir, 'ok.txt'), 'hello');
    expect(readBoundedFile(join(dir, 'ok.txt'), 'ok.txt', 5).toString()).toBe('hello');
  });

  it('refuses a larger file by its size', () => {
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(100));
    expect(() => readBoundedFile(join(dir, 'big.txt'), 'big.txt', 10)).toThrow(/big\.txt is 100 bytes; files over 10 bytes are refused/);
  });

  it('refuses a device before reading from it: only regular files are read', () => {
    expect(() => readBoundedFile('/dev/zero', '/dev/zero', 1000)).toThrow('/dev/zero is a character device, not a regular file');
    expect(() => readBoundedFile('/dev/null', '/dev/null', 1000)).toThrow('/dev/null is a character device, not a regular file');
  });

  it('escapes control characters in the name it prints', () => {
    expect(() => readBoundedFile(join(dir, 'nope'), 'nope\u001b[31m', 10)).toThrow('cannot read nope\\u001b[31m: ENOENT');
  });

  it('names a directory, a missing file and a read error in one line', () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    expect(() => readBoundedFile(join(dir, 'sub'), 'sub', 10)).toThrow(/sub is a directory, not a file/);
    expect(() => readBoundedFile(join(dir, 'nope'), 'nope', 10)).toThrow(/cannot read nope: ENOENT/);
    expect(() => readBoundedFile(join(dir, 'nope'), 'nope', 10)).toThrow('cannot read nope: ENOENT (no such file or directory)');
    expect(() => readBoundedFile('/proc/self/mem', 'mem', 10)).toThrow(GpucostError);
  });
});

describe('preset folders', () => {
  it('a kind folder that is a file is one clear error, not an internal one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-kind-'));
    writeFileSync(join(dir, 'gpus'), 'not a folder');
    expect(() => loadPresetDir(dir)).toThrow(GpucostError);
    expect(() => loadPresetDir(dir)).toThrow(/gpus should be a folder of YAML files, not a file/);
  });
});
