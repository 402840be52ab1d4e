// Names every JavaScript object inherits (constructor, toString, __proto__ …) once passed as a value
// of choice options, because the lookup went through a plain object's prototype chain. Each must be
// refused like any other unknown value, on every choice option of every command, and as a preset id.
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import { memoryIo } from '../../src/cli/io.js';
import { COMMANDS } from '../../src/cli/main.js';
import { parseDuration } from '../../src/core/parse.js';
import { parseQuantity } from '../../src/core/quantity.js';
import { cli } from '../helpers/cli.js';

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

interface ChoiceOption {
  path: string[];
  flag: string;
}

/** A choice option is one commander checks against argChoices, or whose parser answers "must be one of". */
function isChoice(option: Option): boolean {
  if (option.argChoices) return true;
  if (!option.parseArg) return false;
  try {
    option.parseArg('no-such-choice-value', undefined as never);
  } catch (e) {
    return /must be one of/.test((e as Error).message);
  }
  return false;
}

function choiceOptions(cmd: Command, path: string[]): ChoiceOption[] {
  const own = cmd.options.filter((o) => o.required && isChoice(o)).map((o) => ({ path, flag: o.long as string }));
  return [...own, ...cmd.commands.flatMap((sub) => choiceOptions(sub, [...path, sub.name()]))];
}

const ctx = new Context(memoryIo());
const CHOICES = COMMANDS.flatMap(([name, make]) => choiceOptions(make(ctx), [name]));

describe('prototype names as option values', () => {
  it('finds the choice options (so the test below cannot pass by finding none)', () => {
    const flags = new Set(CHOICES.map((c) => `${c.path.join(' ')} ${c.flag}`));
    for (const f of ['estimate --recompute', 'estimate --format', 'estimate --zero', 'presets list --kind', 'backtest --perf']) expect(flags).toContain(f);
  });

  it('every choice option of every command refuses them with exit 2 and the valid values', async () => {
    for (const { path, flag } of CHOICES) {
      for (const name of PROTOTYPE_NAMES) {
        const r = await cli([...path, flag, name]);
        expect(r.code, `${path.join(' ')} ${flag} ${name}: ${r.err}`).toBe(2);
        expect(r.err, `${path.join(' ')} ${flag} ${name}`).toMatch(/must be one of/);
      }
    }
  });

  it('a gate is not bypassed by a prototype name (the reported case)', async () => {
    const r = await cli(['estimate', '--model', 'gpt3-175b', '--gpu', 'v100', '--gpus', '8', '--fail-if-oom', '--recompute', 'constructor']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--recompute.*must be one of none, selective/);
  });

  it('preset lookups call them unknown', async () => {
    const cases: [string, string][] = [
      ['--model', 'model'],
      ['--gpu', 'GPU'],
      ['--cluster', 'cluster'],
      ['--provider', 'price list'],
      ['--grid', 'grid'],
    ];
    for (const [flag, noun] of cases) {
      for (const name of PROTOTYPE_NAMES) {
        const r = await cli(['estimate', '--model', 'gpt3-175b', '--gpu', 'a100-80gb', '--gpus', '8', flag, name]);
        expect(r.code, `${flag} ${name}: ${r.err}`).toBe(2);
        expect(r.err).toContain(`unknown ${noun} "${name}"`);
      }
    }
    for (const name of PROTOTYPE_NAMES) {
      const r = await cli(['presets', 'show', name]);
      expect(r.code, `presets show ${name}: ${r.err}`).toBe(2);
    }
  });

  it('unit suffixes are not looked up on the prototype', () => {
    for (const name of PROTOTYPE_NAMES.filter((n) => /^[A-Za-z]+$/.test(n))) {
      const q = parseQuantity(`1${name}`);
      expect(q.ok).toBe(false);
      if (!q.ok) expect(q.reason).toContain(`unknown suffix "${name}"`);
      const d = parseDuration(`1${name}`);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.reason).toContain(`unknown unit "${name}"`);
    }
  });
});
