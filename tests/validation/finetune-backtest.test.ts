// Issue 20, item 5: the fine-tuning validation set (presets/finetune/), fit and holdout declared by
// source before fitting (docs/finetune-measurements.md), and `gpucost backtest --finetune`. Each
// figure is held in a band two points wide, so that improvements and regressions both show; issue 20
// asks for memory within 10% and time within 20% on the holdout.
import { describe, expect, it } from 'vitest';
import { builtinFinetuneSets } from '../../src/presets/builtin-finetune.js';
import { finetuneCases, finetuneSummaries } from '../../src/resolve/finetune-backtest.js';
import { cliJson } from '../helpers/cli.js';
import { registry } from '../helpers/presets.js';

const cases = finetuneCases(builtinFinetuneSets(), registry);
const [fit, holdout] = finetuneSummaries(cases);

describe('the fine-tuning validation set', () => {
  it('13 fit rows (ms-swift) and 6 holdout rows (torchtune, Hugging Face + FlashAttention-2 via Unsloth), each with a citation', () => {
    expect(fit).toMatchObject({ split: 'fit', memoryRows: 13, speedRows: 0 });
    expect(holdout).toMatchObject({ split: 'holdout', memoryRows: 6, speedRows: 2 });
    for (const set of builtinFinetuneSets()) expect(set.sources[0]?.url, set.id).toMatch(/^https:\/\//);
  });

  it('fit memory: median |error| 5.2%, signed −2.4% (the 512-token rows within 10%; 2,048-token rows 17–51% low)', () => {
    expect(fit?.memoryMedianAbsError).toBeGreaterThanOrEqual(0.042);
    expect(fit?.memoryMedianAbsError).toBeLessThanOrEqual(0.062);
  });

  it('known gap: holdout memory median |error| 31.9% (signed −29.8%), holdout tokens/s 31.7%', () => {
    // 33.2% before torchtune's rows were given the chunked loss their recipes use (+50% → +29% LoRA, +94% → +48% QLoRA).
    expect(holdout?.memoryMedianAbsError).toBeGreaterThanOrEqual(0.309);
    expect(holdout?.memoryMedianAbsError).toBeLessThanOrEqual(0.329);
    expect(holdout?.speedMedianAbsError).toBeGreaterThanOrEqual(0.307);
    expect(holdout?.speedMedianAbsError).toBeLessThanOrEqual(0.327);
  });

  it('gpucost backtest --finetune prints the same summary and every row with its prediction', async () => {
    type Doc = { schemaVersion: number; summary: (typeof fit)[]; rows: { id: string; predicted: { memoryGiB: number } }[] };
    const { code, json } = await cliJson<Doc>(['backtest', '--finetune']);
    expect(code).toBe(0);
    expect(json.summary).toEqual(JSON.parse(JSON.stringify([fit, holdout])));
    expect(json.rows).toHaveLength(19);
    const holdoutOnly = await cliJson<Doc>(['backtest', '--finetune', '--split', 'holdout']);
    expect(holdoutOnly.json.rows).toHaveLength(6);
  });
});
