// Issue 19, item 7: `gpucost completion bash|zsh|fish` completes commands, options and preset ids.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { completionScript, SHELLS } from '../../src/cli/completion-script.js';
import { cli } from '../helpers/cli.js';

const script = async (shell: string): Promise<string> => {
  const { code, out, err } = await cli(['completion', shell]);
  expect(code, err).toBe(0);
  return out;
};

/** What bash offers for the words typed so far (the last one being completed). */
function complete(bash: string, words: string[]): string[] {
  const program = `${bash}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _gpucost; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  it('bash: commands, options of the command typed, and preset ids after --gpu, -m and --format', async () => {
    const bash = await script('bash');
    expect(complete(bash, ['gpucost', 'es'])).toEqual(['estimate']);
    expect(complete(bash, ['gpucost', 'compare', '--max-'])).toEqual(['--max-cost', '--max-days', '--max-gpu-hours']);
    expect(complete(bash, ['gpucost', 'estimate', '--gpu', 'h1'])).toEqual(expect.arrayContaining(['h100-sxm', 'h100-pcie', 'h100-nvl']));
    expect(complete(bash, ['gpucost', 'estimate', '-m', 'llama3'])).toEqual(expect.arrayContaining(['llama3-8b', 'llama3-70b']));
    expect(complete(bash, ['gpucost', 'estimate', '--format', 'b'])).toEqual(['brief']);
    expect(complete(bash, ['gpucost', 'presets', 'sh'])).toEqual(['show']);
  });

  it('zsh loads the bash function through bashcompinit; fish lists each option of each command', async () => {
    const zsh = await script('zsh');
    expect(zsh).toMatch(/^#compdef gpucost\nautoload -U \+X bashcompinit && bashcompinit\n/);
    expect(zsh).toContain('complete -o default -F _gpucost gpucost');
    const fish = await script('fish');
    expect(fish).toMatch(/complete -c gpucost -n '__fish_use_subcommand' -a 'estimate compare prices plan [^']*'/);
    expect(fish).toMatch(/complete -c gpucost -n '__fish_seen_subcommand_from estimate' -l gpu -x -a '[^']*h100-sxm/);
  });

  it('an unknown shell is one line, exit 2', async () => {
    const bad = await cli(['completion', 'powershell']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/must be one of bash, zsh, fish/);
  });

  it('a word that is not a plain id or option name never reaches a script', () => {
    const spec = { commands: [{ name: 'estimate', options: ['--gpu', '$(touch /tmp/x)'] }], values: { '--gpu': ['h100', '`id`', "a'b"] } };
    for (const shell of SHELLS) {
      const text = completionScript(shell, spec);
      expect(text).toContain('h100');
      expect(text).not.toMatch(/\$\(touch|`id`|a'b/);
    }
  });
});
