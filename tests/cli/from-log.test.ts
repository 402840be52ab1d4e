// --from-log (issue 17, item 6): throughput read from real log excerpts of each framework
// (tests/fixtures/logs/README.md has their sources) re-projects the whole run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainingLog } from '../../src/core/parse-log.js';
import { cli, estimateJson } from '../helpers/cli.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'logs');
const log = (name: string): string => join(dir, name);
const parse = (name: string) => parseTrainingLog(readFileSync(log(name), 'utf8'));
type E = { wallClockSeconds: number; tflopsPerGpu: number; assumptions: { name: string; origin: string }[] };

describe('reading a training log', () => {
  it.each([
    ['megatron-1.log', { framework: 'megatron', stepSeconds: 12.08145, globalBatch: 1024 }],
    ['megatron-2.log', { framework: 'megatron', stepSeconds: 2.7059, globalBatch: 8 }],
    ['nemo-1.log', { framework: 'nemo', stepSeconds: 46.81, globalBatch: 512 }],
    ['nemo-2.log', { framework: 'nemo', stepSeconds: 26.78, globalBatch: 512 }],
    ['torchtitan-1.log', { framework: 'torchtitan', tokensPerSecPerGpu: 6785 }],
    ['torchtitan-2.log', { framework: 'torchtitan', tokensPerSecPerGpu: 2850.5 }],
    ['hf-1.log', { framework: 'hf-trainer', samplesPerSec: 1.141 }],
  ] as const)('%s: the median step after warm-up, one per step however many ranks print it', (name, expected) => {
    const got = parse(name);
    expect(got).toMatchObject({ framework: expected.framework });
    for (const [k, v] of Object.entries(expected)) if (typeof v === 'number') expect(got?.[k as keyof typeof got]).toBeCloseTo(v, 6);
  });

  it('a log with no throughput (per-step losses and progress bars only) is one clear error', async () => {
    expect(parse('hf-2.log')).toBeNull();
    const { code, err } = await cli(['estimate', '--model', 'llama3-8b', '--from-log', log('hf-2.log')]);
    expect(code).toBe(2);
    expect(err).toMatch(/no throughput found in ".*hf-2\.log"/);
  });
});

describe('re-projecting the whole run from a log', () => {
  it('TorchTitan: Llama 3 8B on 32 H100 at its logged 6,785 tokens/s per GPU', async () => {
    const e = await estimateJson<E>(['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '32', '--from-log', log('torchtitan-1.log'), '--no-reliability']);
    expect(e.wallClockSeconds).toBeCloseTo(15e12 / (6785 * 32), -3);
    expect(e.assumptions.find((a) => a.name === 'Throughput per GPU')?.origin).toMatch(/log .*torchtitan-1\.log: TorchTitan, median of 1 step/);
  });

  it('Megatron-LM: GPT 345M on 4 GPUs, the log’s step time and its global batch of 8 sequences of 1,024 tokens', async () => {
    const e = await estimateJson<E>([
      '--model',
      'gpt3-350m',
      '--seq-len',
      '1024',
      '--gpu',
      'a100',
      '--gpus',
      '4',
      '--tokens',
      '10B',
      '--from-log',
      log('megatron-2.log'),
      '--no-reliability',
    ]);
    expect(e.wallClockSeconds).toBeCloseTo(10e9 / ((8 * 1024) / 2.7059), -3);
  });

  it('NeMo: Qwen3-30B-A3B on 16 H100, global batch 512 of 4,096 tokens every 26.78 s', async () => {
    const e = await estimateJson<E>([
      '--model',
      'qwen3-30b-a3b',
      '--seq-len',
      '4096',
      '--gpu',
      'h100',
      '--gpus',
      '16',
      '--tokens',
      '1T',
      '--from-log',
      log('nemo-2.log'),
      '--no-reliability',
    ]);
    expect(e.wallClockSeconds).toBeCloseTo(1e12 / ((512 * 4096) / 26.78), -3);
  });

  it('Hugging Face Trainer: 1.141 sequences per second of the whole job', async () => {
    const e = await estimateJson<E>([
      '--model',
      'llama-7b',
      '--seq-len',
      '512',
      '--gpu',
      'a100',
      '--gpus',
      '1',
      '--tokens',
      '1B',
      '--from-log',
      log('hf-1.log'),
      '--no-reliability',
    ]);
    expect(e.wallClockSeconds).toBeCloseTo(1e9 / (1.141 * 512), -3);
  });
});
