import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseCountList, parseDuration, parseMoney } from '../../src/core/parse.js';
import { parseQuantity } from '../../src/core/quantity.js';
import { COMMANDS } from '../../src/cli/main.js';
import { Context } from '../../src/cli/context.js';
import { memoryIo } from '../../src/cli/io.js';
import { CONFLICTS } from '../../src/cli/conflicts.js';
import { RunFileSchema } from '../../src/presets/schema.js';
import { closest } from '../../src/presets/suggest.js';
import { cli } from '../helpers/cli.js';

const SECONDS_PER_DAY = 86_400;

/** Every option of every command, with the command it belongs to. */
function allOptions(): { command: string; option: Option }[] {
  const ctx = new Context(memoryIo({}));
  const walk = (cmd: Command, path: string): { command: string; option: Option }[] => [
    ...cmd.options.map((option) => ({ command: path, option })),
    ...cmd.commands.flatMap((sub) => walk(sub, `${path} ${sub.name()}`)),
  ];
  return COMMANDS.flatMap(([name, make]) => walk(make(ctx), name));
}

/** An option's parser, applied as commander would (no previous value). */
const parseWith = (option: Option, text: string): unknown => (option.parseArg as (v: string, p: unknown) => unknown)(text, undefined);

/** Flags by kind, found by their value name so a new flag of a kind is covered without listing it here. */
const KIND_OF_VALUE: Record<string, 'count' | 'money' | 'duration'> = { '<n>': 'count', '<flops>': 'count', '<usd>': 'money', '<duration>': 'duration' };

