/**
 * Flags that set the same thing two ways. Giving both is an error naming both (exit 2) rather than
 * one silently winning. A run file's key yields to a conflicting flag on the command line (flags
 * override run files); a run file holding both keys of a pair is an error too.
 */
import type { Command } from 'commander';
import { GpucostError } from '../errors.js';

interface Conflict {
  flags: readonly [string, string];
  hint: string;
}

const MEASURED = ['--tokens-per-sec', '--step-time', '--from-log'] as const;
const MEASURED_HINT = 'each measures the throughput of your own run; give one of them';
const MEASURED_REPLACES = 'a measured rate replaces the modelled throughput; drop';

/** `--price` over `--provider` or `--owned` is not here: it is a documented override, and the report says so in its notes. */
export const CONFLICTS: readonly Conflict[] = [
  { flags: ['--mfu', '--tflops'], hint: 'both set the throughput (--tflops in TFLOP/s, --mfu as a fraction of peak); give one' },
  ...MEASURED.flatMap((a, i) => MEASURED.slice(i + 1).map((b): Conflict => ({ flags: [a, b], hint: MEASURED_HINT }))),
  ...MEASURED.flatMap((m) => (['--mfu', '--tflops'] as const).map((t): Conflict => ({ flags: [m, t], hint: `${MEASURED_REPLACES} ${t}` }))),
  { flags: ['--owned', '--provider'], hint: 'both choose a price; drop one: --owned charges purchased hardware, --provider a rental' },
  { flags: ['--grid', '--grid-gco2-kwh'], hint: 'both set the grid carbon intensity; give one' },
  { flags: ['--reliability', '--no-reliability'], hint: 'give one' },
  { flags: ['--budget', '--flops-budget'], hint: 'two budgets: give dollars (--budget) or FLOPs (--flops-budget)' },
  { flags: ['--deadline', '--gpus'], hint: '--deadline solves for the GPU count; drop --gpus (or --deadline)' },
  { flags: ['--recompute', '--gradient-checkpointing'], hint: '--gradient-checkpointing is --recompute full; give one' },
  { flags: ['--recompute', '--no-gradient-checkpointing'], hint: '--no-gradient-checkpointing is --recompute none; give one' },
  { flags: ['--gradient-checkpointing', '--no-gradient-checkpointing'], hint: 'give one' },
];

/** The options key of a flag, as commander and run files spell it: --grid-gco2-kwh → gridGco2Kwh. */
function keyOf(flag: string): string {
  return flag.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Makes `cmd` refuse each pair of its flags in CONFLICTS given together. Flags are recorded as
 * commander reads them, so --reliability and --no-reliability (one key) are told apart too.
 */
export function addConflictChecks(cmd: Command): Command {
  const names = new Set(cmd.options.map((o) => o.long));
  const pairs = CONFLICTS.filter(({ flags: [a, b] }) => names.has(a) && names.has(b));
  const given = new Set<string>();
  for (const flag of new Set(pairs.flatMap((p) => p.flags))) cmd.on(`option:${flag.slice(2)}`, () => given.add(flag));
  return cmd.hook('preAction', () => {
    const hit = pairs.find(({ flags: [a, b] }) => given.has(a) && given.has(b));
    if (hit) throw new GpucostError('E_INPUT', `${hit.flags[0]} and ${hit.flags[1]} cannot be used together`, hit.hint);
  });
}

/** Keys of a run file that conflict with `key` (mfu → tflops, tokensPerSec, …). */
export function conflictingKeys(key: string): string[] {
  return CONFLICTS.flatMap(({ flags: [a, b] }) => {
    const [ka, kb] = [keyOf(a), keyOf(b)];
    if (ka === kb) return [];
    return ka === key ? [kb] : kb === key ? [ka] : [];
  });
}

/** The pair of a run file's keys that conflict, with its hint, if any. */
export function fileConflict(values: Record<string, unknown>): { keys: [string, string]; hint: string } | undefined {
  const set = (k: string) => values[k] !== undefined && values[k] !== false;
  for (const { flags, hint } of CONFLICTS) {
    const [ka, kb] = [keyOf(flags[0]), keyOf(flags[1])];
    if (ka !== kb && set(ka) && set(kb)) return { keys: [ka, kb], hint };
  }
  return undefined;
}
