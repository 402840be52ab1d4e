// Issue 19, quick answers: --brief prints one line per answer, --output's extension picks the
// format, and a model's folder (holding config.json) works as --model.
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { TEST_TODAY, cli } from '../helpers/cli.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'hf');
const scratch = (): string => mkdtempSync(join(tmpdir(), 'gpucost-quick-'));
/** The CLI run in `cwd`, as a user in that folder would. */
async function cliIn(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ env: { NO_COLOR: '1' }, today: TEST_TODAY, cwd });
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

describe('--brief', () => {
  it('estimate: one line with model, tokens, GPUs, days and range, GPU-hours, cost and where the price is from', async () => {
    const { code, out } = await cli(['estimate', '--model', 'llama3-8b', '--tokens', '15T', '--gpus', '512', '--gpu', 'h100', '--provider', 'aws', '--brief']);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^Llama 3 8B, 15T tokens on 512 × h100-sxm: [\d.]+ days \([\d.]+–[\d.]+\), [\d.]+k GPU-h, \$[\d.]+M \(aws on-demand\), fits in [\d.]+ of 80 GB a GPU\n$/,
    );
  });

  it('compare: one line per row; a row that does not fit opens with NOT FEASIBLE and the check, before any figure', async () => {
    const { code, out } = await cli(['compare', '--gpu', 'v100,h100', '--gpus', '8,1024', '--brief']);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/on 8 × v100-sxm2-32gb: NOT FEASIBLE: OOM: DOES NOT FIT: .*; as if it could run: [\d,.]+ days/);
    expect(lines[3]).toMatch(/on 1024 × h100-sxm: [\d.]+ days/);
    expect(lines[3]).not.toMatch(/FEASIBLE/);
  });

  it('estimate that cannot run: the table opens with the verdict, and the line with NOT FEASIBLE', async () => {
    const args = ['estimate', '--model', 'llama3-8b', '--finetune', 'full', '--gpu', 'rtx4090', '--examples', '10k', '--avg-len', '512'];
    const table = await cli([...args, '--wide']);
    expect(table.code).toBe(0);
    const firstResult = table.out.split('\n').find((l) => l.startsWith('│') && !l.includes('Result'));
    expect(firstResult).toMatch(/^│ Verdict +│ NOT FEASIBLE: OOM: DOES NOT FIT: Llama 3 8B on 1 × rtx-4090 needs/);
    const brief = await cli([...args, '--brief']);
    expect(brief.out).toMatch(/^Llama 3 8B, 5\.12M tokens on 1 × rtx-4090: NOT FEASIBLE: OOM: .*; as if it could run: [\d.]+ days/);
    const fits = await cli(['estimate', '--model', 'llama3-8b', '--finetune', 'qlora', '--gpu', 'rtx4090', '--examples', '10k', '--avg-len', '512', '--wide']);
    expect(fits.out).not.toMatch(/Verdict|FEASIBLE/);
  });

  it('plan: the line for the chosen size, or NOT FEASIBLE with why (and exit 1)', async () => {
    const ok = await cli(['plan', '--deadline', '30d', '--brief']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^Plan \(within 30 days\): GPT-3 175B, 300B tokens on \d+ × a100-sxm4-80gb: /);
    const no = await cli(['plan', '--deadline', '1h', '--gpu', 'v100', '--brief']);
    expect(no.code).toBe(1);
    expect(no.out).toMatch(/^Plan \(within 60 min\): NOT FEASIBLE on v100-sxm2-32gb: no GPU count from 112 to 1,048,576 meets/);
  });

  it('--brief with another --format is refused naming both; --format brief is the same as --brief', async () => {
    const both = await cli(['estimate', '--brief', '--format', 'json']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--brief and --format json cannot be used together/);
    expect((await cli(['estimate', '--format', 'brief'])).out).toBe((await cli(['estimate', '--brief'])).out);
  });
});

describe('the --output extension chooses the format when --format is not given', () => {
  it.each([
    ['plan.json', (t: string) => expect(JSON.parse(t).schemaVersion).toBe(3)],
    ['plan.csv', (t: string) => expect(t).toMatch(/^model,gpu,gpus,/)],
    ['plan.md', (t: string) => expect(t).toMatch(/^## .*\n\n\| /)],
    ['plan.yaml', (t: string) => expect(t).toMatch(/^schemaVersion: 3\n/)],
    ['plan.YML', (t: string) => expect(t).toMatch(/^schemaVersion: 3\n/)],
    ['plan.txt', (t: string) => expect(t).toMatch(/│/)],
  ])('estimate -o %s', async (name, check) => {
    const dir = scratch();
    const { code, err } = await cliIn(dir, ['estimate', '-o', name]);
    expect(code, err).toBe(0);
    check(readFileSync(join(dir, name), 'utf8'));
  });

  it('compare -o chart.svg draws the chart; estimate -o chart.svg is refused before anything is written', async () => {
    const dir = scratch();
    expect((await cliIn(dir, ['compare', '--gpu', 'a100,h100', '--gpus', '8..64', '-o', 'chart.svg'])).code).toBe(0);
    expect(readFileSync(join(dir, 'chart.svg'), 'utf8')).toMatch(/^<svg/);
    const refused = await cliIn(dir, ['estimate', '-o', 'nope.svg']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/asks for svg by its extension, which estimate does not write/);
  });

  it('an explicit --format wins over the extension', async () => {
    const dir = scratch();
    expect((await cliIn(dir, ['estimate', '--format', 'csv', '-o', 'data.json'])).code).toBe(0);
    expect(readFileSync(join(dir, 'data.json'), 'utf8')).toMatch(/^model,/);
  });
});

describe('a model folder as --model', () => {
  const folder = (): string => {
    const dir = scratch();
    mkdirSync(join(dir, 'Llama-2-7b-hf'));
    cpSync(join(fixtures, 'llama2-7b', 'config.json'), join(dir, 'Llama-2-7b-hf', 'config.json'));
    mkdirSync(join(dir, 'empty'));
    return dir;
  };

  it.each(['Llama-2-7b-hf', './Llama-2-7b-hf', 'Llama-2-7b-hf/'])('--model %s reads the config.json inside', async (model) => {
    const dir = folder();
    const byFile = await cliIn(dir, ['estimate', '--model', 'Llama-2-7b-hf/config.json', '--tokens', '2T', '--format', 'json']);
    const byFolder = await cliIn(dir, ['estimate', '--model', model, '--tokens', '2T', '--format', 'json']);
    expect(byFolder.code, byFolder.err).toBe(0);
    expect(JSON.parse(byFolder.out).estimates[0].params).toBe(JSON.parse(byFile.out).estimates[0].params);
  });

  it('a folder without config.json is one line, exit 2; a bare name that is no folder stays a preset id', async () => {
    const dir = folder();
    const empty = await cliIn(dir, ['estimate', '--model', './empty']);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/\.\/empty is a directory without a config\.json/);
    expect((await cliIn(dir, ['estimate', '--model', 'llama2-7b'])).code).toBe(0);
  });
});
