import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { calibratedUtilization } from '../../src/core/calibration.js';
import { cli, cliJson, TEST_TODAY, within } from '../helpers/cli.js';

interface Row {
  gpu: string;
  gpus: number;
  wallClockSeconds: number;
  wallClockDays: number;
  gpuHours: number;
  costUsd: number | null;
  speedup: number;
  parallelEfficiency: number;
  scalingEfficiency: number;
  tflopsPerGpu: number;
  warnings: string[];
  claim: { id: string; deviation: number } | null;
}
const compare = async (args: string[]) => {
  const r = await cliJson<{ schemaVersion: number; estimates: Row[]; gates?: { name: string; passed: boolean }[] }>(['compare', ...args]);
  return r;
};

describe('gpucost compare', () => {
  it('with no options shows the article clusters beside its claims (A4, A5, A6 within 1%)', async () => {
    const { code, json } = await compare([]);
    expect(code).toBe(0);
    expect(json.estimates.map((e) => `${e.gpus} × ${e.gpu}`)).toEqual(['8 × v100-sxm2-32gb', '512 × v100-sxm2-32gb', '1024 × a100-sxm4-80gb']);
    expect(json.estimates.map((e) => e.claim?.id)).toEqual(['A4', 'A5', 'A6']);
    for (const e of json.estimates) expect(Math.abs(e.claim?.deviation ?? 1)).toBeLessThan(0.01);
  });

  it('the default table names what every row shares even when rows took it from different claims: model, tokens, FLOPs convention', async () => {
    const { code, out } = await cli(['compare']);
    expect(code).toBe(0);
    expect(out).toMatch(/FLOPs convention +8nd: 8 × parameters × tokens +scenario gpt3-article:A4, A5, A6/);
    expect(out).toMatch(/Training tokens +300B +scenario gpt3-article:A4, A5, A6/);
    expect(out).toContain('TFLOP/s/GPU');
  });

  it('an assumption whose value differs between rows is not listed as shared', async () => {
    const { code, out } = await cli(['compare', '--gpu', 'v100,a100', '--gpus', '64']);
    expect(code).toBe(0);
    expect(out).not.toMatch(/^ +GPU +NVIDIA/m);
  });

  it('GPU lists × count ranges give one row each, with speed-up and efficiency against the smallest count', async () => {
    const { json } = await compare(['--model', 'gpt3-13b', '--gpu', 'a100,h100', '--gpus', '8..64']);
    expect(json.estimates).toHaveLength(8);
    const a100 = json.estimates.filter((e) => e.gpu === 'a100-sxm4-80gb');
    expect(a100.map((e) => e.gpus)).toEqual([8, 16, 32, 64]);
    expect(a100.map((e) => e.speedup)).toEqual([1, 2, 4, 8].map((x) => expect.closeTo(x, 9)));
    for (const e of a100) expect(e.parallelEfficiency).toBeCloseTo(1, 9);
  });

  it("warns when a GPU's smallest count, the base of its speed-up and efficiency, does not fit in memory; not when it fits", async () => {
    const { code, out } = await cli(['compare', '--scaling', 'model']);
    expect(code).toBe(0);
    const warning = /(\S+): speed-up and efficiency are measured against (\d+) GPUs, which do not fit in memory/g;
    // The table wraps long warnings: compare the text with its line breaks undone.
    expect([...out.replace(/\s+/g, ' ').matchAll(warning)].map((m) => `${m[2]} × ${m[1]}`)).toEqual(['8 × v100-sxm2-32gb']);
    const fits = await cli(['compare', '--model', 'gpt3-13b', '--gpu', 'a100,h100', '--gpus', '8..64']);
    expect(fits.out).toContain('TFLOP/s/GPU');
    expect(fits.out.replace(/\s+/g, ' ')).not.toMatch(/speed-up and efficiency are measured against/);
  });

  it("several GPUs use one utilisation, not the scenario's measured A100 throughput", async () => {
    const { json } = await compare(['--gpu', 'a100,h100', '--gpus', '1024']);
    expect(json.estimates[0]?.tflopsPerGpu).toBeCloseTo(312 * calibratedUtilization('ampere').value, 9);
  });

  it('efficiency:0.9 keeps 0.9 per doubling beyond 8 GPUs', async () => {
    const { json } = await compare(['--model', 'gpt3-13b', '--gpu', 'h100', '--gpus', '8,16,64', '--scaling', 'efficiency:0.9']);
    expect(json.estimates.map((e) => e.scalingEfficiency)).toEqual([1, 0.9, 0.9 ** 3].map((x) => expect.closeTo(x, 12)));
    expect(json.estimates[2]?.parallelEfficiency).toBeCloseTo(0.9 ** 3, 9);
    const base = await compare(['--model', 'gpt3-13b', '--gpu', 'h100', '--gpus', '8,16,64', '--scaling', 'efficiency:0.9@16']);
    expect(base.json.estimates.map((e) => e.scalingEfficiency)).toEqual([1, 1, 0.81].map((x) => expect.closeTo(x, 12)));
  });

  it('warns once when data parallelism must outgrow the global batch (no TP × PP layout absorbs the GPUs)', async () => {
    // GPT-3 Small: 12 layers, 12 heads, batch 0.5M tokens = 2^19 = 256 sequences; TP ≤ 4 and PP ≤ 12 leave DP > 256.
    const { code, out } = await cli(['compare', '--model', 'gpt3-125m', '--gpu', 'a100', '--gpus', '128,32768,65536']);
    expect(code).toBe(0);
    const text = out.replace(/\s+/g, ' ');
    expect(text).toMatch(/32768 × a100-sxm4-80gb, 65536 × a100-sxm4-80gb: more GPUs than the global batch of 256 sequences/);
    expect(text).not.toMatch(/128 × a100-sxm4-80gb, 32768/);
    expect(text).toMatch(/65536 × a100-sxm4-80gb: no parallel layout puts GPT-3 Small \(125M\) on 65,536 GPUs/);
  });

  it('rejects bad lists in one line', async () => {
    for (const [args, message] of [
      [['--gpus', '64..8'], /runs backwards/],
      [['--gpus', '8..64*1'], /factor above 1/],
      [['--gpus', '1..2000000+1'], /more than 1000000/],
      [['--gpu', 'a100,nope'], /unknown GPU "nope"/],
      [['--scaling', 'efficiency:1.5'], /between 0 and 1/],
      [['--scaling', 'quadratic'], /linear, model, or efficiency/],
    ] as const) {
      const { code, err } = await cli(['compare', ...args]);
      expect(code, String(args)).toBe(2);
      expect(err).toMatch(message);
    }
  });
});