describe('one grammar per kind of number', () => {
  const options = allOptions();
  const withParser = options.filter(({ option }) => option.parseArg !== undefined);

  const COUNT_SPELLINGS: [string, number][] = [
    ['7b', 7e9],
    ['7B', 7e9],
    ['1.5e12', 1.5e12],
    ['1,000,000', 1e6],
    ['1_000_000', 1e6],
    ['1.5k', 1500],
    ['1.5K', 1500],
    ['2T', 2e12],
    ['2t', 2e12],
    ['3M', 3e6],
  ];
  // Whole-number flags (--layers, --gpus) refuse 1.5 but take the same spellings of whole numbers.
  const counts = withParser.filter(({ option }) => KIND_OF_VALUE[option.flags.split(' ').at(-1) ?? ''] === 'count');

  it('finds the count flags of every command', () => {
    const names = new Set(counts.map(({ option }) => option.long));
    for (const f of ['--params', '--tokens', '--layers', '--gpus', '--tokens-per-sec', '--max-gpu-hours', '--flops-budget', '--failure-rate'])
      expect(names).toContain(f);
  });

  it.each(COUNT_SPELLINGS)('every count flag reads %s as %d', (text, value) => {
    for (const { command, option } of counts) {
      const whole = Number.isInteger(value);
      if (!whole) continue;
      expect(parseWith(option, text), `${command} ${option.long} ${text}`).toBe(value);
    }
  });

  it.each(['3m', '1,2', '12,34', '1,0000', '7x', 'lots', '-5'])('every count flag refuses %s with a one-line reason', (text) => {
    for (const { command, option } of counts) {
      if (option.long === '--gpus' && text.includes(',')) continue; // a list there: tested below
      expect(() => parseWith(option, text), `${command} ${option.long} ${text}`).toThrow(/^[^\n]+$/);
    }
  });

  it.each([
    ['$5M', 5e6],
    ['5e6', 5e6],
    ['$1.48', 1.48],
    ['2.5M', 2.5e6],
    ['$1,500,000', 1.5e6],
    ['1_500', 1500],
  ])('every money flag reads %s as %d', (text, value) => {
    const money = withParser.filter(({ option }) => option.flags.endsWith('<usd>'));
    expect(money.map(({ option }) => option.long)).toEqual(expect.arrayContaining(['--price', '--hardware-price', '--kwh-price', '--max-cost', '--budget']));
    for (const { command, option } of money) expect(parseWith(option, text), `${command} ${option.long}`).toBeCloseTo(value, 9);
  });

  it.each([
    ['2642.9ms', 2.6429],
    ['90s', 90],
    ['30min', 1800],
    ['12h', 12 * 3600],
    ['30d', 30 * SECONDS_PER_DAY],
    ['2w', 14 * SECONDS_PER_DAY],
    ['3mo', 91.25 * SECONDS_PER_DAY],
    ['1.5y', 547.5 * SECONDS_PER_DAY],
    ['1_000s', 1000],
  ])('every duration flag reads %s as %d s', (text, seconds) => {
    const durations = withParser.filter(({ option }) => option.flags.endsWith('<duration>'));
    expect(durations.map(({ option }) => option.long)).toEqual(
      expect.arrayContaining(['--deadline', '--step-time', '--restart-time', '--checkpoint-interval', '--checkpoint-time']),
    );
    for (const { command, option } of durations) expect(parseWith(option, text), `${command} ${option.long}`).toBeCloseTo(seconds, 6);
  });

  it('a duration flag named for its unit reads a bare number in that unit, and other durations converted', () => {
    const maxDays = options.find(({ option }) => option.long === '--max-days')?.option as Option;
    expect(parseWith(maxDays, '30')).toBe(30);
    expect(parseWith(maxDays, '30d')).toBe(30);
    expect(parseWith(maxDays, '4w')).toBe(28);
    expect(parseWith(maxDays, '36h')).toBe(1.5);
    const years = options.find(({ option }) => option.long === '--depreciation-years')?.option as Option;
    expect(parseWith(years, '5')).toBe(5);
    expect(parseWith(years, '60mo')).toBeCloseTo(5, 12);
  });

  it('a duration flag without a unit in its name refuses a bare number, and "m" with a hint', () => {
    expect(parseDuration('30')).toMatchObject({ ok: false, reason: expect.stringMatching(/must be a number with a unit/) });
    expect(parseDuration('3m')).toMatchObject({ ok: false, reason: expect.stringMatching(/ambiguous: use min or mo/) });
    expect(parseQuantity('3m')).toMatchObject({ ok: false, reason: expect.stringMatching(/use M for million/) });
    expect(parseMoney('-$5')).toMatchObject({ ok: false });
  });

  it('in a GPU-count list "," separates counts: 1_000 and 1k are one thousand, and 1,000 is refused with a hint', () => {
    expect(parseCountList('8,64,512')).toEqual({ ok: true, value: [8, 64, 512] });
    expect(parseCountList('1_000,2k,1k..4k')).toEqual({ ok: true, value: [1000, 2000, 4000] });
    expect(parseCountList('1,000')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/in a list "," separates counts; write one thousand as 1000, 1_000 or 1k/),
    });
  });
});

describe('run files read numbers with the flags’ grammar', () => {
  it('accepts the same spellings as the flags, YAML numbers included', () => {
    const parsed = RunFileSchema.parse({
      params: '7b',
      tokens: '1,000,000,000',
      tflops: '150',
      layers: '4k',
      mfu: '40%',
      price: '$1.48',
      kwhPrice: 0.1,
      depreciationYears: '60mo',
      restartTime: '10min',
      gates: { maxCost: '$5M', maxDays: '4w', maxGpuHours: '1.5M' },
    });
    expect(parsed).toMatchObject({ params: 7e9, tokens: 1e9, tflops: 150, layers: 4000, mfu: 0.4, price: 1.48, kwhPrice: 0.1, restartTime: 600 });
    expect(parsed.depreciationYears).toBeCloseTo(5, 12);
    expect(parsed.gates).toEqual({ maxCost: 5e6, maxDays: 28, maxGpuHours: 1.5e6 });
    expect(RunFileSchema.parse({ gates: { maxDays: 30 } }).gates?.maxDays).toBe(30);
  });

  it('refuses what the flags refuse, with their reason', () => {
    expect(RunFileSchema.safeParse({ params: '7m' }).error?.issues[0]?.message).toMatch(/use M for million/);
    expect(RunFileSchema.safeParse({ tokens: '1,2' }).error?.issues[0]?.message).toMatch(/groups of three/);
    expect(RunFileSchema.safeParse({ restartTime: 300 }).error?.issues[0]?.message).toMatch(/must be a number with a unit/);
  });

  it('the CLI takes them from --config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-grammar-'));
    const file = join(dir, 'run.yaml');
    writeFileSync(file, 'params: 7b\ntokens: "1,000,000,000"\ngpu: h100\ngpus: 8\nprice: "$2"\ngates:\n  maxDays: 4w\n');
    const r = await cli(['estimate', '--config', file, '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const est = (JSON.parse(r.out) as { estimates: { inputs?: unknown }[] }).estimates[0];
    expect(JSON.stringify(est)).toMatch(/7000000000|7e\+?9/);
  });

  it('a flag overrides a run-file key it conflicts with; both in one file is an error naming both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-grammar-'));
    const one = join(dir, 'one.yaml');
    writeFileSync(one, 'mfu: 0.4\n');
    expect((await cli(['estimate', '--config', one, '--tflops', '100', '--format', 'json'])).code).toBe(0);
    const both = join(dir, 'both.yaml');
    writeFileSync(both, 'mfu: 0.4\ntflops: 100\n');
    const r = await cli(['estimate', '--config', both]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/mfu and tflops cannot be used together/);
  });
});

