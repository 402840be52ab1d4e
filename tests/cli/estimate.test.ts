import { describe, expect, it } from 'vitest';
import { calibratedUtilization } from '../../src/core/calibration.js';
import { cli, estimateJson, within } from '../helpers/cli.js';
import pkg from '../../package.json' with { type: 'json' };

/** Hopper's default utilisation, calibrated on its own fit runs (src/core/calibration.ts). */
const HOPPER_DEFAULT = calibratedUtilization('hopper').value;

interface Estimate {
  [key: string]: unknown;
  model: string;
  gpu: string;
  gpus: number;
  tokens: number;
  params: number;
  flopsConvention: string;
  trainingFlops: number;
  tflopsPerGpu: number;
  wallClockSeconds: number;
  wallClockDays: number;
  gpuHours: number;
  gpuYears: number;
  costUsd: number | null;
  warnings: { code: string; message: string; detail?: Record<string, unknown> }[];
}
const estimate = (args: string[]) => estimateJson<Estimate>(args);

describe('gpucost estimate', () => {
  it('with no options estimates GPT-3 175B on 1024 A100-80GB at 140 TFLOP/s: ≈34 days (Narayanan et al. 2021 §5.1)', async () => {
    const e = await estimate([]);
    expect(e).toMatchObject({ model: 'gpt3-175b', gpu: 'a100-sxm4-80gb', gpus: 1024, tokens: 300e9, flopsConvention: '8nd', tflopsPerGpu: 140, costUsd: null });
    expect(within(e.wallClockDays, 34)).toBeLessThan(0.01);
  });

  it('has every key of the JSON contract', async () => {
    const e = await estimate([]);
    for (const key of [
      'model',
      'gpu',
      'gpus',
      'tokens',
      'params',
      'flopsConvention',
      'trainingFlops',
      'tflopsPerGpu',
      'wallClockSeconds',
      'wallClockDays',
      'gpuHours',
      'gpuYears',
      'costUsd',
      'warnings',
    ]) {
      expect(e, key).toHaveProperty(key);
    }
    expect(Array.isArray(e.warnings)).toBe(true);
  });

  it('keeps its numbers consistent: days, GPU-hours, GPU-years and cost', async () => {
    const e = await estimate(['--price', '2']);
    expect(e.wallClockDays).toBeCloseTo(e.wallClockSeconds / 86400, 9);
    expect(e.gpuHours).toBeCloseTo((e.gpus * e.wallClockSeconds) / 3600, 6);
    expect(e.gpuYears).toBeCloseTo(e.gpuHours / 8760, 9);
    expect(e.costUsd).toBeCloseTo(e.gpuHours * 2, 6);
    expect(e.trainingFlops).toBeCloseTo(e.wallClockSeconds * e.gpus * e.tflopsPerGpu * 1e12, -10);
  });

  it('flags override the scenario: more GPUs, same throughput, half the time', async () => {
    const base = await estimate([]);
    const twice = await estimate(['--gpus', '2048']);
    expect(twice.tflopsPerGpu).toBe(140);
    expect(twice.wallClockSeconds).toBeCloseTo(base.wallClockSeconds / 2, 3);
  });

  it('a different GPU drops the measured 140 TFLOP/s and uses peak × default MFU', async () => {
    const e = await estimate(['--gpu', 'h100']);
    expect(e.gpu).toBe('h100-sxm');
    expect(e.tflopsPerGpu).toBeCloseTo(989.4 * HOPPER_DEFAULT, 6);
    expect(e.flopsConvention).toBe('6nd');
  });

  it('--tflops, --mfu, --precision, --flops and --params are honoured', async () => {
    expect((await estimate(['--tflops', '150'])).tflopsPerGpu).toBe(150);
    expect((await estimate(['--mfu', '50%'])).tflopsPerGpu).toBeCloseTo(156, 9);
    expect((await estimate(['--gpu', 'h100', '--precision', 'fp8', '--mfu', '0.3'])).tflopsPerGpu).toBeCloseTo(1978.9 * 0.3, 6);
    const eq3 = await estimate(['--flops', 'megatron']);
    expect(eq3.flopsConvention).toBe('megatron');
    const adHoc = await estimate(['--params', '70B', '--tokens', '2T', '--gpu', 'h100', '--gpus', '512']);
    expect(adHoc.model).toBeNull();
    expect(adHoc.trainingFlops).toBeCloseTo(6 * 70e9 * 2e12, -12);
  });

  it('accepts suffixed and scientific numbers', async () => {
    const a = await estimate(['--tokens', '3e11', '--params', '1.746e11']);
    const b = await estimate(['--tokens', '300B', '--params', '174.6B']);
    expect(a.trainingFlops).toBeCloseTo(b.trainingFlops, -8);
  });

  it('a model preset supplies its published token count', async () => {
    const e = await estimate(['--model', 'gpt3-13b']);
    expect(e.tokens).toBe(300e9);
    expect(within(e.params, 12.85e9)).toBeLessThan(0.01);
  });

  it('warns when throughput exceeds the dense peak', async () => {
    const e = await estimate(['--tflops', '400']);
    expect(e.warnings.map((w) => w.code)).toContain('TFLOPS_ABOVE_PEAK');
    expect(e.warnings.map((w) => w.message).join('\n')).toMatch(/above the 312 TFLOP\/s bf16 dense peak/);
  });

  it("runs a scenario claim: Lambda's 355 GPU-years", async () => {
    const e = await estimate(['--scenario', 'A2']);
    expect(within(e.gpuYears, 355)).toBeLessThan(0.01);
  });

  it('the table says what it computed from what', async () => {
    const { code, out } = await cli(['estimate']);
    expect(code).toBe(0);
    for (const text of ['GPT-3 175B', '1024 × NVIDIA A100 SXM4 80 GB', '33.8 days', '8nd', '140 TFLOP/s', 'scenario gpt3-article:A6', 'Assumptions']) {
      expect(out).toContain(text);
    }
    expect(out).not.toMatch(/\x1b\[/); // no colour when not a TTY
  });
});

describe('bad input: one line, exit 2, no stack', () => {
  it.each([
    [['estimate', '--gpus', 'abc'], /--gpus.*not a number/],
    [['estimate', '--gpus', '0'], /--gpus.*positive/],
    [['estimate', '--gpus', '1.5'], /--gpus.*whole number/],
    [['estimate', '--tokens', '1e400'], /--tokens.*too large/],
    [['estimate', '--mfu', '1.5'], /--mfu.*between 0 and 1/],
    [['estimate', '--precision', 'fp7'], /--precision.*one of/],
    [['estimate', '--flops', '7nd'], /--flops.*one of/],
    [['estimate', '--gpu', 'a100-81'], /unknown GPU "a100-81"/],
    [['estimate', '--gpu', 'a10080gb'], /did you mean .*a100-80gb/],
    [['estimate', '--model', 'gpt3-175'], /did you mean .*gpt3-175b/],
    [['estimate', '--gpu', 'a100', '--precision', 'fp8'], /a100-sxm4-80gb has no fp8 peak.*bf16/],
    [['estimate', '--params', '7B', '--flops', 'megatron'], /needs a model architecture/],
    [['estimate', '--bogus'], /unknown option '--bogus'/],
    [['nonsense'], /unknown command 'nonsense'/],
    [['estimate', '--scenario', 'A9'], /no claim "A9"/],
    [['estimate', '--scenario', 'A3'], /cannot be derived/],
  ])('%j', async (args, message) => {
    const { code, out, err } = await cli(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
    expect(err.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it.each([
    [
      ['estimate', '--gpus', '-5'],
      /^gpucost: error: option '-n, --gpus <n>' argument '-5' is invalid: must be a positive whole number, got -5; see gpucost estimate --help$/,
    ],
    [['estimate', '--layrs', '3'], /^gpucost: error: unknown option '--layrs' \(Did you mean --layers\?\); see gpucost estimate --help$/],
    [['bogus'], /^gpucost: error: unknown command 'bogus'; see gpucost --help$/],
  ])('a parse error is exactly one line that points at the right help: %j', async (args, line) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(line)]);
  });

  it('--debug adds the stack', async () => {
    const { code, err } = await cli(['estimate', '--gpu', 'nope', '--debug']);
    expect(code).toBe(2);
    expect(err).toMatch(/\n\s+at /);
  });
});

describe('help and version', () => {
  it.each([['--help'], ['estimate', '--help'], ['reproduce', '--help'], ['presets', 'list', '--help'], ['presets', 'show', '--help']])(
    '%j exits 0 with examples',
    async (...args) => {
      const { code, out } = await cli(args);
      expect(code).toBe(0);
      expect(out).toMatch(/Examples:/);
    },
  );

  it.each([[['--version']], [['-V']], [['--version', '--debug']]])('%j prints the package version and nothing else', async (args) => {
    const { code, out, err } = await cli(args);
    expect(code).toBe(0);
    expect(out).toBe(`${pkg.version}\n`);
    expect(err).toBe('');
  });
});