describe('formats', () => {
  it('CSV round-trips through a CSV parser (RFC 4180), with units in the header', async () => {
    const { code, out } = await cli(['compare', '--model', 'gpt3-13b', '--gpu', 'a100,h100', '--gpus', '8..64', '--price', '2.5', '--format', 'csv']);
    expect(code).toBe(0);
    expect(out).toMatch(/\r\n$/);
    const rows = parse(out, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(8);
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining(['wall-clock (s)', 'cost (USD)', 'GPU-hours (GPU-h)']));
    const json = (await compare(['--model', 'gpt3-13b', '--gpu', 'a100,h100', '--gpus', '8..64', '--price', '2.5'])).json;
    rows.forEach((r, i) => {
      expect(Number(r['wall-clock (s)'])).toBe(json.estimates[i]?.wallClockSeconds);
      expect(Number(r['cost (USD)'])).toBe(json.estimates[i]?.costUsd);
    });
  });

  it('CSV quotes fields with commas and quotes', async () => {
    const { out } = await cli(['reproduce', '--format', 'csv']);
    const rows = parse(out, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.claim === 'A2')?.['as stated']).toBe('Training takes 355 GPU-years ("one GPU running 355 years")');
  });

  it('output is deterministic: the same command gives the same bytes', async () => {
    for (const format of ['table', 'json', 'csv', 'markdown', 'yaml']) {
      const a = await cli(['compare', '--format', format]);
      const b = await cli(['compare', '--format', format]);
      expect(a.out).toBe(b.out);
    }
  });

  it('--output writes the file atomically and prints nothing on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-out-'));
    const file = join(dir, 'out.json');
    writeFileSync(file, 'old');
    const { code, out, err } = await cli(['compare', '--format', 'json', '--output', file]);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toMatch(/wrote .*out\.json/);
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(3);
  });

  it('--output into a missing directory fails in one line and leaves nothing behind', async () => {
    const { code, err } = await cli(['estimate', '--output', '/no/such/dir/x.json']);
    expect(code).toBe(2);
    expect(err).toMatch(/cannot write \/no\/such\/dir\/x\.json: ENOENT/);
  });

  it('svg and html are refused for commands without a chart', async () => {
    const { code, err } = await cli(['estimate', '--format', 'svg']);
    expect(code).toBe(2);
    expect(err).toMatch(/--format.*must be one of table, json, csv, markdown, yaml/);
  });

  it('--plot draws both charts with a legend', async () => {
    const { out } = await cli(['compare', '--gpu', 'a100,h100', '--gpus', '8..1024', '--price', '2', '--plot']);
    expect(out).toMatch(/Time to train: days \(log scale\)/);
    expect(out).toMatch(/Cost: USD \(log scale\)/);
    expect(out).toMatch(/● a100-sxm4-80gb\n\s+× h100-sxm/);
  });
});

