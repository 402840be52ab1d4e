// Issue 20, item 5, known gaps: fine-tuning against held-out measurements. torchtune's README
// ("Memory and training speed", https://github.com/pytorch/torchtune/blob/0031bfb080bd35ec533c412df883cf2bf7bf7fe4/README.md;
// docs/finetune-measurements.md rows T3 and T5): Llama 3.1 8B on one RTX 4090, batch 2, sequences
// packed to 2,048 tokens, torch.compile on. The table does not state rank, targets or activation
// checkpointing; these runs take torchtune's single-device recipes of the time (rank 8, attention and
// MLP, checkpointing on). Each gap is held in a band two points wide, so that a change to the memory
// or step-time model that moves it shows. Issue 20 asks for memory within 10% and time within 20%.
import { expectBetween } from '../helpers/bands.js';
import { describe, expect, it } from 'vitest';
import { cli, estimateJson } from '../helpers/cli.js';

type Est = { memoryPerGpuGB: number; stepSeconds: number };
const GIB = 2 ** 30 / 1e9;
const ROW =
  '--model llama3-8b --gpu rtx4090 --gpus 1 --tokens 1e9 --seq-len 2048 --micro-batch 2 --global-batch 2 --recompute full --lora-rank 8 --loss chunked';
// torchtune's NF4 base (torchao) is not prepared by PEFT: its activations stay 16-bit.
const row = (mode: string) =>
  estimateJson<Est>([...ROW.split(' '), '--finetune', mode, '--perf', 'model', '--no-reliability', ...(mode === 'qlora' ? ['--no-peft-prepare'] : [])]);
const error = (predicted: number, measured: number) => predicted / measured - 1;

describe('fine-tuning against torchtune on one RTX 4090 (holdout)', () => {
  // torchtune's recipes compute the loss in chunks (--loss chunked: 1.5 GiB of logits here; held whole they
  // were 4.9 GiB and memory came out +50% and +94%). What remains over is about the size of gpucost's
  // one-GPU framework allowance (2.54 GiB) plus the checkpointed activations (1 GiB): torchtune's 16.2 GiB
  // leaves 1.2 GiB beside the 15.0 GiB of 16-bit weights, which suggests it reports allocated memory
  // without the CUDA context, but its README does not say.
  // +29% and +48% before the eager kernels' count (Llama 3 8B's K and V repeated to its 32 query heads).
  // Tokens/s −34% and −29% (2,039 and 1,702) before torchtune's attention (PyTorch's SDPA) was timed as
  // FlashAttention-2's; −38% and −33% (1,920 and 1,619) while Ada took FlashAttention-2's Hopper fraction
  // (0.33), before the RTX 4090's own (0.67, perf.ts) was found and cited, after these rows had been seen.
  it('known gap: LoRA memory +30% (21.0 against 16.2 GiB); tokens/s −34% (2,037 against 3,083; −33% before the 2026-12-06 refit of the step-time constants)', async () => {
    const e = await row('lora');
    const memory = error(e.memoryPerGpuGB / GIB, 16.2);
    expect(memory).toBeGreaterThanOrEqual(0.287);
    expect(memory).toBeLessThanOrEqual(0.307);
    const speed = error((2 * 2048) / e.stepSeconds, 3083);
    expectBetween(speed, -0.349, -0.329);
  });

  it('known gap: QLoRA memory +50% (11.1 against 7.4 GiB); tokens/s −29.5% (1,701 against 2,413, −28% before the 2026-12-06 refit; torchao NF4, not bitsandbytes)', async () => {
    const e = await row('qlora');
    const memory = error(e.memoryPerGpuGB / GIB, 7.4);
    expect(memory).toBeGreaterThanOrEqual(0.493);
    expect(memory).toBeLessThanOrEqual(0.513);
    const speed = error((2 * 2048) / e.stepSeconds, 2413);
    expectBetween(speed, -0.305, -0.285);
  });
});

// Unsloth's README ("Context length benchmarks", https://github.com/unslothai/unsloth/blob/000252c947fe9421071216c19fd53e5d0495a1c0/README.md;
// docs/finetune-measurements.md rows U11 and U14): the longest sequence Hugging Face transformers with
// FlashAttention-2 fitted for QLoRA of Llama 3.1 8B, rank 32 on every linear layer, batch 1: 5,789 tokens
// in 24 GB and 28,454 in 80 GB. Checkpointing as Unsloth's baseline ran it is not stated; full
// recomputation is taken here.
describe('the longest context that fits, against Hugging Face + FlashAttention-2 (holdout)', () => {
  type Mem = { fits: boolean };
  const fits = async (gpu: string, seqLen: number): Promise<boolean> => {
    const args = ['memory', '--model', 'llama3-8b', '--gpu', gpu, '--gpus', '1', '--tokens', '1e9', '--seq-len', String(seqLen)];
    const { code, out } = await cli([
      ...args,
      '--micro-batch',
      '1',
      '--global-batch',
      '1',
      '--recompute',
      'full',
      '--finetune',
      'qlora',
      '--lora-rank',
      '32',
      // As the rows declare (presets/finetune/unsloth-context-hf.yaml): the baseline's trainer is not stated.
      '--no-peft-prepare',
      '--format',
      'json',
    ]);
    return code === 0 && (JSON.parse(out) as Mem).fits;
  };
  const longest = async (gpu: string): Promise<number> => {
    let lo = 256;
    let hi = 1 << 19;
    while (hi - lo > 64) {
      const mid = Math.floor((lo + hi) / 2);
      if (await fits(gpu, mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  };

  // Counting the loss's 32-bit logits closed most of the gap (without them: 266,840 and 52,010 tokens, 9×
  // too long); Hugging Face's loss of the time made a further shifted copy, which gpucost does not count.
  // 56% and 45% before the eager kernels' count, whose repeated K and V and wider MLP hold more per token.
  it('known gap: gpucost fits 51% (24 GB: 5,789 tokens measured) and 30% (80 GB: 28,454) longer sequences than measured', async () => {
    const at24 = error(await longest('rtx4090'), 5789);
    expect(at24).toBeGreaterThanOrEqual(0.503);
    expect(at24).toBeLessThanOrEqual(0.523);
    const at80 = error(await longest('a100-80gb'), 28454);
    expect(at80).toBeGreaterThanOrEqual(0.294);
    expect(at80).toBeLessThanOrEqual(0.314);
  });
});
