/** `gpucost backtest --throughput`: the bundled throughput sets, with user sets (--presets) replacing those of the same id. */
import { type Registry, mergeById } from '../presets/catalog.js';
import type { ThroughputSet } from '../presets/schema.js';
import { builtinThroughputSets } from '../presets/builtin-throughput.js';
import { fittedConstantMfu, throughputCases, throughputSummaries } from '../resolve/throughput.js';
import type { Report } from '../report/model.js';
import { throughputReport } from '../report/throughput.js';

/** The bundled throughput sets, with user sets (--presets) in place of those of the same id. */
export function throughputSets(registry: Registry): ThroughputSet[] {
  return mergeById(builtinThroughputSets(), registry.list('throughput'));
}

export function throughputBacktest(registry: Registry, split: 'fit' | 'holdout' | 'all' | undefined): Report {
  const sets = throughputSets(registry);
  const all = throughputCases(sets, registry);
  // The constant is fitted on the fit rows whichever split is shown.
  const constant = fittedConstantMfu(all);
  const shown = split && split !== 'all' ? all.filter((c) => c.split === split) : all;
  return throughputReport(shown, throughputSummaries(shown, constant), constant);
}