describe('conflicting flags', () => {
  /** A value each flag accepts, for the command that has it. */
  const VALUE: Record<string, string | undefined> = {
    '--mfu': '0.4',
    '--tflops': '100',
    '--tokens-per-sec': '3000',
    '--step-time': '2s',
    '--from-log': 'no-such.log',
    '--provider': 'aws',
    '--grid': 'france',
    '--grid-gco2-kwh': '50',
    '--budget': '2M',
    '--flops-budget': '1e23',
    '--deadline': '30d',
    '--gpus': '8',
    '--recompute': 'full',
  };
  const args = (flag: string): string[] => (VALUE[flag] === undefined ? [flag] : [flag, VALUE[flag] as string]);

  it.each(CONFLICTS.map(({ flags }) => flags))('%s with %s exits 2 naming both', async (a, b) => {
    const command = a === '--deadline' || a === '--budget' ? 'plan' : 'estimate';
    const r = await cli([command, ...args(a), ...args(b)]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${a} and ${b} cannot be used together`);
  });
});

describe('did you mean', () => {
  it.each([
    ['h10', ['h100']],
    ['a100-80', ['a100-80gb', 'a100-sxm4-80gb']],
    ['lama3-8b', ['llama3-8b']],
    ['gpt3', ['gpt3-175b', 'gpt3-13b', 'gpt3-125m']],
    ['lama-3-70b', ['llama3-70b']],
  ])('%s suggests %s', async (typo, expected) => {
    const r = await cli(['presets', 'show', typo]);
    if (r.code === 0) return; // an alias found it outright
    expect(r.code).toBe(2);
    const hint = /did you mean ([^?]+)\?/.exec(r.err)?.[1] ?? '';
    expect(
      expected.some((e) => hint.includes(e)),
      `${typo}: ${r.err}`,
    ).toBe(true);
  });

  it('prefers exact-but-punctuation, then prefixes, then near spellings, and maps aliases to ids once', () => {
    expect(closest('llama-3-8b', ['llama3-8b', 'llama-13b'])[0]).toBe('llama3-8b');
    expect(closest('a100-80', ['a10g', 'a100-80gb'])[0]).toBe('a100-80gb');
    expect(closest('lamma3-8b', ['llama3-8b', 'llama-7b'])[0]).toBe('llama3-8b');
    expect(closest('x', ['llama-3-70b', 'llama3-70b'], 3, () => 'llama3-70b')).toEqual([]);
    expect(closest('lama-3-70b', ['llama-3-70b', 'llama3-70b'], 3, () => 'llama3-70b')).toEqual(['llama3-70b']);
  });

  it('unknown commands and options keep commander’s suggestion, on one line', async () => {
    expect((await cli(['estimat'])).err).toMatch(/Did you mean estimate\?/);
    expect((await cli(['estimate', '--tflop', '3'])).err).toMatch(/Did you mean --tflops\?/);
  });
});
