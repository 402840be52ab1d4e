// The composite action's run step (scripts/action-run.sh), executed as GitHub would run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function step(args: string) {
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
      GPUCOST_ARGS: args,
      GPUCOST_SUMMARY: 'true',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: dir,
      NO_COLOR: '1',
    },
  });
  return { ...r, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8') };
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

  it('bad arguments exit 2', () => {
    expect(step('estimate --gpu nope').status).toBe(2);
  });
});