describe('gates', () => {
  const args = ['--model', 'gpt3-13b', '--gpu', 'h100', '--gpus', '64,512', '--price', '3'];

  it('all gates pass: exit 0 and a gates array with passed: true', async () => {
    const { code, json } = await compare([...args, '--max-cost', '1M', '--max-days', '30', '--max-gpu-hours', '1M']);
    expect(code).toBe(0);
    expect(json.gates).toHaveLength(6);
    expect(json.gates?.every((g) => g.passed)).toBe(true);
  });

  it('a violated gate: exit 1, one stderr line per violation, data still on stdout', async () => {
    const { code, out, err } = await cli(['compare', ...args, '--max-days', '5', '--format', 'json']);
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.gates).toEqual([
      { name: 'max-days', at: 'mid', limit: 5, actual: expect.any(Number), passed: false, gpu: 'h100-sxm', gpus: 64 },
      { name: 'max-days', at: 'mid', limit: 5, actual: expect.any(Number), passed: true, gpu: 'h100-sxm', gpus: 512 },
    ]);
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^gpucost: gate failed: --max-days 5 days: 64 × h100-sxm needs 13\.\d+ days$/)]);
  });

  it("--gate-at high compares the slow, costly end of each row's range: a budget that must hold across it", async () => {
    type G = { name: string; at: string; actual: number; passed: boolean; gpus: number };
    type Row = { gpus: number; costUsd: number; costUsdHigh: number; wallClockDaysHigh: number; gpuHours: number; gpuHoursHigh: number };
    const mid = await cli(['compare', ...args, '--max-days', '20', '--format', 'json']);
    const high = await cli(['compare', ...args, '--max-days', '20', '--gate-at', 'high', '--format', 'json']);
    const rows = JSON.parse(high.out).estimates as Row[];
    const gates = JSON.parse(high.out).gates as G[];
    expect(gates.map((g) => [g.at, g.actual])).toEqual(rows.map((r) => ['high', r.wallClockDaysHigh]));
    // 64 GPUs finish in under 20 days at the estimate (13.7) but not at the slow end (24.7).
    expect(mid.code).toBe(0);
    expect(JSON.parse(mid.out).gates.find((g: G) => g.gpus === 64).passed).toBe(true);
    expect(gates.find((g) => g.gpus === 64)?.passed).toBe(false);
    expect(high.code).toBe(1);
    expect(high.err).toMatch(/--max-days 20 days: 64 × h100-sxm needs 24\.\d+ days at the slow end of its range/);
    // GPU-hours and cost at the slow end are the estimate's GPUs over the slow end's wall-clock.
    for (const r of rows) expect(r.gpuHoursHigh / r.gpuHours).toBeCloseTo(r.costUsdHigh / r.costUsd, 9);
    const alone = await cli(['estimate', '--gate-at', 'high']);
    expect(alone.code).toBe(2);
    expect(alone.err).toMatch(/--gate-at moves the --max-cost, --max-days and --max-gpu-hours gates, and none is given/);
  });

  it('estimate gates too; a cost gate without a price cannot be decided (exit 2)', async () => {
    expect((await cli(['estimate', '--price', '2', '--max-cost', '1M'])).code).toBe(1);
    expect((await cli(['estimate', '--price', '2', '--max-cost', '2M'])).code).toBe(0);
    const noPrice = await cli(['estimate', '--max-cost', '1M']);
    expect(noPrice.code).toBe(2);
    expect(noPrice.err).toMatch(/--max-cost needs a price/);
  });
});

