/**
 * Event simulation of DeepSpeed's non-interleaved training schedule (TrainSchedule in
 * deepspeed/runtime/pipe/schedule.py, https://github.com/microsoft/DeepSpeed) with blocking, paired
 * transfers, to check the pipeline term of src/core/perf.ts for pipelineEngine 'deepspeed'.
 *
 * The schedule has 2(m + p − 1) slots per stage that alternate between forward and backward; stage s
 * runs the forward of micro-batch i in slot 2i + s and its backward in slot 2i + 2p − 1 − s (slots
 * that map outside 0..m−1 are idle). A forward slot first receives the activation from stage s − 1 and
 * then sends stage s − 1 the gradient of the previous slot's backward; a backward slot first sends
 * stage s + 1 the activation of the previous slot's forward and then receives the gradient from
 * stage s + 1. A transfer starts when both ends have reached it and takes `c` seconds.
 *
 * Usage: node scripts/run-ts.mjs scripts/sim-pipe-schedule.ts [m p forward backward transfer]
 * Prints the simulated makespan and (m + p − 1) × (forward + backward + 4 × transfer).
 */

interface Transfer {
  kind: 'send' | 'recv';
  peer: number;
  what: 'act' | 'grad';
  mb: number;
}
type Op = { kind: 'F' | 'B' } | Transfer;
const isTransfer = (op: Op | undefined): op is Transfer => op?.kind === 'send' || op?.kind === 'recv';

function stageOps(m: number, p: number, s: number): Op[] {
  const ops: Op[] = [];
  let prev = -1;
  const valid = (i: number) => i >= 0 && i < m;
  for (let slot = 0; slot < 2 * (m + p - 1); slot++) {
    const forward = slot % 2 === s % 2;
    const mb = forward ? (slot - s) / 2 : (slot - (2 * p - 1 - s)) / 2;
    if (forward && s > 0) {
      if (valid(mb)) ops.push({ kind: 'recv', peer: s - 1, what: 'act', mb });
      if (valid(prev)) ops.push({ kind: 'send', peer: s - 1, what: 'grad', mb: prev });
    }
    if (!forward && s < p - 1) {
      if (valid(prev)) ops.push({ kind: 'send', peer: s + 1, what: 'act', mb: prev });
      if (valid(mb)) ops.push({ kind: 'recv', peer: s + 1, what: 'grad', mb });
    }
    if (valid(mb)) ops.push({ kind: forward ? 'F' : 'B' });
    prev = mb;
  }
  return ops;
}

export function simulate(m: number, p: number, f: number, b: number, c: number): number {
  const ops = Array.from({ length: p }, (_, s) => stageOps(m, p, s));
  const next = new Array<number>(p).fill(0);
  const clock = new Array<number>(p).fill(0);
  const at = (s: number): Op | undefined => ops[s]?.[next[s] ?? 0];
  const advance = (s: number) => (next[s] = (next[s] ?? 0) + 1);
  let remaining = ops.reduce((n, o) => n + o.length, 0);
  while (remaining > 0) {
    let progressed = false;
    for (let s = 0; s < p; s++) {
      for (let op = at(s); op; op = at(s)) {
        if (!isTransfer(op)) {
          clock[s] = (clock[s] ?? 0) + (op.kind === 'F' ? f : b);
        } else {
          const q = op.peer;
          const other = at(q);
          const wanted = op.kind === 'send' ? 'recv' : 'send';
          if (!isTransfer(other) || other.kind !== wanted || other.peer !== s || other.what !== op.what || other.mb !== op.mb) break;
          clock[s] = clock[q] = Math.max(clock[s] ?? 0, clock[q] ?? 0) + c;
          advance(q);
          remaining--;
        }
        advance(s);
        remaining--;
        progressed = true;
      }
    }
    if (!progressed) throw new Error('schedule deadlocked');
  }
  return Math.max(...clock);
}

const args = process.argv.slice(2).map(Number);
if (args.length >= 4 && args.every(Number.isFinite)) {
  const [m = 0, p = 0, f = 0, b = 0, c = 0] = args;
  const sim = simulate(m, p, f, b, c);
  const formula = (m + p - 1) * (f + b + 4 * c);
  console.log(`simulated ${sim.toFixed(4)} s, (m + p − 1)(f + b + 4c) = ${formula.toFixed(4)} s, ratio ${(sim / formula).toFixed(4)}`);
}
