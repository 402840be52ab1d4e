import { it } from 'vitest';
import { builtinRegistry } from '../src/presets/builtin.js';
import { builtinFinetuneSets } from '../src/presets/builtin-finetune.js';
import { finetuneCases, finetuneSummaries } from '../src/resolve/finetune-backtest.js';
it('exp', () => {
  const cases = finetuneCases(builtinFinetuneSets(), builtinRegistry());
  for (const c of cases)
    console.log(
      c.row.id.padEnd(24),
      c.split,
      c.row.measured.memoryGiB,
      c.predicted.memoryGiB.toFixed(2),
      c.error.memory?.toFixed(3),
      c.row.measured.tokensPerSecondPerGpu ?? '',
      c.predicted.tokensPerSecondPerGpu.toFixed(0),
      c.error.speed?.toFixed(3) ?? '',
    );
  console.log(JSON.stringify(finetuneSummaries(cases)));
});
