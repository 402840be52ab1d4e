import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPresetDir } from '../../src/presets/load-dir.js';
import { presetJsonSchemas } from '../../src/presets/json-schema.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { builtinFinetuneSets } from '../../src/presets/builtin-finetune.js';
import { builtinThroughputSets } from '../../src/presets/builtin-throughput.js';

const BUILTIN_CATALOG = builtinRegistry().catalog;

const root = join(import.meta.dirname, '..', '..');

describe('bundled presets', () => {
  const { catalog, warnings } = loadPresetDir(join(root, 'presets'));

  it('all validate, with no warnings', () => {
    expect(warnings).toEqual([]);
    expect(catalog.gpus.length).toBeGreaterThanOrEqual(7);
    expect(catalog.models.length).toBeGreaterThanOrEqual(8);
  });

  it('the compiled bundle holds exactly what the YAML says (rebuild if this fails); the throughput and fine-tuning sets are compiled apart', () => {
    const origins = Object.fromEntries(Object.entries(catalog.origins).filter(([key]) => !key.startsWith('throughput:') && !key.startsWith('finetune:')));
    expect(BUILTIN_CATALOG).toEqual(JSON.parse(JSON.stringify({ ...catalog, throughput: [], finetune: [], origins })));
    expect(builtinThroughputSets()).toEqual(JSON.parse(JSON.stringify(catalog.throughput)));
    expect(builtinFinetuneSets()).toEqual(JSON.parse(JSON.stringify(catalog.finetune)));
  });

  it('every GPU named in issue 2 is present, with the aliases people type', () => {
    const ids = new Set(catalog.gpus.flatMap((g) => [g.id, ...g.aliases]));
    for (const id of [
      'v100-sxm2-16gb',
      'v100-sxm2-32gb',
      'v100-pcie-32gb',
      'a100-sxm4-40gb',
      'a100-sxm4-80gb',
      'h100-sxm',
      'h200',
      'v100',
      'a100-80gb',
      'a100-40gb',
      'h100',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
    expect(catalog.gpus.find((g) => g.aliases.includes('v100'))?.id).toBe('v100-sxm2-32gb');
  });

  it('the accelerator catalog of issue 3 is complete, with the aliases people type', () => {
    expect(catalog.gpus.length).toBeGreaterThanOrEqual(25);
    const owner = new Map(catalog.gpus.flatMap((g) => [g.id, ...g.aliases].map((n) => [n, g.id] as const)));
    const wanted: Record<string, string[]> = {
      'a100-pcie-80gb': ['a100-pcie'],
      'h100-pcie': ['h100-pcie-80gb'],
      'h100-nvl': [],
      h800: [],
      b200: [],
      gb200: [],
      l40s: [],
      a10g: [],
      t4: [],
      'rtx-4090': ['4090'],
      'rtx-3090': ['3090'],
      mi250x: [],
      mi300x: [],
      mi325x: [],
      'tpu-v3': [],
      'tpu-v4': [],
      'tpu-v5e': ['v5e', 'tpu-v5litepod'],
      'tpu-v5p': ['v5p'],
      'tpu-v6e': ['v6e', 'trillium'],
      gaudi2: [],
      gaudi3: [],
      'h100-sxm': ['h100'],
      'a100-sxm4-80gb': ['a100'],
    };
    for (const [id, aliases] of Object.entries(wanted)) {
      expect(owner.get(id), id).toBe(id);
      for (const a of aliases) expect(owner.get(a), a).toBe(id);
    }
  });

  it('every GPU names a default cluster, and the cluster presets of issue 3 exist', () => {
    const clusters = new Set(catalog.clusters.map((c) => c.id));
    for (const g of catalog.gpus) expect(g.defaultCluster && clusters.has(g.defaultCluster), g.id).toBe(true);
    for (const id of [
      'dgx-a100-superpod',
      'dgx-h100-superpod',
      'hgx-h200',
      'dgx-b200',
      'gb200-nvl72',
      'dgx-2-v100',
      'dgx-1-v100',
      'pcie-8gpu',
      'tpu-v4-pod',
      'tpu-v5p-pod',
      'mi300x-8',
    ]) {
      expect(clusters.has(id), id).toBe(true);
    }
  });

  it('links are stored per direction: no cluster is faster inside a node than its GPU allows', () => {
    for (const c of catalog.clusters) {
      const gpu = catalog.gpus.find((g) => g.id === c.gpu);
      if (gpu) expect(c.intraNode.bandwidthGBpsPerDirection, c.id).toBeLessThanOrEqual(gpu.intraNodeLink.bandwidthGBpsPerDirection);
      expect(c.interNode.bandwidthGBpsPerDirectionPerGpu, c.id).toBeLessThanOrEqual(c.intraNode.bandwidthGBpsPerDirection);
    }
  });

  it('every published global batch is a whole number of sequences (papers round "2M" tokens; 2^21 of 2,048-token sequences is 1,024 of them)', () => {
    const batches = BUILTIN_CATALOG.models.filter((m) => m.training.globalBatchTokens !== undefined && m.architecture !== undefined);
    expect(batches.length).toBeGreaterThan(20);
    for (const m of batches) {
      const sequences = (m.training.globalBatchTokens as number) / (m.architecture?.seqLen as number);
      expect(Number.isInteger(sequences), `${m.id}: ${m.training.globalBatchTokens} tokens / ${m.architecture?.seqLen}`).toBe(true);
    }
  });

  it('every preset file points editors at its JSON Schema', () => {
    for (const [key, file] of Object.entries(catalog.origins)) {
      const kind = key.split(':')[0];
      const schema = {
        gpus: 'gpu',
        models: 'model',
        scenarios: 'scenario',
        clusters: 'cluster',
        prices: 'price',
        grids: 'grid',
        runs: 'run',
        throughput: 'throughput',
        finetune: 'finetune',
      }[kind as 'gpus'];
      expect(readFileSync(join(root, 'presets', file), 'utf8').split('\n')[0], file).toBe(`# yaml-language-server: $schema=../../schema/${schema}.schema.json`);
    }
  });
});

describe('JSON Schema files', () => {
  it.each(Object.entries(presetJsonSchemas()))('schema/%s is up to date (npm run gen:schema)', (file, text) => {
    expect(readFileSync(join(root, 'schema', file), 'utf8')).toBe(text);
  });
});

describe('throughput rows on their own cluster', () => {
  it("a row's cluster names a cluster preset, and an unknown one is refused with the row's place", async () => {
    const { checkCatalog } = await import('../../src/presets/check-catalog.js');
    const catalog = builtinRegistry().catalog;
    const set = builtinThroughputSets()[0] as ReturnType<typeof builtinThroughputSets>[number];
    const row = { ...(set.rows[0] as (typeof set.rows)[number]), cluster: 'no-such-cluster' };
    const problems = checkCatalog({ ...catalog, throughput: [{ ...set, rows: [row] }] });
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toContain('rows.0.cluster: unknown cluster "no-such-cluster"');
  });
});

describe('a run preset’s published layout', () => {
  it('is refused, with the field, when TP × PP × DP is not the GPU count or the interleaved chunks do not cut the stages evenly', async () => {
    const { checkCatalog } = await import('../../src/presets/check-catalog.js');
    const catalog = builtinRegistry().catalog;
    expect(checkCatalog(catalog).filter((p) => p.file.includes('runs'))).toEqual([]);
    const run = catalog.runs.find((r) => r.id === 'megatron-145.6b-1536gpu') as (typeof catalog.runs)[number];
    const bad = { ...run, id: 'bad-layout', parallelism: { ...run.parallelism, dp: 12, virtualStages: 3 } };
    const messages = checkCatalog({ ...catalog, runs: [bad] }).map((p) => `${p.field}: ${p.message}`);
    expect(messages).toEqual([
      'parallelism: TP × PP × DP = 768, not the 1536 GPUs',
      'parallelism.virtualStages: 80 layers on 8 pipeline stages do not split into 3 chunks a stage',
    ]);
  });
});
