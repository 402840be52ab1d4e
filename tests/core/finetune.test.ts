// Fine-tuning (issue 20, first part): LoRA/QLoRA adapters, their FLOPs and the memory of a frozen,
// perhaps quantised, base.
import { describe, expect, it } from 'vitest';
import { NF4_BITS_PER_WEIGHT, baseBytesPerWeight, loraParams } from '../../src/core/finetune.js';
import { builtinRegistry } from '../../src/presets/builtin.js';
import { modelArch } from '../../src/presets/to-core.js';
import { FINETUNE_COMPARE_GPUS } from '../../src/resolve/defaults.js';
import { FINETUNE_SEQ_LEN_ORIGIN } from '../../src/resolve/finetune.js';
import { FEWEST_THAT_FIT_ORIGIN } from '../../src/resolve/compare.js';
import { cli, cliJson, estimateJson } from '../helpers/cli.js';

const registry = builtinRegistry();
const llama2 = modelArch(registry.get('models', 'llama2-7b'));

describe('LoRA adapters', () => {
  // r × (d_in + d_out) per adapted matrix (Hu et al. 2021 §4.1). Llama 2 7B, r = 64 on q, k, v, o, gate,
  // up and down: 32 × 64 × (4 × 8192 + 3 × 15104) = 159,907,840, the count PEFT's
  // print_trainable_parameters reports for this configuration.
  it('Llama 2 7B at rank 64: 159,907,840 on every linear layer, 67,108,864 on attention, the rest on the MLP', () => {
    expect(loraParams(llama2, 64, 'all')).toBe(159_907_840);
    expect(loraParams(llama2, 64, 'attn')).toBe(67_108_864);
    expect(loraParams(llama2, 64, 'mlp')).toBe(159_907_840 - 67_108_864);
    expect(loraParams(llama2, 8, 'all')).toBe(159_907_840 / 8);
  });

  // QLoRA §3: 4-bit weights, and double quantisation takes the constants from 0.5 to 0.127 bit per weight.
  it('NF4 stores a weight in 4.127 bits with its constants; int8 in 8', () => {
    expect(NF4_BITS_PER_WEIGHT).toBeCloseTo(4.127, 3);
    expect(baseBytesPerWeight('nf4')).toBeCloseTo(4.127 / 8, 3);
    expect(baseBytesPerWeight('int8')).toBe(1);
  });
});

