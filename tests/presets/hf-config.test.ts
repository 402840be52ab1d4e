import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paramCounts } from '../../src/core/params.js';
import { archFromHfConfig, HF_MODEL_TYPES, HF_TRAINING_SEQ_LEN } from '../../src/presets/hf-config.js';
import { arch, registry } from '../helpers/presets.js';
import { within } from '../helpers/cli.js';

// config.json files (tests/fixtures/hf/README.md); each directory is named for the model preset it
// describes where there is one (gpt2 → gpt2-124m). The MoE configs' published counts: hf-moe.test.ts.
const dir = join(import.meta.dirname, '..', 'fixtures', 'hf');
const presetFor: Record<string, string> = { gpt2: 'gpt2-124m' };
const cases = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
const withPreset = cases.filter((name) => registry.list('models').some((m) => m.id === (presetFor[name] ?? name)));
// No byte-for-byte public copy of the published file was found for these (README.md); hf-moe.test.ts
// and hf-families.test.ts read their fields inline.
const WITHOUT_FIXTURE = ['qwen2_moe', 'deepseek_v2', 'llama4', 'gemma2', 'gemma3', 'gemma3_text', 'phi3', 'olmo', 'olmo2'];

describe('Hugging Face configs read into the same architecture as the presets', () => {
  it('covers every supported model_type', () => {
    const types = cases.map((c) => (JSON.parse(readFileSync(join(dir, c, 'config.json'), 'utf8')) as { model_type: string }).model_type);
    expect(new Set([...types, ...WITHOUT_FIXTURE])).toEqual(new Set(HF_MODEL_TYPES));
  });

  it.each(withPreset)('%s: total and active parameters within 0.5% of the preset', (name) => {
    const config = JSON.parse(readFileSync(join(dir, name, 'config.json'), 'utf8'));
    const fromConfig = paramCounts(archFromHfConfig(config, name).arch);
    const fromPreset = paramCounts(arch(presetFor[name] ?? name));
    expect(within(fromConfig.total, fromPreset.total)).toBeLessThan(0.005);
    expect(within(fromConfig.active, fromPreset.active)).toBeLessThan(0.005);
  });
});

describe('sequence length from a config', () => {
  it('caps max_position_embeddings, the length after long-context training, at 8,192 for training, and says so', () => {
    const config = JSON.parse(readFileSync(join(dir, 'mistral-7b', 'config.json'), 'utf8')) as Record<string, unknown>;
    const long = archFromHfConfig({ ...config, max_position_embeddings: 131072 }, 'config.json');
    expect(long.arch.seqLen).toBe(HF_TRAINING_SEQ_LEN);
    expect(long.notes.join(' ')).toMatch(/sequence length 8192 assumed for training \(max_position_embeddings is 131072/);
    expect(archFromHfConfig({ ...config, max_position_embeddings: 4096 }, 'config.json').arch.seqLen).toBe(4096);
  });
});
