// The validation pages in docs/ are generated (npm run validate:runs, validate:throughput,
// validate:finetune): each must be what the command prints today, or a change to the data or the
// model has left the documentation behind.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('generated validation pages are up to date', () => {
  it.each([
    ['docs/runs-validation.md', [], 'npm run validate:runs'],
    ['docs/throughput-validation.md', ['--throughput'], 'npm run validate:throughput'],
    ['docs/finetune-validation.md', ['--finetune'], 'npm run validate:finetune'],
  ])('%s is what `gpucost backtest %s --format markdown` prints (%s)', async (page, flags, _script) => {
    const { code, out } = await cli(['backtest', ...flags, '--format', 'markdown']);
    expect(code).toBe(0);
    expect(readFileSync(new URL(`../../${page}`, import.meta.url), 'utf8')).toBe(out);
  });

  // The plots too: the runs plot draws the default estimate's range, which moves with the calibration.
  it.each([
    ['docs/img/runs-validation.svg', [], 'npm run validate:runs'],
    ['docs/img/throughput-validation.svg', ['--throughput'], 'npm run validate:throughput'],
    ['docs/img/finetune-validation.svg', ['--finetune'], 'npm run validate:finetune'],
  ])('%s is what `gpucost backtest %s --format svg` prints (%s)', async (plot, flags, _script) => {
    const { code, out } = await cli(['backtest', ...flags, '--format', 'svg']);
    expect(code).toBe(0);
    expect(readFileSync(new URL(`../../${plot}`, import.meta.url), 'utf8')).toBe(out);
  });
});
