import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibratedUtilization } from '../../src/core/calibration.js';
import { cli } from '../helpers/cli.js';
import { gpuYaml, userDir } from '../helpers/user-presets.js';

const root = join(import.meta.dirname, '..', '..');

const myGpu = gpuYaml('my-gpu', 'My Accelerator');

describe('user presets', () => {
  it('--presets DIR adds a GPU usable in estimate', async () => {
    const dir = userDir({ 'gpus/my-gpu.yaml': myGpu });
    const { code, out, err } = await cli(['estimate', '--presets', dir, '--gpu', 'my-gpu', '--format', 'json']);
    expect(code, err).toBe(0);
    // The user's GPU is a Hopper part: it takes Hopper's calibrated default utilisation.
    expect(JSON.parse(out).estimates[0].tflopsPerGpu).toBeCloseTo(500 * calibratedUtilization('hopper').value, 9);
  });

  it('GPUCOST_PRESETS (a path list) overrides a bundled preset by id', async () => {
    const override = myGpu.replace('id: my-gpu', 'id: h100-sxm').replace('bf16: 500', 'bf16: 1000');
    const dir = userDir({ 'gpus/h100.yaml': override });
    const other = userDir({ 'gpus/my-gpu.yaml': myGpu });
    const { code, out } = await cli(['estimate', '--gpu', 'h100-sxm', '--format', 'json'], { GPUCOST_PRESETS: `${other}:${dir}` });
    expect(code).toBe(0);
    expect(JSON.parse(out).estimates[0].peakTflopsPerGpu).toBe(1000);
    const mine = await cli(['estimate', '--gpu', 'my-gpu', '--format', 'json'], { GPUCOST_PRESETS: `${other}:${dir}` });
    expect(mine.code).toBe(0);
  });

  it('a questionable user preset is accepted with a warning on stderr, tagged with its code as errors are', async () => {
    const dir = userDir({ 'gpus/my-gpu.yaml': myGpu.replace('denseTflops: {bf16: 500}', 'denseTflops: {bf16: 500, fp8: 400}') });
    const { code, err } = await cli(['estimate', '--presets', dir, '--gpu', 'my-gpu']);
    expect(code).toBe(0);
    expect(err).toMatch(/^gpucost: warning\[PRESET_PEAK_ORDER\] .*gpus\/my-gpu\.yaml:\d+:\d+ denseTflops\.fp8: fp8 peak below bf16 peak; check the figures\n$/);
  });

  it('a broken user preset stops the run with file:line:col, exit 2', async () => {
    const dir = userDir({ 'gpus/bad.yaml': myGpu.replace('memoryGB: 96', 'memoryGB: lots') });
    const { code, err } = await cli(['estimate', '--presets', dir, '--gpu', 'my-gpu']);
    expect(code).toBe(2);
    expect(err).toMatch(/gpus\/bad\.yaml:7:11 memoryGB: /);
  });

  it('a missing directory is one line', async () => {
    const { code, err } = await cli(['estimate', '--presets', '/no/such/dir']);
    expect(code).toBe(2);
    expect(err).toMatch(/preset directory \/no\/such\/dir does not exist/);
  });
});

describe('gpucost presets validate', () => {
  it('accepts every bundled preset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-v-'));
    cpSync(join(root, 'presets'), dir, { recursive: true });
    const files = ['gpus/h100-sxm.yaml', 'models/gpt3-175b.yaml', 'scenarios/gpt3-article.yaml'].map((f) => join(dir, f));
    const { code, out } = await cli(['presets', 'validate', ...files]);
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(3);
  });

  it('reports every problem as file:line:col field: message and exits 2', async () => {
    const bad = join(root, 'tests', 'fixtures', 'presets', 'invalid', 'gpus', 'bad.yaml');
    const { code, err } = await cli(['presets', 'validate', bad]);
    expect(code).toBe(2);
    const lines = err.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(line).toMatch(/bad\.yaml:\d+:\d+ [\w.]+: /);
  });

  it('accepts a questionable file, naming the warning and its code after the message', async () => {
    const dir = userDir({ 'gpus/my-gpu.yaml': myGpu.replace('denseTflops: {bf16: 500}', 'denseTflops: {bf16: 500, fp32: 600}') });
    const { code, out, err } = await cli(['presets', 'validate', join(dir, 'gpus', 'my-gpu.yaml')]);
    expect(code).toBe(0);
    expect(out).toMatch(/my-gpu\.yaml: ok \(gpu\)/);
    expect(err).toMatch(/my-gpu\.yaml:\d+:\d+ denseTflops\.bf16: bf16 peak below fp32 peak; check the figures \(warning\[PRESET_PEAK_ORDER\]\)\n$/);
  });

  it('a run with its architecture inline, outside a runs/ folder, is checked as a run, not as a model', async () => {
    const run = readFileSync(join(root, 'presets', 'runs', 'starcoderbase-15b.yaml'), 'utf8');
    const dir = userDir({ 'starcoder.yaml': run });
    const { code, out, err } = await cli(['presets', 'validate', join(dir, 'starcoder.yaml')]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/starcoder\.yaml: ok \(run\)/);
  });

  it('a file of unknown kind outside a kind folder is refused', async () => {
    const dir = userDir({ 'thing.yaml': 'hello: world\n' });
    const { code, err } = await cli(['presets', 'validate', join(dir, 'thing.yaml')]);
    expect(code).toBe(2);
    expect(err).toMatch(/cannot tell the preset kind/);
  });
});
