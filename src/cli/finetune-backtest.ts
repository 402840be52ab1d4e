/** `gpucost backtest --finetune`: the bundled fine-tuning sets, with user sets (--presets) replacing those of the same id. */
import type { Registry } from '../presets/catalog.js';
import { builtinFinetuneSets } from '../presets/builtin-finetune.js';
import type { FinetuneSet } from '../presets/schema.js';
import { finetuneCases, finetuneSummaries } from '../resolve/finetune-backtest.js';
import { finetuneBacktestReport } from '../report/finetune-backtest.js';
import type { Report } from '../report/model.js';

export function finetuneSets(registry: Registry): FinetuneSet[] {
  const user = registry.list('finetune');
  const ids = new Set(user.map((s) => s.id));
  return [...builtinFinetuneSets().filter((s) => !ids.has(s.id)), ...user];
}

export function finetuneBacktest(registry: Registry, split: 'fit' | 'holdout' | 'all' | undefined): Report {
  const all = finetuneCases(finetuneSets(registry), registry);
  const shown = split && split !== 'all' ? all.filter((c) => c.split === split) : all;
  return finetuneBacktestReport(shown, finetuneSummaries(shown));
}