describe('estimate --finetune', () => {
  type Est = {
    trainingFlops: number;
    params: number;
    tokens: number;
    fits: boolean;
    memoryPerGpuGB: number;
    minimumGpus: number | null;
    costUsd: number;
    wallClockDays: number;
    seqLen: number;
    plan: { globalBatch: number };
    finetune: { mode: string; trainableParams: number; activeTrainableParams: number; base: string; optimizer: string };
  };
  const tokens = ['--examples', '10k', '--avg-len', '512'];

  it("LoRA and QLoRA skip the frozen base's weight gradients: 6ND − 2ND + 6·adapters·D FLOPs", async () => {
    const full = await estimateJson<Est>(['--model', 'llama2-7b', '--gpu', 'h100', '--gpus', '8', '--finetune', 'full', ...tokens]);
    const lora = await estimateJson<Est>(['--model', 'llama2-7b', '--gpu', 'h100', '--gpus', '8', '--finetune', 'lora', ...tokens]);
    expect(full.trainingFlops).toBeCloseTo(6 * full.params * full.tokens, -6);
    expect(lora.finetune.trainableParams).toBe(159_907_840);
    expect(lora.trainingFlops).toBeCloseTo((4 * lora.params + 6 * 159_907_840) * lora.tokens, -6);
    expect(lora.wallClockDays).toBeLessThan(full.wallClockDays);
  });

  it('the data: --examples × --avg-len × --epochs tokens, one example per sequence of --avg-len, 16 sequences a step', async () => {
    const e = await estimateJson<Est>(['--model', 'llama2-7b', '--gpu', 'a100', '--gpus', '1', '--finetune', 'lora', ...tokens, '--epochs', '3']);
    expect(e.tokens).toBe(10_000 * 512 * 3);
    expect(e.seqLen).toBe(512);
    expect(e.plan.globalBatch).toBe(16);
  });

  it('packing against padding: examples packed into --seq-len sequences compute their own tokens; --padded computes the padding too', async () => {
    type Data = { tokens: number; seqLen: number; wallClockSeconds: number };
    const args = ['--model', 'llama2-7b', '--gpu', 'a100', '--gpus', '1', '--finetune', 'lora', ...tokens];
    const own = await estimateJson<Data>(args);
    const packed = await estimateJson<Data>([...args, '--seq-len', '2048']);
    const padded = await estimateJson<Data>([...args, '--seq-len', '2048', '--padded']);
    expect(own).toMatchObject({ tokens: 10_000 * 512, seqLen: 512 });
    expect(packed).toMatchObject({ tokens: 10_000 * 512, seqLen: 2048 });
    expect(padded).toMatchObject({ tokens: 10_000 * 2048, seqLen: 2048 });
    expect(padded.wallClockSeconds / packed.wallClockSeconds).toBeCloseTo(4, 6);
  });

  it('--gradient-checkpointing and --no-gradient-checkpointing are --recompute full and none, as Hugging Face names them', async () => {
    type Planned = { plan: { recompute: string } };
    const args = ['--model', 'llama2-7b', '--gpu', 'a100', '--gpus', '1', '--finetune', 'lora', ...tokens];
    expect((await estimateJson<Planned>([...args, '--gradient-checkpointing'])).plan.recompute).toBe('full');
    expect((await estimateJson<Planned>([...args, '--no-gradient-checkpointing'])).plan.recompute).toBe('none');
  });

  it('a fine-tune calibrated from its own trial (--tokens-per-sec) takes tokens ÷ that rate, its frozen base notwithstanding', async () => {
    type Timed = { wallClockSeconds: number; tokens: number };
    const args = ['--model', 'llama3-8b', '--finetune', 'qlora', '--gpu', 'rtx4090', ...tokens, '--tokens-per-sec', '2400', '--no-reliability'];
    const e = await estimateJson<Timed>(args);
    expect(e.wallClockSeconds).toBeCloseTo(e.tokens / 2400, 6);
  });

  // Dettmers et al. 2023 (abstract): QLoRA fine-tunes a 65B model on a single 48 GB GPU; 16-bit full
  // fine-tuning of the same model needs more than 780 GB.
  it('LLaMA 65B on one 48 GB RTX A6000: QLoRA fits; full fine-tuning does not, and says the fewest GPUs that hold it', async () => {
    const args = ['--model', 'llama-65b', '--gpu', 'rtx-a6000', '--gpus', '1', ...tokens];
    const q = await estimateJson<Est>([...args, '--finetune', 'qlora']);
    expect(q.fits).toBe(true);
    expect(q.finetune).toMatchObject({ mode: 'qlora', base: 'nf4', optimizer: 'paged-adamw' });
    const full = await estimateJson<Est>([...args, '--finetune', 'full']);
    expect(full.fits).toBe(false);
    expect(full.memoryPerGpuGB).toBeGreaterThan(780);
    expect(full.minimumGpus).toBeGreaterThan(16);
  });

  it('--optimizer adamw-bf16 (pure bf16: bf16 moments, no fp32 master) holds 4 bytes a trainable parameter, against 12 for AdamW: a full fine-tune of Llama 3 8B fits one 80 GB A100 only that way', async () => {
    type Mem = Est & { memoryBreakdownGB: { optimizer: number }; assumptions: { name: string; value: string }[] };
    const args = ['--model', 'llama3-8b', '--finetune', 'full', '--gpu', 'a100', '--gpus', '1', ...tokens];
    const mixed = await estimateJson<Mem>([...args, '--optimizer', 'adamw']);
    const pure = await estimateJson<Mem>([...args, '--optimizer', 'adamw-bf16']);
    expect(pure.memoryBreakdownGB.optimizer / mixed.memoryBreakdownGB.optimizer).toBeCloseTo(4 / 12, 6);
    expect(pure.memoryBreakdownGB.optimizer).toBeCloseTo((4 * 8.03e9) / 1e9, 0);
    expect(mixed.fits).toBe(false);
    expect(pure.fits).toBe(true);
    expect(pure.assumptions.find((a) => a.name === 'Fine-tuning')?.value).toContain('AdamW in pure bf16');
  });

  it("the issue's example answers fit, time and cost on one GPU, priced at the cheapest listed rental, and in one line with --brief", async () => {
    const args = ['estimate', '--model', 'llama3-8b', '--finetune', 'qlora', '--gpu', 'rtx4090', '--examples', '50k', '--avg-len', '512', '--epochs', '3'];
    const table = await cli(args);
    expect(table.code, table.err).toBe(0);
    // Not the GPT-3 article's 1,024 GPUs, and not "(modified)": --avg-len sets the examples' length, not the model's.
    expect(table.out).toMatch(/^Llama 3 8B · 76\.8M tokens · 1 × NVIDIA GeForce RTX 4090/);
    expect(table.out).toMatch(/Memory per GPU .* fits/);
    expect(table.out).toMatch(/Fine-tuning +QLoRA: rank 64/);
    expect(table.out).toMatch(/Cost +│ \$[\d.]+/);
    expect(table.out).toMatch(/the cheapest listed on-demand rental of rtx-4090/);
    // A model's pre-training run is no yardstick for fine-tuning it.
    expect(table.out).not.toMatch(/Published run/);
    const json = await estimateJson<Est & { gpus: number; pricePerGpuHourUsd: number; published: unknown }>(args.slice(1));
    expect(json.gpus).toBe(1);
    expect(json.published).toBeNull();
    expect(json.costUsd).toBeCloseTo(json.pricePerGpuHourUsd * (json as unknown as { gpuHours: number }).gpuHours, 9);
    const brief = await cli([...args, '--brief']);
    expect(brief.out).toMatch(/^Llama 3 8B, 76\.8M tokens on 1 × rtx-4090: [\d.]+ days .*\$[\d.]+/);
    expect(brief.out.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['--finetune', 'lora'], /needs the fine-tuning data/],
    [['--lora-rank', '8', '--tokens', '1B'], /--lora-rank needs --finetune/],
    [['--finetune', 'lora', '--examples', '10k'], /--examples and --avg-len go together/],
    [['--finetune', 'lora', '--tokens', '1B', '--examples', '10k', '--avg-len', '512'], /--tokens and --examples cannot be used together/],
    [['--finetune', 'lora', '--tokens', '1B', '--quant', 'nf4'], /--quant applies to --finetune qlora only/],
    [['--finetune', 'lora', '--examples', '10k', '--avg-len', '512', '--padded'], /--padded needs --seq-len/],
    [['--finetune', 'lora', '--examples', '10k', '--avg-len', '512', '--seq-len', '256', '--padded'], /--seq-len 256 is shorter than --avg-len 512/],
    [['--finetune', 'lora', '--tokens', '1B', '--padded'], /--padded needs the dataset as --examples and --avg-len/],
    [
      ['--finetune', 'lora', '--tokens', '1B', '--gradient-checkpointing', '--recompute', 'none'],
      /--recompute and --gradient-checkpointing cannot be used together/,
    ],
  ])('%j: one line, exit 2', async (args, message) => {
    const { code, err } = await cli(['estimate', '--model', 'llama2-7b', '--gpu', 'a100', ...args]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('a model given by its parameter count alone has nowhere to put adapters: exit 2', async () => {
    const { code, err } = await cli(['estimate', '--params', '7B', '--gpu', 'a100', '--finetune', 'qlora', '--tokens', '1B']);
    expect(code).toBe(2);
    expect(err).toMatch(/needs the model's architecture/);
  });
});

describe('compare --finetune', () => {
  it('without --gpu compares the cards people fine-tune on, one GPU each, each priced at its cheapest listed rental', async () => {
    type Doc = { estimates: { gpu: string; gpus: number; fits: boolean; costUsd: number | null }[] };
    const { code, json } = await cliJson<Doc>(['compare', '--model', 'llama3-8b', '--finetune', 'qlora', '--examples', '50k', '--avg-len', '512']);
    expect(code).toBe(0);
    expect(json.estimates.map((e) => e.gpu)).toEqual(FINETUNE_COMPARE_GPUS);
    for (const e of json.estimates) expect(e.gpus).toBe(1);
    expect(json.estimates.find((e) => e.gpu === 'rtx-4090')?.costUsd).toBeGreaterThan(0);
  });

  it('without --gpus shows a card one of which cannot hold the fine-tune at the fewest that can, says so, and prices it with its caveat', async () => {
    type Doc = {
      estimates: {
        gpu: string;
        gpus: number;
        fits: boolean;
        costUsd: number | null;
        assumptions: { name: string; origin: string }[];
        warnings: { code: string }[];
      }[];
    };
    const args = ['compare', '--model', 'llama3-70b', '--finetune', 'qlora', '--dataset-tokens', '20M', '--gpu', 'rtx4090,l40s,h100'];
    const { code, json } = await cliJson<Doc>(args);
    expect(code).toBe(0);
    const [rtx, l40s, h100] = json.estimates;
    expect([rtx?.gpus, l40s?.gpus, h100?.gpus]).toEqual([4, 2, 1]);
    for (const e of json.estimates) expect(e.fits, e.gpu).toBe(true);
    expect(rtx?.assumptions.find((a) => a.name === 'GPUs')?.origin).toBe(FEWEST_THAT_FIT_ORIGIN);
    // RunPod's list does not say its pods reach three RTX 4090: priced, with PRICE_REACH_UNKNOWN.
    expect(rtx?.costUsd).toBeGreaterThan(0);
    expect(rtx?.warnings.map((w) => w.code)).toContain('PRICE_REACH_UNKNOWN');
    const table = await cli(args.filter((a) => a !== '--format'));
    expect(table.out.replace(/\s+/g, ' ')).toMatch(/each is shown at the fewest that do: 4 × rtx-4090, 2 × l40s\./);
    // With --gpus the counts are the user's, and one that does not fit says so.
    const given = await cliJson<Doc>([...args, '--gpus', '1']);
    expect(given.json.estimates.map((e) => [e.gpus, e.fits])).toEqual([
      [1, false],
      [1, false],
      [1, true],
    ]);
  });
});

describe('plan --finetune', () => {
  // 2.5 hours until eager PyTorch's attention was timed as FlashAttention-2's: two cards then took 2.52.
  it('counts GPUs one at a time, not in whole 8-GPU nodes: two RTX 4090 meet a 3-hour deadline one cannot', async () => {
    const args = ['plan', '--model', 'llama3-8b', '--finetune', 'qlora', '--gpu', 'rtx4090', '--examples', '50k', '--avg-len', '512', '--format', 'json'];
    const two = await cli([...args, '--deadline', '3h']);
    expect(two.code, two.err).toBe(0);
    const plan = JSON.parse(two.out) as { plans: { gpus: number; wallClockDays: number }[] };
    expect(plan.plans[0]?.gpus).toBe(2);
    expect((plan.plans[0]?.wallClockDays as number) * 24).toBeLessThanOrEqual(3);
  });
});

describe('plan --finetune with a budget', () => {
  it('the dataset fixes the tokens as --tokens does: the budget is a limit, with a verdict (exit 1 over it, 0 within)', async () => {
    const args = ['plan', '--model', 'llama3-8b', '--finetune', 'qlora', '--gpu', 'rtx4090', '--examples', '50k', '--avg-len', '512', '--price', '0.5'];
    const over = await cli([...args, '--budget', '0.1', '--brief']);
    expect(over.code).toBe(1);
    expect(over.out).toMatch(/NOT FEASIBLE on rtx-4090: the run costs \$[\d,.]+ on 1 × rtx-4090, over the \$0\.1 budget/);
    expect(over.err.trim().split('\n')).toHaveLength(1);
    const within = await cli([...args, '--budget', '100', '--brief']);
    expect(within.code, within.err).toBe(0);
  });
});

describe('memory --finetune', () => {
  it('says what each part holds: a frozen NF4 base, adapter gradients, paged optimizer state', async () => {
    const { code, out } = await cli([
      'memory',
      '--model',
      'llama3-70b',
      '--finetune',
      'qlora',
      '--gpu',
      'l40s',
      '--gpus',
      '1',
      '--examples',
      '1k',
      '--avg-len',
      '512',
      '--wide',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/Weights +│ +[\d.]+ │ frozen base in NF4 \(4\.127 bits\) \+ 16-bit adapters/);
    expect(out).toMatch(/Gradients +│ +[\d.]+ │ 16-bit \(adapters only\)/);
    expect(out).toMatch(/Optimizer state +│ +0 │ paged AdamW/);
    // The How note describes a frozen base, not pre-training's 16 bytes a parameter.
    expect(out).toMatch(/Model state is the frozen base as stored/);
    expect(out).not.toMatch(/Note: price:/);
  });

  it('needs no data: memory does not depend on the tokens, and the JSON is the same with or without them', async () => {
    const args = ['memory', '--model', 'llama3-8b', '--finetune', 'qlora', '--gpu', 'rtx4090', '--format', 'json'];
    const bare = await cliJson<{ memoryPerGpuGB: number; plan: unknown }>(args);
    expect(bare.code, bare.err).toBe(0);
    const withData = await cliJson<{ memoryPerGpuGB: number; plan: unknown }>([...args, '--dataset-tokens', '10M']);
    expect(bare.json.memoryPerGpuGB).toBe(withData.json.memoryPerGpuGB);
    expect(bare.json.plan).toEqual(withData.json.plan);
  });

  it("says the sequence length and where it came from: TRL's 1,024 for a fine-tune unless --seq-len or --avg-len, the preset's for pre-training", async () => {
    type E = { assumptions: { name: string; value: string; origin: string }[] };
    const seq = (e: E) => e.assumptions.find((a) => a.name === 'Sequence length');
    const finetune = await estimateJson<E>(['--model', 'llama3-8b', '--finetune', 'qlora', '--gpu', 'rtx4090', '--tokens', '1e8']);
    expect(seq(finetune)).toMatchObject({ value: '1,024 tokens', origin: FINETUNE_SEQ_LEN_ORIGIN });
    const pretraining = await estimateJson<E>(['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '8', '--tokens', '1e9']);
    expect(seq(pretraining)).toMatchObject({ value: '8,192 tokens', origin: 'preset llama3-8b (its training sequence length)' });
    // A model trained on sequences no longer than that keeps its own.
    const gpt2 = await estimateJson<E>(['--model', 'gpt2-124m', '--finetune', 'full', '--gpu', 'rtx4090', '--tokens', '1e8']);
    expect(seq(gpt2)).toMatchObject({ value: '1,024 tokens', origin: 'preset gpt2-124m (its training sequence length)' });
    const avg = await estimateJson<E>(['--model', 'llama3-8b', '--finetune', 'qlora', '--gpu', 'rtx4090', '--examples', '50k', '--avg-len', '512']);
    expect(seq(avg)).toMatchObject({ value: '512 tokens', origin: 'flag --avg-len (one example per sequence)' });
    const flag = await estimateJson<E>(['--model', 'llama3-8b', '--gpu', 'h100', '--gpus', '8', '--seq-len', '4096']);
    expect(seq(flag)).toMatchObject({ value: '4,096 tokens', origin: 'flag --seq-len' });
  });

  it('MEMORY_TIGHT hints only at what the layout has not already done', async () => {
    type E = { plan: { recompute: string; microBatch: number }; warnings: { code: string; message: string }[] };
    const tight = (e: E) => e.warnings.find((w) => w.code === 'MEMORY_TIGHT')?.message ?? '';
    const qlora = ['--model', 'llama3-8b', '--finetune', 'qlora', '--gpu', 'rtx4090'];
    const lean = await estimateJson<E>([...qlora, '--tokens', '1e8', '--seq-len', '8192', '--no-peft-prepare']);
    expect(lean.plan).toMatchObject({ recompute: 'full', microBatch: 1 });
    expect(tight(lean)).toMatch(/a shorter --seq-len, more GPUs or a GPU with more memory leaves room$/);
    const fixed = [...qlora, '--examples', '50k', '--avg-len', '512', '--micro-batch', '2', '--recompute', 'none'];
    const roomy = await estimateJson<E>(fixed);
    expect(tight(roomy)).toMatch(/--recompute full or a smaller --micro-batch leaves room$/);
    // Recomputation fixed at full by the user: only the micro-batch is left to hint at.
    const recomputed = await estimateJson<E>([...qlora, '--examples', '50k', '--avg-len', '512', '--micro-batch', '10', '--recompute', 'full']);
    expect(recomputed.plan).toMatchObject({ recompute: 'full', microBatch: 10 });
    expect(tight(recomputed)).toMatch(/: a smaller --micro-batch leaves room$/);
  });
});
