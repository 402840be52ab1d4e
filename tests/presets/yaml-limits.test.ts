// With yaml's own duplicate-key check off (it is quadratic: tests/e2e/large-inputs.test.ts), ours must
// still find duplicates; deep nesting ran yaml's composer out of stack with a message that named
// neither the cause nor the limit.
import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/user-presets.js';
import { MAX_YAML_DEPTH, parseYaml } from '../../src/presets/load.js';
import { GpuPresetSchema, RunFileSchema } from '../../src/presets/schema.js';

describe('YAML limits', () => {
  it('still finds duplicate keys, at the second one, with the key escaped', () => {
    expect(problems(() => parseYaml('id: a\nname: b\nid: c\n', 'x.yaml', GpuPresetSchema))).toEqual(['3:1 : duplicate key "id"']);
    expect(problems(() => parseYaml('a:\n  "x\\e[2J": 1\n  "x\\e[2J": 2\n', 'x.yaml', RunFileSchema))).toEqual(['3:3 : duplicate key "x\\u001b[2J"']);
    expect(problems(() => parseYaml('{a: 1, b: 2, a: 3}', 'x.yaml', RunFileSchema))).toEqual(['1:14 : duplicate key "a"']);
  });

  it('refuses nesting deeper than the limit, in block or flow style, by name', () => {
    const flow = `gpu: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    expect(problems(() => parseYaml(flow, 'x.yaml', RunFileSchema))[0]).toMatch(new RegExp(`nested more than ${MAX_YAML_DEPTH} levels deep`));
    const block = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('');
    expect(problems(() => parseYaml(block, 'x.yaml', RunFileSchema))[0]).toMatch(new RegExp(`nested more than ${MAX_YAML_DEPTH} levels deep`));
    const justDeep = `gpu: ${'['.repeat(MAX_YAML_DEPTH + 1)}${']'.repeat(MAX_YAML_DEPTH + 1)}\n`;
    expect(problems(() => parseYaml(justDeep, 'x.yaml', RunFileSchema))[0]).toMatch(/nested more than/);
  });

  it('unknown field names from the file are escaped', () => {
    expect(problems(() => parseYaml('"gp\\u001bu": h100\n', 'x.yaml', RunFileSchema))[0]).toContain('unknown field "gp\\u001bu"');
  });
});
