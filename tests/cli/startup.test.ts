// main.ts builds only the command named on the command line (start-up time); these keep that honest.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { Context } from '../../src/cli/context.js';
import { COMMANDS } from '../../src/cli/main.js';
import { cli } from '../helpers/cli.js';

describe('commands built on demand', () => {
  it('each entry of COMMANDS builds the command it is named for', () => {
    const ctx = new Context(memoryIo());
    for (const [name, make] of COMMANDS) {
      const cmd = make(ctx);
      expect(cmd).toBeInstanceOf(Command);
      expect(cmd.name()).toBe(name);
    }
  });

  it('top-level help still lists every command', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    // In the list of commands, not merely somewhere (the examples name every command too).
    const list = out.slice(out.indexOf('Commands:'), out.indexOf('Examples:'));
    for (const [name] of COMMANDS) expect(list).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('a command alone still gives its own help, and an unknown command is still suggested', async () => {
    expect((await cli(['compare', '--help'])).out).toContain('--gpus');
    const r = await cli(['estimat']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('estimate');
  });
});
