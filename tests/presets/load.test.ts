import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/user-presets.js';
import { loadPresetFile, parseYaml } from '../../src/presets/load.js';
import { GpuPresetSchema } from '../../src/presets/schema.js';

const fixture = (p: string) => join(import.meta.dirname, '..', 'fixtures', 'presets', p);

describe('preset loading', () => {
  it('reports every problem with line and column', () => {
    const list = problems(() => loadPresetFile(fixture('invalid/gpus/bad.yaml'), 'gpus'));
    expect(list).toEqual(
      expect.arrayContaining([
        '6:1 memroyGB: unknown field "memroyGB" (did you mean "memoryGB"?)',
        expect.stringMatching(/^7:22 memoryBandwidthTBps: /),
        expect.stringMatching(/^9:9 denseTflops\.bf16: /),
        expect.stringMatching(/^13:10 sources\.0\.url: /),
        expect.stringMatching(/^1:1 memoryGB: required field is missing/),
      ]),
    );
  });

  it('warns, at the field, about a global batch that is not a whole number of sequences, and suggests the binary reading of "nM"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-batch-'));
    const bundled = readFileSync(join(import.meta.dirname, '..', '..', 'presets', 'models', 'gpt3-125m.yaml'), 'utf8');
    const write = (batch: string, seqLen = '2048') => {
      const file = join(dir, 'model.yaml');
      writeFileSync(file, bundled.replace(/globalBatchTokens: \d+/, `globalBatchTokens: ${batch}`).replace('seqLen: 2048', `seqLen: ${seqLen}`));
      return loadPresetFile(file, 'models').warnings.map((w) => `${w.code} ${w.line}:${w.col} ${w.field}: ${w.message}`);
    };
    const line = bundled.split('\n').findIndex((l) => l.includes('globalBatchTokens')) + 1;
    expect(write('0.5M')).toEqual([
      `PRESET_BATCH_PARTIAL ${line}:22 training.globalBatchTokens: 500,000 tokens is 244.14 sequences of 2,048, not a whole number; a paper's "0.5M" usually means 524,288 tokens (256 sequences)`,
    ]);
    expect(write('1000000', '3000')).toEqual([
      `PRESET_BATCH_PARTIAL ${line}:22 training.globalBatchTokens: 1,000,000 tokens is 333.33 sequences of 3,000, not a whole number; the nearest whole batch is 999,000 tokens (333 sequences)`,
    ]);
    expect(write('524288')).toEqual([]);
  });

  it('rejects YAML syntax errors with a position', () => {
    expect(problems(() => parseYaml('id: [unclosed', 'x.yaml', GpuPresetSchema))[0]).toMatch(/^1:\d+ /);
  });

  it('rejects duplicate keys', () => {
    expect(problems(() => parseYaml('id: a\nid: b\n', 'x.yaml', GpuPresetSchema)).join('\n')).toMatch(/2:1 .*(unique|duplicate)/i);
  });

  it('rejects alias bombs', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(problems(() => parseYaml(bomb, 'bomb.yaml', GpuPresetSchema)).join('\n')).toMatch(/alias/i);
  });

  it('rejects an empty file', () => {
    expect(problems(() => parseYaml('', 'empty.yaml', GpuPresetSchema))[0]).toMatch(/empty/);
  });

  it('treats __proto__ as an unknown field, not a prototype', () => {
    const list = problems(() => parseYaml('__proto__: {polluted: true}\nid: x\n', 'p.yaml', GpuPresetSchema));
    expect(list.join('\n')).toMatch(/unknown field "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
