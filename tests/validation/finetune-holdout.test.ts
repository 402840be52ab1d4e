// Issue 20, item 5, known gaps: fine-tuning against held-out measurements. torchtune's README
// ("Memory and training speed", https://github.com/pytorch/torchtune/blob/0031bfb080bd35ec533c412df883cf2bf7bf7fe4/README.md;
// docs/finetune-measurements.md rows T3 and T5): Llama 3.1 8B on one RTX 4090, batch 2, sequences
// packed to 2,048 tokens, torch.compile on. The table does not state rank, targets or activation
// checkpointing; these runs take torchtune's single-device recipes of the time (rank 8, attention and
// MLP, checkpointing on). Each gap is held in a band two points wide, so that a change to the memory
// or step-time model that moves it shows. Issue 20 asks for memory within 10% and time within 20%.
import { describe, expect, it } from 'vitest';
import { estimateJson } from '../helpers/cli.js';

type Est = { memoryPerGpuGB: number; stepSeconds: number };
const GIB = 2 ** 30 / 1e9;
const ROW = '--model llama3-8b --gpu rtx4090 --gpus 1 --tokens 1e9 --seq-len 2048 --micro-batch 2 --global-batch 2 --recompute full --lora-rank 8';
const row = (mode: string) => estimateJson<Est>([...ROW.split(' '), '--finetune', mode, '--perf', 'model', '--no-reliability']);
const error = (predicted: number, measured: number) => predicted / measured - 1;

describe('fine-tuning against torchtune on one RTX 4090 (holdout)', () => {
  it('known gap: LoRA memory +21% (19.6 against 16.2 GiB; torchtune chunks the loss, the one-GPU allowance was fitted on Hugging Face runs); tokens/s −45% (1,689 against 3,083)', async () => {
    const e = await row('lora');
    const memory = error(e.memoryPerGpuGB / GIB, 16.2);
    expect(memory).toBeGreaterThanOrEqual(0.2);
    expect(memory).toBeLessThanOrEqual(0.22);
    const speed = error((2 * 2048) / e.stepSeconds, 3083);
    expect(speed).toBeGreaterThanOrEqual(-0.46);
    expect(speed).toBeLessThanOrEqual(-0.44);
  });

  it('known gap: QLoRA memory +32% (9.75 against 7.4 GiB); tokens/s −40% (1,451 against 2,413; torchao NF4, not bitsandbytes)', async () => {
    const e = await row('qlora');
    const memory = error(e.memoryPerGpuGB / GIB, 7.4);
    expect(memory).toBeGreaterThanOrEqual(0.31);
    expect(memory).toBeLessThanOrEqual(0.33);
    const speed = error((2 * 2048) / e.stepSeconds, 2413);
    expect(speed).toBeGreaterThanOrEqual(-0.41);
    expect(speed).toBeLessThanOrEqual(-0.39);
  });
});
