// A config.json that is not JSON was reported with V8's message, which quotes the start of the file
// (`Unexpected token 'S', "SECRET_TOK"... is not valid JSON`): whatever the file held reached the
// terminal. Now the position alone is given, and nesting is bounded before the parse.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, parseJsonText } from '../../src/presets/json-text.js';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gpucost-json-'));

async function withConfig(text: string): Promise<{ code: number; err: string }> {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, text);
  const r = await cli(['estimate', '--model', file, '--gpu', 'h100', '--gpus', '8']);
  return { code: r.code, err: r.err.replaceAll(file, 'FILE') };
}

describe('config.json that is not valid JSON', () => {
  it('names the position and never quotes the content', async () => {
    const r = await withConfig('SECRET_TOKEN_hf_abcdef123456 = "do not print"\n');
    expect(r.code).toBe(2);
    expect(r.err).toContain('FILE: not valid JSON at line 1, column 1');
    expect(r.err).not.toMatch(/SECRET|abcdef|do not print/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('points at the first error, on later lines and at a truncated end', async () => {
    expect((await withConfig('{\n  "model_type": "llama",\n  "hidden_size": 4096,,\n}')).err).toContain('not valid JSON at line 3, column 23');
    expect((await withConfig('{"model_type": "llama", "x": "secret\u0001"}')).err).toContain('not valid JSON at line 1, column 37');
    const truncated = await withConfig('{"model_type": "llama", "hidden_size": ');
    expect(truncated.err).toContain('not valid JSON at line 1, column 40');
    expect(truncated.err).toContain('the file ends early');
    expect((await withConfig('{"a": 1} trailing_secret')).err).not.toContain('trailing_secret');
  });

  it('refuses nesting deeper than the limit, however deep', async () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 200_000]) {
      const r = await withConfig(`{"model_type": "llama", "x": ${'['.repeat(depth)}${']'.repeat(depth)}}`);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`FILE: JSON nested more than ${MAX_JSON_DEPTH} levels deep at line 1, column`);
    }
  });

  it('still reads valid JSON, with a byte-order mark and every kind of value', async () => {
    const r = await withConfig('\uFEFF{"model_type": "llama", "a": [1, -2.5e3, true, false, null, "s\\"\\u00e9\\n", {}], "b": {"c": []}}');
    expect(r.err).toContain('missing "hidden_size"');
  });
});

describe('the scan agrees with JSON.parse', () => {
  const verdict = (text: string): 'ok' | 'positioned' | 'other' => {
    try {
      parseJsonText(text, 'f');
      return 'ok';
    } catch (e) {
      return /at line \d+, column \d+/.test((e as Error).message) ? 'positioned' : 'other';
    }
  };
  const parses = (text: string): boolean => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };

  it('on any JSON value, and on arbitrary or mangled text', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'small' }), (text) => verdict(text) === 'ok'),
      { numRuns: 300 },
    );
    const mangled = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '"', '\\', ']', '}', '{', '[', ':', '-', '0', 'e', '\u0001', ' '))
      .map(([t, at, s]) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1)));
    fc.assert(
      fc.property(fc.oneof(fc.string(), mangled), (text) => verdict(text) === (parses(text) ? 'ok' : 'positioned')),
      { numRuns: 1000 },
    );
  });
});
