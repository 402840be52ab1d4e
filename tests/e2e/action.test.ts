// The composite action's run step (scripts/action-run.sh), executed as GitHub would run it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function step(args: string | ((dir: string) => string)) {
  const dir = mkdtempSync(join(tmpdir(), 'gpucost-action-'));
  const summary = join(dir, 'summary.md');
  const output = join(dir, 'output');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const r = spawnSync('bash', [join(root, 'scripts', 'action-run.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GITHUB_ACTION_PATH: root,
      GPUCOST_ARGS: typeof args === 'string' ? args : args(dir),
      GPUCOST_SUMMARY: 'true',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: dir,
      NO_COLOR: '1',
    },
  });
  return { ...r, dir, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8') };
}

describe('action.yml', () => {
  it('is a composite action whose run step is scripts/action-run.sh', () => {
    const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.at(-1).run).toContain('scripts/action-run.sh');
    expect(Object.keys(action.inputs)).toEqual(['args', 'summary', 'node-version']);
  });

  it('passes: exit 0, table on stdout, JSON file as output, Markdown in the job summary', () => {
    const r = step('compare --gpus 512,1024 --price 2 --max-cost 5M');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('a100-sxm4-80gb');
    const jsonFile = /^json=(.+)$/m.exec(r.output)?.[1] ?? '';
    expect(JSON.parse(readFileSync(jsonFile, 'utf8')).gates).toHaveLength(2);
    expect(r.summary).toMatch(/^## /);
  });

  it('a failed gate fails the step with exit 1 and still writes the summary', () => {
    const r = step('estimate --price 2 --max-cost 1M');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/gate failed: --max-cost/);
    expect(r.summary).toMatch(/FAIL/);
  });

  // GitHub passes a multi-line `args: |` block as one string with newlines; every line counts.
  it('a multi-line input honours every line: a gate on line 2 that fails fails the step', () => {
    const r = step('estimate --price 2\n--max-cost 1M\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/gate failed: --max-cost/);
    expect(r.summary).toMatch(/FAIL/);
  });

  it('lines ending in CRLF and indented with tabs split the same way', () => {
    expect(step('estimate\r\n\t--price 2\r\n\t--max-cost 1M\r\n').status).toBe(1);
  });

  it('nothing in the input is expanded or executed: quotes, $(…), globs and backslashes stay literal words', () => {
    const r = step((dir) => `estimate --model "$(touch ${dir}/pwned)" \\ *`);
    expect(r.status).toBe(2);
    expect(existsSync(join(r.dir, 'pwned'))).toBe(false);
  });

  it.each([
    ['--output', (f: string) => `--output ${f}`],
    ['-o', (f: string) => `-o ${f}`],
    ['--output=', (f: string) => `--output=${f}`],
  ])('with %s in the args the user still gets their file, in their format, and the job summary its Markdown', (_, flag) => {
    const r = step((dir) => `compare --gpus 512,1024 --price 2 --format csv ${flag(join(dir, 'budget.csv'))}`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('a100-sxm4-80gb'); // the table in the log
    expect(readFileSync(join(r.dir, 'budget.csv'), 'utf8')).toMatch(/^model,gpu,gpus,/);
    expect(r.summary).toMatch(/^## /);
    const jsonFile = /^json=(.+)$/m.exec(r.output)?.[1] ?? '';
    expect(JSON.parse(readFileSync(jsonFile, 'utf8')).schemaVersion).toBe(2);
  });

  it('a user --output that cannot be written fails the step with exit 2', () => {
    const r = step((dir) => `estimate --output ${join(dir, 'no-such-dir', 'x.md')}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*x\.md/);
  });

  it('bad arguments exit 2', () => {
    expect(step('estimate --gpu nope').status).toBe(2);
  });
});
