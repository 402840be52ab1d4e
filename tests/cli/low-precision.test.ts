// MXFP8 and NVFP4 (issue 15, item 6: "and mxfp8/fp4 where a preset has the peak"): the weight GEMMs at
// the low-precision peak with their block scales, attention and the rest in BF16, as for FP8; only
// GPUs that run the format natively (Blackwell data-centre parts) have the peak.
import { describe, expect, it } from 'vitest';
import { FP8_GAIN_OVER_BF16 } from '../../src/core/calibration.js';
import { LOW_PRECISION_INPUT_BYTES } from '../../src/resolve/layout.js';
import { cli, estimateJson } from '../helpers/cli.js';

type Est = { wallClockDays: number; utilization: number; precision: string; warnings: { code: string; message: string; detail?: Record<string, unknown> }[] };
const on = (gpu: string, precision: string, more: string[] = []) =>
  estimateJson<Est>(['--model', 'llama3-70b', '--tokens', '15T', '--gpu', gpu, '--gpus', '1024', '--precision', precision, ...more]);
const codes = (e: Est) => e.warnings.map((w) => w.code);

describe('--precision mxfp8 and fp4', () => {
  it('block scales count in the GEMM inputs: FP8 1 byte, MXFP8 1 + 1/32, NVFP4 1/2 + 1/16', () => {
    expect(LOW_PRECISION_INPUT_BYTES).toEqual({ fp8: 1, mxfp8: 1 + 1 / 32, fp4: 0.5625 });
  });

  it('Llama 3 70B on 1,024 B200: FP4 is the fastest, but gains over FP8 far less than its 2× peak; MXFP8 sits within a few percent of FP8', async () => {
    const [bf16, fp8, mxfp8, fp4] = await Promise.all(['bf16', 'fp8', 'mxfp8', 'fp4'].map((p) => on('b200', p)));
    const days = (e: Est | undefined) => e?.wallClockDays as number;
    expect(days(fp4)).toBeLessThan(days(fp8));
    expect(days(fp8) / days(fp4)).toBeGreaterThan(1.1);
    expect(days(fp8) / days(fp4)).toBeLessThan(1.6);
    expect(days(bf16) / days(fp4)).toBeLessThan(2.5);
    expect(days(mxfp8)).toBeGreaterThanOrEqual(days(fp8));
    expect(days(mxfp8) / days(fp8)).toBeLessThan(1.05);
    // A rate at each precision is a fraction of that precision's peak.
    expect(fp4?.precision).toBe('fp4');
    expect(fp4?.utilization).toBeLessThan(fp8?.utilization as number);
  });

  it('LOW_PRECISION_UNMEASURED at the default and under --perf model, not for FP8 or a given rate', async () => {
    for (const p of ['mxfp8', 'fp4']) {
      expect(codes(await on('b200', p))).toContain('LOW_PRECISION_UNMEASURED');
      expect(codes(await on('b200', p, ['--perf', 'model']))).toContain('LOW_PRECISION_UNMEASURED');
      expect(codes(await on('b200', p, ['--mfu', '0.2']))).not.toContain('LOW_PRECISION_UNMEASURED');
    }
    expect(codes(await on('b200', 'fp8'))).not.toContain('LOW_PRECISION_UNMEASURED');
    // MXFP8 has torchao's power-limited B200 rows behind it now; the message says what they showed.
    const mx = (await on('b200', 'mxfp8')).warnings.find((w) => w.code === 'LOW_PRECISION_UNMEASURED');
    expect(mx?.message).toMatch(/the only MXFP8 training throughput .* power-limited B200, ran 2\.4–2\.5× below the step-time model/);
  });

  it('without an architecture the default takes FP8’s measured gain, and says no fp4 pairs are measured', async () => {
    type WithOrigin = Est & { tflopsPerGpu: number; assumptions: { name: string; origin: string }[] };
    const e = await estimateJson<WithOrigin>(['--params', '70B', '--gpu', 'b200', '--gpus', '1024', '--precision', 'fp4']);
    const bf16 = await estimateJson<WithOrigin>(['--params', '70B', '--gpu', 'b200', '--gpus', '1024']);
    expect(e.tflopsPerGpu / bf16.tflopsPerGpu).toBeCloseTo(FP8_GAIN_OVER_BF16, 9);
    expect(e.assumptions.find((a) => a.name === 'Throughput per GPU')?.origin).toMatch(/no fp4 pairs are measured/);
  });

  it('a GPU without the format has no peak for it: one line, exit 2 (Hopper runs neither)', async () => {
    for (const [gpu, p] of [
      ['h100', 'fp4'],
      ['h100', 'mxfp8'],
      ['h200', 'fp4'],
    ] as const) {
      const r = await cli(['estimate', '--gpu', gpu, '--precision', p]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`has no ${p} peak; choose --precision from:`));
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('--fp8-params (FP8 weights between steps)', () => {
  type Mem = { fits: boolean; fp8Params: boolean; memoryBreakdownGB: { weights: number; gradients: number; optimizer: number } };
  // MLPerf Training v5.0, Nebius 64 × 8 H200, Llama 3.1 405B: this layout ran with FP8_PARAMS on
  // (presets/throughput/mlperf-llama31-405b.yaml).
  const nebius = [
    '--model',
    'llama3.1-405b',
    '--gpu',
    'h200',
    '--gpus',
    '512',
    '--tp',
    '4',
    '--pp',
    '8',
    '--cp',
    '2',
    '--virtual-stages',
    '8',
    '--micro-batch',
    '1',
    '--recompute',
    'none',
    '--global-batch',
    '1152',
    '--zero',
    '1',
    '--precision',
    'fp8',
  ];

  /** With --fp8-params the weights shrink to between half and `high` of themselves; nothing else in the breakdown moves. */
  async function expectOnlyWeightsHalved(args: string[], high: number): Promise<[Mem, Mem]> {
    const [plain, fp8] = await Promise.all([estimateJson<Mem>(args), estimateJson<Mem>([...args, '--fp8-params'])]);
    expect([plain.fp8Params, fp8.fp8Params]).toEqual([false, true]);
    const ratio = fp8.memoryBreakdownGB.weights / plain.memoryBreakdownGB.weights;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(high);
    const { weights: _a, ...rest } = plain.memoryBreakdownGB;
    const { weights: _b, ...restFp8 } = fp8.memoryBreakdownGB;
    expect(restFp8).toEqual(rest);
    return [plain, fp8];
  }

  it('halves the transformer layers’ weight memory (the embedding stays 16-bit), not the gradients or optimizer state', async () => {
    await expectOnlyWeightsHalved(nebius, 0.53);
  });

  it("a layout MLPerf's H200 submission ran does not fit gpucost's estimate with 16-bit weights, and fits with FP8 weights, as its config had them", async () => {
    expect((await estimateJson<Mem>(nebius)).fits).toBe(false);
    expect((await estimateJson<Mem>([...nebius, '--fp8-params'])).fits).toBe(true);
  });

  it('needs an FP8 precision, and with fine-tuning a LoRA base: one line, exit 2', async () => {
    const finetune = ['estimate', '--model', 'llama3-8b', '--dataset-tokens', '1e8', '--precision', 'fp8', '--gpu', 'h100', '--fp8-params'];
    for (const args of [
      ['estimate', '--fp8-params'],
      ['estimate', '--model', 'llama3-8b', '--finetune', 'lora', '--dataset-tokens', '1e8', '--gpu', 'h100', '--fp8-params'],
      [...finetune, '--finetune', 'qlora'],
      [...finetune, '--finetune', 'full'],
    ]) {
      const { code, out, err } = await cli(args);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/--fp8-params/);
    }
  });

  // MLPerf Training's Llama 2 70B LoRA builds its frozen base in FP8 whenever it trains in FP8 (NVIDIA's
  // NeMo code, v5.1: custom_llama.py configures the model under te.fp8_model_init; presets/finetune/).
  describe('with --finetune lora: the frozen base in FP8', () => {
    type Lora = Mem & { finetune: { base: string }; layoutStepSeconds: number; memoryBreakdownGB: { activations: number } };
    const lora = ['--model', 'llama2-70b', '--finetune', 'lora', '--lora-rank', '16', '--lora-targets', 'attn', '--gpu', 'h100', '--gpus', '8'];
    const mlperf = [...lora, '--seq-len', '8192', '--precision', 'fp8', '--tp', '4', '--pp', '1', '--zero', '1', '--micro-batch', '1'];
    const timed = [...mlperf, '--global-batch', '8', '--recompute', 'none', '--dataset-tokens', '1e8', '--perf', 'model'];

    it('halves the base’s linear layers (the embedding and output head stay 16-bit); adapters, their state and activations are unchanged', async () => {
      // Llama 2 70B: 1.05B of its 68.98B parameters are the embedding and head.
      const [plain, fp8] = await expectOnlyWeightsHalved(timed, 0.52);
      expect((fp8 as Lora).finetune.base).toBe('fp8');
      expect((plain as Lora).finetune.base).toBe('bf16');
    });

    it('costs no dequantisation: FP8 GEMMs read the stored weights, so the ZeRO-1 step is the 16-bit base’s', async () => {
      const [plain, fp8] = await Promise.all([estimateJson<Lora>(timed), estimateJson<Lora>([...timed, '--fp8-params'])]);
      expect(fp8.layoutStepSeconds).toBeCloseTo(plain.layoutStepSeconds, 9);
    });

    it('the memory table says how the base is held', async () => {
      const { code, out } = await cli(['memory', ...mlperf, '--fp8-params']);
      expect(code).toBe(0);
      expect(out).toMatch(/frozen base in FP8 \(--fp8-params; embedding 16-bit\) \+ 16-bit/);
    });
  });

  it('ZeRO-3 gathers FP8 weights: the step is shorter than with 16-bit gathers', async () => {
    type Step = { layoutStepSeconds: number };
    const fsdp = [
      '--model',
      'llama3-70b',
      '--gpu',
      'h100',
      '--gpus',
      '512',
      '--zero',
      '3',
      '--tp',
      '1',
      '--pp',
      '1',
      '--micro-batch',
      '1',
      '--precision',
      'fp8',
      '--perf',
      'model',
    ];
    const [plain, fp8] = await Promise.all([estimateJson<Step>(fsdp), estimateJson<Step>([...fsdp, '--fp8-params'])]);
    expect(fp8.layoutStepSeconds).toBeLessThan(plain.layoutStepSeconds);
  });
});
