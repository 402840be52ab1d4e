import { it } from 'vitest';
import { memoryPerGpu, DEFAULT_MEMORY_OPTIONS } from '../src/core/memory.js';
import { loraParams } from '../src/core/finetune.js';
import { paramCounts } from '../src/core/params.js';
import { arch } from './helpers/presets.js';
it('exp', () => {
  const base = (id: string, o: object) => arch(id, { seqLen: 512, attention: 'flash', tiedEmbeddings: false, ...o });
  const rows: [string, ReturnType<typeof arch>, number, number][] = [
    ['qwen-1.8b', base('llama2-7b', { layers: 24, dModel: 2048, heads: 16, kvHeads: 16, dHead: 128, ffnHidden: 5504, vocab: 151936 }), 6.99, 1.84],
    ['qwen-7b', base('llama2-7b', { ffnHidden: 11008, vocab: 151936 }), 18.01, 7.72],
    ['qwen-14b', base('llama2-13b', { ffnHidden: 13696, vocab: 152064 }), 30.14, 14.17],
    ['chatglm3-6b', base('llama2-7b', { layers: 28, kvHeads: 2, ffnHidden: 13696, vocab: 65024 }), 13.94, 6.24],
    ['yi-6b', base('llama2-7b', { kvHeads: 4, ffnHidden: 11008, vocab: 64000 }), 13.72, 6.06],
    ['yi-34b', base('llama2-7b', { layers: 60, dModel: 7168, heads: 56, kvHeads: 8, dHead: 128, ffnHidden: 20480, vocab: 64000 }), 66.72, 34.39],
    ['zephyr-7b', base('mistral-7b', {}), 14.99, 7.24],
    ['baichuan2-7b', base('llama2-7b', { ffnHidden: 11008, vocab: 125696 }), 18.18, 7.51],
    ['baichuan2-13b', base('llama2-13b', { ffnHidden: 13696, vocab: 125696 }), 31.01, 13.9],
  ];
  const plan = {
    tp: 1,
    pp: 1,
    dp: 1,
    microBatch: 1,
    globalBatch: 16,
    zero: 0 as const,
    recompute: 'full' as const,
    sequenceParallel: false,
    virtualStages: 1,
    cp: 1,
    ep: 1,
  };
  const res: number[] = [];
  for (const [id, a, meas, pub] of rows) {
    const total = paramCounts(a).total;
    const lora = loraParams(a, 8, 'attn');
    const m = memoryPerGpu(a, plan, {
      ...DEFAULT_MEMORY_OPTIONS,
      frameworkOverhead: false,
      finetune: { baseWeightBytes: 2, trainableShare: lora / total, optimizerBytesPerTrainable: 12 },
    });
    const r = meas - m.totalBytes / 2 ** 30;
    res.push(r);
    console.log(
      id.padEnd(14),
      'params',
      (total / 1e9).toFixed(2),
      'pub',
      pub,
      'model GiB',
      (m.totalBytes / 2 ** 30).toFixed(2),
      'meas',
      meas,
      'residual',
      r.toFixed(2),
    );
  }
  res.sort((x, y) => x - y);
  console.log('median residual', res[Math.floor(res.length / 2)]);
});
