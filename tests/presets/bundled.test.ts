import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPresetDir } from '../../src/presets/load-dir.js';
import { presetJsonSchemas } from '../../src/presets/json-schema.js';
import { BUILTIN_CATALOG } from '../../src/presets/builtin.js';

const root = join(import.meta.dirname, '..', '..');

describe('bundled presets', () => {
  const { catalog, warnings } = loadPresetDir(join(root, 'presets'));

  it('all validate, with no warnings', () => {
    expect(warnings).toEqual([]);
    expect(catalog.gpus.length).toBeGreaterThanOrEqual(7);
    expect(catalog.models.length).toBeGreaterThanOrEqual(8);
  });

  it('the compiled bundle holds exactly what the YAML says (rebuild if this fails)', () => {
    expect(BUILTIN_CATALOG).toEqual(JSON.parse(JSON.stringify(catalog)));
  });

  it('every GPU named in issue 2 is present, with the aliases people type', () => {
    const ids = new Set(catalog.gpus.flatMap((g) => [g.id, ...g.aliases]));
    for (const id of ['v100-sxm2-16gb', 'v100-sxm2-32gb', 'v100-pcie-32gb', 'a100-sxm4-40gb', 'a100-sxm4-80gb', 'h100-sxm', 'h200', 'v100', 'a100-80gb', 'a100-40gb', 'h100']) {
      expect(ids.has(id), id).toBe(true);
    }
    expect(catalog.gpus.find((g) => g.aliases.includes('v100'))?.id).toBe('v100-sxm2-32gb');
  });

  it('every preset file points editors at its JSON Schema', () => {
    for (const [key, file] of Object.entries(catalog.origins)) {
      const kind = key.split(':')[0];
      const schema = { gpus: 'gpu', models: 'model', scenarios: 'scenario', clusters: 'cluster', prices: 'price', grids: 'grid', runs: 'run' }[kind as 'gpus'];
      expect(readFileSync(join(root, 'presets', file), 'utf8').split('\n')[0], file).toBe(
        `# yaml-language-server: $schema=../../schema/${schema}.schema.json`,
      );
    }
  });
});

describe('JSON Schema files', () => {
  it.each(Object.entries(presetJsonSchemas()))('schema/%s is up to date (npm run gen:schema)', (file, text) => {
    expect(readFileSync(join(root, 'schema', file), 'utf8')).toBe(text);
  });
});