describe('run files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpucost-run-'));
  const inDir = async (args: string[], files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const io = memoryIo({ cwd: dir, env: { NO_COLOR: '1' }, today: TEST_TODAY });
    const code = await run(args, io);
    return { code, out: io.out, err: io.err };
  };

  /** The estimate of a run file, and of the same run given as flags (one string, split on spaces). */
  async function fromFileAndFlags(file: string, flags: string): Promise<{ fromFile: Record<string, unknown>; fromFlags: Record<string, unknown> }> {
    const r = await inDir(['estimate', '--config', 'run.yaml', '--format', 'json'], { 'run.yaml': file });
    expect(r.code, r.err).toBe(0);
    const fromFlags = JSON.parse((await cli(['estimate', ...flags.split(' '), '--format', 'json'])).out).estimates[0];
    return { fromFile: JSON.parse(r.out).estimates[0], fromFlags };
  }

  it('gpucost.yaml in the current directory is used; flags override it; origins say so', async () => {
    const file = 'model: gpt3-13b\ngpu: [a100, h100]\ngpus: "64..256"\nprice: 2\ngates:\n  maxCost: 1M\n';
    const r = await inDir(['compare', '--format', 'json', '--price', '3'], { 'gpucost.yaml': file });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.estimates).toHaveLength(6);
    expect(json.estimates[0].pricePerGpuHourUsd).toBe(3);
    expect(json.gates).toHaveLength(6);
    expect(json.estimates[0].assumptions.find((a: { name: string }) => a.name === 'GPUs').origin).toBe('run file gpucost.yaml');
  });

  it('a run file takes every gate: failIfInfeasible and gateAt as well as the limits', async () => {
    const file = 'model: gpt3-13b\ngpu: h100\ngpus: "64,512"\nprice: 3\ngates:\n  maxDays: 20\n  gateAt: high\n  failIfInfeasible: true\n';
    const r = await inDir(['compare', '--format', 'json'], { 'gpucost.yaml': file });
    expect(r.code).toBe(1);
    const gates = JSON.parse(r.out).gates as { name: string; at?: string; passed: boolean }[];
    expect(gates.map((g) => `${g.name}${g.at ? `@${g.at}` : ''}:${g.passed}`)).toEqual([
      'max-days@high:false',
      'fail-if-infeasible:true',
      'max-days@high:true',
      'fail-if-infeasible:true',
    ]);
  });

  it('--config FILE with errors shows line:col for each, exit 2', async () => {
    const r = await inDir(['estimate', '--config', 'bad.yaml'], { 'bad.yaml': 'model: gpt3-13b\ngpus: "8..4"\nmfu: 2\nbogus: 1\n' });
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([
      'gpucost: error[E_PRESET_INVALID] bad.yaml:2:7 gpus: range 8..4 runs backwards',
      expect.stringMatching(/^gpucost: error\[E_PRESET_INVALID\] bad\.yaml:3:6 mfu: /),
      expect.stringMatching(/^gpucost: error\[E_PRESET_INVALID\] bad\.yaml:4:1 bogus: unknown field "bogus"/),
    ]);
  });

  it("a run file takes a fine-tune by the flags' camelCase names, and gives the same estimate as the flags", async () => {
    const { fromFile, fromFlags } = await fromFileAndFlags(
      'model: llama3-8b\nfinetune: qlora\nloraDropout: 5%\nexamples: 50k\navgLen: 512\nepochs: 3\ngpu: rtx4090\nloss: chunked\n',
      '--model llama3-8b --finetune qlora --lora-dropout 0.05 --examples 50k --avg-len 512 --epochs 3 --gpu rtx4090 --loss chunked',
    );
    expect(fromFile.finetune).toMatchObject({ mode: 'qlora', loraDropout: 0.05 });
    expect(fromFile.wallClockDays).toBe(fromFlags.wallClockDays);
    expect(fromFile.memoryPerGpuGB).toBe(fromFlags.memoryPerGpuGB);
  });

  it('a run file takes slidingWindow and slidingLayers as --sliding-window and --sliding-layers', async () => {
    const { fromFile, fromFlags } = await fromFileAndFlags(
      'model: llama3-8b\ngpu: h100\ngpus: 8\ntokens: 1B\nperf: model\nslidingWindow: 1024\nslidingLayers: 24\n',
      '--model llama3-8b --gpu h100 --gpus 8 --tokens 1B --perf model --sliding-window 1024 --sliding-layers 24',
    );
    expect(fromFile.wallClockDays).toBe(fromFlags.wallClockDays);
  });

  it('a run file takes gradBucketMib as --grad-bucket-mib, and the Collectives assumption names the file', async () => {
    const { fromFile, fromFlags } = await fromFileAndFlags(
      'model: llama3-8b\ngpu: h100\ngpus: 512\ntokens: 1T\nperf: model\nzero: 1\ngradBucketMib: 25\n',
      '--model llama3-8b --gpu h100 --gpus 512 --tokens 1T --perf model --zero 1 --grad-bucket-mib 25',
    );
    expect(fromFile.wallClockDays).toBe(fromFlags.wallClockDays);
    const origin = (e: Record<string, unknown>) => (e.assumptions as { name: string; origin: string }[]).find((a) => a.name === 'Collectives')?.origin;
    expect(origin(fromFile)).toMatch(/run file run\.yaml$/);
    expect(origin(fromFlags)).toMatch(/flag --grad-bucket-mib$/);
  });

  it.each([
    ['bnbLegacy', '--bnb-legacy', 'llama2-7b', 'none'],
    ['peftPrepare', '--peft-prepare', 'mistral-7b', 'full'],
  ])('a run file takes %s as %s', async (key, flag, model, recompute) => {
    const { fromFile, fromFlags } = await fromFileAndFlags(
      `model: ${model}\nfinetune: qlora\n${key}: true\ntokens: 1e9\ngpu: a100\nrecompute: ${recompute}\n`,
      `--model ${model} --finetune qlora ${flag} --tokens 1e9 --gpu a100 --recompute ${recompute}`,
    );
    expect(fromFile.finetune).toMatchObject({ mode: 'qlora', [key]: true });
    expect(fromFile.memoryPerGpuGB).toBe(fromFlags.memoryPerGpuGB);
  });

  it('compare --finetune --precision fp8 without --gpu keeps the default cards that have an FP8 peak; none with fp4 is one line, exit 2', async () => {
    const base = ['compare', '--model', 'llama3-8b', '--finetune', 'lora', '--dataset-tokens', '10M'];
    const r = await cliJson<{ estimates: { gpu: string }[] }>([...base, '--precision', 'fp8', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const gpus = r.json.estimates.map((e) => e.gpu);
    expect(gpus).toContain('rtx-4090');
    expect(gpus).toContain('h100-sxm');
    expect(gpus).not.toContain('rtx-3090');
    expect(gpus).not.toContain('a100-sxm4-80gb');
    const fp4 = await cli([...base, '--precision', 'fp4']);
    expect(fp4.code).toBe(2);
    expect(fp4.err).toMatch(/none of the fine-tuning cards compared by default has an fp4 peak; give --gpu/);
    // A GPU the user names is kept, and one without the peak still stops with the line that says so.
    expect((await cli([...base, '--precision', 'fp8', '--gpu', 'rtx3090,h100'])).err).toMatch(/rtx-3090 has no fp8 peak/);
  });

  it('--dataset-tokens T --epochs E (issue 20, item 1) is the dataset in tokens: T × E trained, packed; a run file takes it as datasetTokens', async () => {
    const base = ['estimate', '--model', 'llama3-8b', '--finetune', 'lora', '--gpu', 'h100', '--seq-len', '2048', '--format', 'json'];
    const r = await cli([...base, '--dataset-tokens', '25.6M', '--epochs', '3']);
    expect(r.code, r.err).toBe(0);
    const e = JSON.parse(r.out).estimates[0];
    expect(e.tokens).toBe(76.8e6);
    expect(e.assumptions.find((a: { name: string }) => a.name === 'Training tokens').origin).toBe(
      '--dataset-tokens 25600000 × --epochs 3, packed into training sequences',
    );
    // The same tokens as 50k examples of 512, packed into the same sequences.
    const examples = JSON.parse((await cli([...base, '--examples', '50k', '--avg-len', '512', '--epochs', '3'])).out).estimates[0];
    expect(e.wallClockDays).toBe(examples.wallClockDays);
    const file = 'model: llama3-8b\nfinetune: lora\ngpu: h100\nseqLen: 2048\ndatasetTokens: 25.6M\nepochs: 3\n';
    const fromFile = await inDir(['estimate', '--config', 'ds.yaml', '--format', 'json'], { 'ds.yaml': file });
    expect(fromFile.code, fromFile.err).toBe(0);
    expect(JSON.parse(fromFile.out).estimates[0].wallClockDays).toBe(e.wallClockDays);
    for (const [more, message] of [
      [['--dataset-tokens', '1M', '--examples', '5k', '--avg-len', '512'], /--dataset-tokens and --examples\/--avg-len both describe the dataset/],
      [['--dataset-tokens', '1M', '--tokens', '5M'], /--tokens and --dataset-tokens cannot be used together/],
      [['--dataset-tokens', '1M', '--padded'], /--padded needs the dataset as --examples and --avg-len/],
    ] as const) {
      const bad = await cli([...base, ...more]);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(message);
    }
  });

  it("a run file takes the step-time model and the layout by their flags' names, with the flags' result", async () => {
    const { fromFile, fromFlags } = await fromFileAndFlags(
      'model: llama3-8b\ntokens: 1T\ngpu: h100\ngpus: 64\nperf: model\ntp: 2\nmicroBatch: 2\nrecompute: selective\nzero: 1\n',
      '--model llama3-8b --tokens 1T --gpu h100 --gpus 64 --perf model --tp 2 --micro-batch 2 --recompute selective --zero 1',
    );
    expect(fromFile.plan).toMatchObject({ tp: 2, microBatch: 2, recompute: 'selective', zero: 1 });
    expect(fromFile.wallClockDays).toBe(fromFlags.wallClockDays);
  });

  it('estimate refuses a run file that lists several GPUs', async () => {
    const r = await inDir(['estimate', '--config', 'list.yaml'], { 'list.yaml': 'gpu: [a100, h100]\n' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/list\.yaml: gpu lists 2 values; estimate takes one; use gpucost compare/);
  });

  it('a run file gate fails the run like a flag', async () => {
    const r = await inDir(['estimate', '--config', 'gate.yaml'], { 'gate.yaml': 'price: 2\ngates: {maxDays: 10}\n' });
    expect(r.code).toBe(1);
    expect(within(Number(/needs ([\d.]+) days/.exec(r.err)?.[1]), 33.8)).toBeLessThan(0.01);
  });
});
