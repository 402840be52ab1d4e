// The library API returns what the CLI's JSON output prints, and the README's example runs against
// the built package as a user would import it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, estimate, GpucostError, loadPresets, plan } from '../../src/index.js';
import { cliJson, TEST_TODAY } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const today = TEST_TODAY;

describe('library API', () => {
  it('estimate() is the JSON output of gpucost estimate', async () => {
    const cli = await cliJson(['estimate', '--model', 'llama3-70b', '--gpu', 'h100', '--gpus', '512', '--price', '2.5']);
    expect(estimate({ model: 'llama3-70b', gpu: 'h100', gpus: 512, price: 2.5 }, { today })).toEqual(cli.json);
  });

  it('estimate() takes a Hugging Face config.json path as the model, as --model does', async () => {
    const config = join('tests', 'fixtures', 'hf', 'qwen2.5-7b', 'config.json');
    const cli = await cliJson(['estimate', '--model', config, '--tokens', '1T', '--gpu', 'h100', '--gpus', '64']);
    const lib = estimate({ model: config, tokens: 1e12, gpu: 'h100', gpus: 64 }, { today });
    expect(lib).toEqual(cli.json);
    expect(lib.estimates[0].modelName).toMatch(/qwen/i);
  });

  it('compare() is the JSON output of gpucost compare, lists as arrays', async () => {
    const cli = await cliJson(['compare', '--gpu', 'a100,h100', '--gpus', '64,256', '--model', 'llama3-8b']);
    expect(compare({ model: 'llama3-8b', gpu: ['a100', 'h100'], gpus: [64, 256] }, { today })).toEqual(cli.json);
    expect(compare({}, { today })).toEqual((await cliJson(['compare'])).json);
  });

  it('plan() is the JSON output of gpucost plan, infeasible plans included', async () => {
    const cli = await cliJson(['plan', '--deadline', '30d']);
    expect(plan({ deadlineSeconds: 30 * 86400 }, { today })).toEqual(cli.json);
    const impossible = plan({ deadlineSeconds: 60, gpu: ['v100'] }, { today });
    expect(impossible.plans[0]?.feasible).toBe(false);
  });

  it('loadPresets() adds a folder of presets, and bad input throws a coded error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-lib-'));
    try {
      mkdirSync(join(dir, 'gpus'));
      const h100 = readFileSync(join(root, 'presets', 'gpus', 'h100-sxm.yaml'), 'utf8');
      writeFileSync(join(dir, 'gpus', 'my-gpu.yaml'), h100.replace(/^id: .*$/m, 'id: my-gpu').replace(/^aliases:[\s\S]*?(?=^\w)/m, ''));
      const presets = await loadPresets({ dirs: [dir] });
      expect(presets.find('gpus', 'my-gpu')?.id).toBe('my-gpu');
      expect(estimate({ gpu: 'my-gpu', gpus: 64 }, { presets, today }).estimates[0].gpu).toBe('my-gpu');
      expect(() => estimate({ gpu: 'nope' }, { presets, today })).toThrow(GpucostError);
      try {
        estimate({ gpu: 'nope' }, { today });
      } catch (e) {
        expect((e as GpucostError).code).toBe('E_UNKNOWN_PRESET');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the README's example runs against the built package (npm test builds it first)", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Library'));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toContain("from 'gpucost'");
    // A project that depends on gpucost: its node_modules/gpucost is this repository.
    const project = mkdtempSync(join(tmpdir(), 'gpucost-user-'));
    try {
      mkdirSync(join(project, 'node_modules'));
      symlinkSync(root, join(project, 'node_modules', 'gpucost'), 'dir');
      writeFileSync(join(project, 'example.mjs'), code as string);
      const r = spawnSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^\d+\.\d days, \$\d+\.\dM, fits: true\n/);
      expect(r.stdout).toMatch(/GPT-3 in 30 days: \d+ × /);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('out-of-range inputs (issue 18)', () => {
  it('estimate() and compare() throw a GpucostError instead of returning Infinity', () => {
    expect(() => estimate({ mfu: 1e-320 })).toThrow(GpucostError);
    expect(() => compare({ gpu: ['h100'], gpus: [64], mfu: 1e-320 })).toThrow(/out of range/);
  });
});
