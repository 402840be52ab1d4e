import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paramCounts } from '../../src/core/params.js';
import { archFromHfConfig } from '../../src/presets/hf-config.js';
import { arch } from '../helpers/presets.js';
import { within } from '../helpers/cli.js';

// config.json files written from the published values (tests/fixtures/hf/README.md); each directory
// is named for the model preset it describes (gpt2 → gpt2-124m).
const dir = join(import.meta.dirname, '..', 'fixtures', 'hf');
const presetFor: Record<string, string> = { gpt2: 'gpt2-124m' };
const cases = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

describe('Hugging Face configs read into the same architecture as the presets', () => {
  it('covers every supported model_type', () => {
    const types = cases.map((c) => (JSON.parse(readFileSync(join(dir, c, 'config.json'), 'utf8')) as { model_type: string }).model_type);
    expect(new Set(types)).toEqual(new Set(['llama', 'mistral', 'mixtral', 'qwen2', 'gpt2', 'gpt_neox', 'falcon', 'gemma']));
  });

  it.each(cases)('%s: total and active parameters within 0.5% of the preset', (name) => {
    const config = JSON.parse(readFileSync(join(dir, name, 'config.json'), 'utf8'));
    const fromConfig = paramCounts(archFromHfConfig(config, name).arch);
    const fromPreset = paramCounts(arch(presetFor[name] ?? name));
    expect(within(fromConfig.total, fromPreset.total)).toBeLessThan(0.005);
    expect(within(fromConfig.active, fromPreset.active)).toBeLessThan(0.005);
  });
});
