import { it } from 'vitest';
import { builtinRegistry } from '../src/presets/builtin.js';
import { builtinThroughputSets } from '../src/presets/builtin-throughput.js';
import { throughputCases } from '../src/resolve/throughput.js';
import { stepTime, DEFAULT_PERF_CONSTANTS } from '../src/core/perf.js';
it('exp', () => {
  const reg = builtinRegistry();
  const cases = throughputCases(builtinThroughputSets(), reg).filter((c) => c.row.id.startsWith('llmc-') || c.row.id.includes('vocab50304-b32'));
  for (const c of cases) {
    const l = c.layout!;
    const s = stepTime(c.arch, l.plan, l.hardware, DEFAULT_PERF_CONSTANTS, l.options);
    const tot = s.stepSeconds;
    console.log(
      c.row.id,
      JSON.stringify(l.plan),
      'step',
      tot.toFixed(4),
      Object.fromEntries(
        Object.entries(s)
          .filter(([k]) => k.endsWith('Seconds'))
          .map(([k, v]) => [k, ((v as number) / tot).toFixed(3)]),
      ),
    );
  }
});
