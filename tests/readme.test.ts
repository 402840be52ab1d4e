// Every command in the README runs (issue 19): each `npx gpucost …` line of a ```sh block exits 0,
// and each ```text block that starts with `$ npx gpucost …` is that command's real output on an
// 80-column terminal, up to a closing "..." line.
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/main.js';
import { TEST_TODAY } from './helpers/cli.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = (lang: string): string[] => [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);

/** The argv of a README command line: what follows `npx gpucost`, up to a comment or redirection. */
const argvOf = (line: string): string[] =>
  (line.split('npx gpucost ')[1] ?? '')
    .split(/\s+#|\s+>|\s+\|/)[0]
    ?.trim()
    .split(/\s+/)
    .filter(Boolean) ?? [];

/** A scratch folder to run in, with the repository's tests/ (the README's config.json example) beside. */
function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpucost-readme-'));
  symlinkSync(join(root, 'tests'), join(dir, 'tests'), 'dir');
  return dir;
}

async function runLikeAUser(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ env: { NO_COLOR: '1' }, today: TEST_TODAY, cwd, isTTY: true, columns: 80 });
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

const commands = blocks('sh')
  .flatMap((b) => b.split('\n'))
  .filter((l) => l.includes('npx gpucost'));

describe('README', () => {
  it('is at most 150 lines and starts with the user: what it answers, then the two commands', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    expect(readme.indexOf('## Two commands')).toBeLessThan(readme.indexOf('## The five questions'));
    expect(commands[0]).toBe('npm install && npx gpucost compare');
    expect(blocks('sh')[1]?.trim()).toBe('npm test');
  });

  it.each(commands.map((c) => [c]))('%s exits 0', async (line) => {
    const { code, err } = await runLikeAUser(argvOf(line), workdir());
    expect(code, err).toBe(0);
  });

  const shown = blocks('text').filter((b) => b.startsWith('$ npx gpucost '));
  it.each(shown.map((b) => [b.split('\n')[0] as string, b]))('%s prints what the README shows', async (first, block) => {
    const expected = block.split('\n').slice(1);
    const cut = expected.indexOf('...');
    const { code, out } = await runLikeAUser(argvOf(first), workdir());
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.slice(0, cut < 0 ? expected.length : cut)).toEqual(cut < 0 ? expected : expected.slice(0, cut));
  });
});
