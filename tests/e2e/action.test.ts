// The composite action's run step (scripts/action-run.sh), executed as GitHub would run it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/**
 * Runs the step. With `fakeNode`, a `node` first on PATH records each call's arguments instead of
 * running gpucost (a few milliseconds instead of a hundred): how the step calls gpucost, one array
 * per call, without the script path. Call i then exits with `exits[i]` (0 when not given).
 */
function step(args: string | ((dir: string) => string), { fakeNode = false, exits = [] as number[] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gpucost-action-'));
  const summary = join(dir, 'summary.md');
  const output = join(dir, 'output');
  const calls = join(dir, 'calls');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  writeFileSync(calls, '');
  if (fakeNode) {
    mkdirSync(join(dir, 'bin'));
    // One JSON array per call: each argument as a JSON string (none of the tests' contains " or \).
    const fake = [
      '#!/bin/sh',
      'shift',
      'sep=""',
      'printf "[" >> "$CALLS"',
      `for a in "$@"; do printf '%s"%s"' "$sep" "$a" >> "$CALLS"; sep=","; done`,
      'echo "]" >> "$CALLS"',
      `exit "$(wc -l < "$CALLS" | awk -v exits="$EXITS" '{ split(exits, e, " "); print (e[$1] == "" ? 0 : e[$1]) }')"`,
    ];
    writeFileSync(join(dir, 'bin', 'node'), `${fake.join('\n')}\n`);
    chmodSync(join(dir, 'bin', 'node'), 0o755);
  }
  const r = spawnSync('bash', [join(root, 'scripts', 'action-run.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      ...(fakeNode ? { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, CALLS: calls, EXITS: exits.join(' ') } : {}),
      GITHUB_ACTION_PATH: root,
      GPUCOST_ARGS: typeof args === 'string' ? args : args(dir),
      GPUCOST_SUMMARY: 'true',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: dir,
      NO_COLOR: '1',
    },
  });
  const recorded = readFileSync(calls, 'utf8').split('\n').filter(Boolean);
  return {
    ...r,
    dir,
    summary: readFileSync(summary, 'utf8'),
    output: readFileSync(output, 'utf8'),
    calls: recorded.map((line) => JSON.parse(line) as string[]),
  };
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

  it('--brief shows the log in one line; the JSON output and the Markdown summary are still written', () => {
    const r = step('estimate --gpus 1024 --brief --max-days 60');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const jsonFile = /^json=(.+)$/m.exec(r.output)?.[1] ?? '';
    expect(JSON.parse(readFileSync(jsonFile, 'utf8')).estimates).toHaveLength(1);
    expect(r.summary).toMatch(/^## /);
  });

  it('a failed gate fails the step with exit 1 and still writes the summary', () => {
    const r = step('estimate --price 2 --max-cost 1M');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/gate failed: --max-cost/);
    expect(r.summary).toMatch(/FAIL/);
  });

  // GitHub passes a multi-line `args: |` block as one string with newlines; every line counts. That
  // gpucost fails a gate it is given is the test above; here, that line 2 reaches it and its exit 1
  // fails the step (a recorded gpucost, to keep the suite quick).
  it('a multi-line input honours every line: a gate on line 2 that fails fails the step', () => {
    const r = step('estimate --price 2\n--max-cost 1M\n', { fakeNode: true, exits: [1, 1, 1] });
    expect(r.calls[0]?.slice(0, 5)).toEqual(['estimate', '--price', '2', '--max-cost', '1M']);
    expect(r.status).toBe(1);
  });

  it('every line, CRLF line ends and tabs included, splits on whitespace into the same words', () => {
    const r = step('estimate --price 2\r\n\t--max-cost 1M\r\n\n  --max-days   30', { fakeNode: true });
    expect(r.calls[0]).toEqual(['estimate', '--price', '2', '--max-cost', '1M', '--max-days', '30', '--format', 'table', '--output', '-']);
  });

  it('nothing in the input is expanded or executed: quotes, $(…), globs and backslashes stay literal words', () => {
    const r = step((dir) => `estimate --model '$(touch ${dir}/pwned)' *`, { fakeNode: true });
    expect(existsSync(join(r.dir, 'pwned'))).toBe(false);
    expect(r.calls[0]?.slice(0, 5)).toEqual(['estimate', '--model', "'$(touch", `${r.dir}/pwned)'`, '*']);
  });

  it('with --output in the args the user still gets their file, in their format, and the job summary its Markdown', () => {
    const r = step((dir) => `compare --gpus 512,1024 --price 2 --format csv --output ${join(dir, 'budget.csv')}`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('a100-sxm4-80gb'); // the table in the log
    expect(readFileSync(join(r.dir, 'budget.csv'), 'utf8')).toMatch(/^model,gpu,gpus,/);
    expect(r.summary).toMatch(/^## /);
    const jsonFile = /^json=(.+)$/m.exec(r.output)?.[1] ?? '';
    expect(JSON.parse(readFileSync(jsonFile, 'utf8')).schemaVersion).toBe(3);
  });

  // The log, JSON and summary runs each end with an --output of their own (the last one wins); the
  // user's file, when there is one, comes from one more run of their words as they are.
  it.each([
    ['-o f.csv', 'one more run'],
    ['--output=f.csv', 'one more run'],
    ['-of.csv', 'one more run'],
    ['--output f.csv -o -', 'no more runs'],
    ['-o -', 'no more runs'],
    ['', 'no more runs'],
  ])('args "estimate %s": %s', (flags, more) => {
    const words = ['estimate', ...flags.split(' ').filter(Boolean)];
    const r = step(words.join(' '), { fakeNode: true });
    expect(r.status).toBe(0);
    expect(r.calls.map((c) => c.slice(words.length))).toEqual([
      ['--format', 'table', '--output', '-'],
      ['--format', 'json', '--output', join(r.dir, 'gpucost.json')],
      ['--format', 'markdown', '--output', '-'],
      ...(more === 'one more run' ? [[]] : []),
    ]);
    for (const call of r.calls) expect(call.slice(0, words.length)).toEqual(words);
  });

  // Exit codes of the calls (log, JSON, summary, the user's file) and the step's: the worst of the
  // log's run and the user's run, so a file that cannot be written (2) fails the step.
  it.each([
    [[0, 0, 0, 2], 2],
    [[1, 1, 1, 2], 2],
    [[1, 1, 1, 1], 1],
    [[0, 0, 0, 0], 0],
  ])('with -o FILE, calls exiting %j make the step exit %i', (exits, status) => {
    const r = step('estimate -o f.md', { fakeNode: true, exits });
    expect(r.calls).toHaveLength(4);
    expect(r.status).toBe(status);
  });

  it('a log run that cannot run (2) makes no JSON, summary or file run', () => {
    const r = step('estimate -o f.md', { fakeNode: true, exits: [2] });
    expect(r.calls).toHaveLength(1);
    expect(r.status).toBe(2);
  });

  it('bad arguments exit 2', () => {
    expect(step('estimate --gpu nope').status).toBe(2);
  });
});
