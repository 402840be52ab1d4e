/** `gpucost backtest --finetune`: the bundled fine-tuning sets, with user sets (--presets) replacing those of the same id. */
import { type Registry, mergeById } from '../presets/catalog.js';
import { builtinFinetuneSets } from '../presets/builtin-finetune.js';
import type { FinetuneSet } from '../presets/schema.js';
import { finetuneCases, finetuneSummaries } from '../resolve/finetune-backtest.js';
import { finetuneBacktestReport } from '../report/finetune-backtest.js';
import type { Report } from '../report/model.js';

/** The bundled fine-tuning sets, with user sets (--presets) in place of those of the same id. */
export function finetuneSets(registry: Registry): FinetuneSet[] {
  return mergeById(builtinFinetuneSets(), registry.list('finetune'));
}

export function finetuneBacktest(registry: Registry, split: 'fit' | 'holdout' | 'all' | undefined): Report {
  const all = finetuneCases(finetuneSets(registry), registry);
  const shown = split && split !== 'all' ? all.filter((c) => c.split === split) : all;
  return finetuneBacktestReport(shown, finetuneSummaries(shown));
}
