#!/usr/bin/env node
// Fuzzing the built CLI: random argv, mutated run files, presets and configs, and hand-picked
// inputs that must be rejected cleanly (scripts/fuzz-lib.mjs has the cases and the rules).
//
// Most cases run in-process through run(argv, io) of dist/cli (thousands a minute), in worker
// processes watched for hangs: a case that makes no progress for --timeout ms is a failure. A
// sample then runs as real processes (`node bin/gpucost.js …`), which also catches what only a
// process shows: its exit status, Node's own stack traces, and a reader closing the pipe.
//
//   npm run build && node scripts/fuzz.mjs [--cases 10000] [--seed N] [--workers N] [--spawned 200] [--timeout 20000] [--record]
import { fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtRun, check, clean, createFiles, handPicked, prototypeCases, random, randomCase } from './fuzz-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};

/** Processes started by `spawned` besides the random cases: 3 × 2 closed-stdout runs, 2 of fullSizeStream. */
const PROCESS_CHECKS = 8;
/** Runs killed by a signal while writing --output (issue 18). */
const SIGNAL_RUNS = 60;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How many hand-picked cases come before the random ones (their paths differ by directory, not their number). */
let explicitCount;

if (args[0] === '--worker') {
  await worker(Number(args[1]), Number(args[2]), Number(args[3]), Number(args[4]));
} else {
  await main();
}

/** The case with this number of this seed (explicit cases first, then random ones). */
function caseAt(seed, index, dir) {
  // Building the hand-picked list takes about half a millisecond: only for the indices it covers.
  explicitCount ??= handPicked(dir, root).length;
  if (index < explicitCount) return handPicked(dir, root)[index];
  return randomCase(random(seed * 1_000_003 + index), dir, root);
}

async function worker(seed, from, step, total) {
  const run = await builtRun(root);
  const scratch = mkdtempSync(join(os.tmpdir(), 'gpucost-fuzz-'));
  let current = -1;
  const fail = (what) => process.send({ type: 'result', index: current, problems: [what] });
  process.on('uncaughtException', (e) => fail(`uncaught exception: ${e?.stack ?? e}`));
  process.on('unhandledRejection', (e) => fail(`unhandled rejection: ${e?.stack ?? e}`));
  for (let i = from; i < total; i += step) {
    current = i;
    const dir = join(scratch, String(i));
    mkdirSync(dir, { recursive: true });
    process.chdir(dir);
    process.send({ type: 'start', index: i });
    const start = performance.now();
    let c = { argv: [] };
    let problems;
    try {
      c = caseAt(seed, i, dir);
      ({ problems } = await check(run, c, dir));
    } catch (e) {
      problems = [`fuzzer error (not the CLI's): ${e?.stack ?? e}`];
    }
    process.send({ type: 'result', index: i, problems, ms: performance.now() - start, argv: c.argv });
    process.chdir(scratch);
    clean(dir);
  }
  clean(scratch);
  process.send({ type: 'done' });
}

/** Runs cases [0, total) in `workers` processes; returns failures and timings. */
async function inProcess(seed, total, workers, timeout) {
  const failures = [];
  let done = 0;
  let slowest = { ms: 0, argv: [] };
  const startWorker = (from, step) =>
    new Promise((resolve) => {
      const child = fork(fileURLToPath(import.meta.url), ['--worker', String(seed), String(from), String(step), String(total)], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let current = from;
      let timer;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          failures.push({ index: current, problems: [`no progress for ${timeout} ms (hang)`] });
          child.kill('SIGKILL');
        }, timeout);
      };
      arm();
      child.on('message', (m) => {
        if (m.type === 'start') {
          current = m.index;
          arm();
        } else if (m.type === 'result') {
          done += 1;
          if (m.ms > slowest.ms) slowest = { ms: m.ms, argv: m.argv };
          if (m.problems.length) failures.push({ index: m.index, argv: m.argv, problems: m.problems });
          if (done % 1000 === 0) process.stderr.write(`  ${done} cases, ${failures.length} failing\n`);
        }
      });
      let finished = false;
      child.on('message', (m) => {
        if (m.type === 'done') finished = true;
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (finished) return resolve();
        // A worker that hung (killed) or died resumes after the case it was on.
        if (!failures.some((f) => f.index === current)) failures.push({ index: current, problems: [`worker process died (exit ${code}, signal ${signal})`] });
        resolve(current + step < total ? startWorker(current + step, step) : undefined);
      });
    });
  await Promise.all(Array.from({ length: workers }, (_, w) => startWorker(w, workers)));
  return { failures, done, slowest };
}

/** Random cases and process-level cases run as real processes of the built binary. */
async function spawned(seed, count) {
  const bin = join(root, 'bin', 'gpucost.js');
  const failures = [];
  const scratch = mkdtempSync(join(os.tmpdir(), 'gpucost-fuzz-spawned-'));
  for (let i = 0; i < count; i++) {
    const dir = join(scratch, String(i));
    mkdirSync(dir, { recursive: true });
    const c = randomCase(random(seed * 7_919 + i), dir, root);
    c.argv = c.argv.map((a) => a.replaceAll('\u0000', '0')); // a process cannot be given a NUL in an argument
    createFiles(c.files);
    const r = spawnSync(process.execPath, [bin, ...c.argv], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1', ...c.env },
      maxBuffer: 1 << 30,
    });
    const problems = [];
    if (r.error) problems.push(`did not finish: ${r.error.message}`);
    else if (![0, 1, 2].includes(r.status)) problems.push(`exit status ${r.status} (signal ${r.signal})`);
    if (/\n\s+at \S.*:\d+:\d+/.test(r.stderr ?? '') && !c.argv.includes('--debug')) problems.push('stack trace on stderr');
    if (/internal error/.test(r.stderr ?? '')) problems.push(`internal error: ${r.stderr.split('\n')[0]}`);
    if (problems.length) failures.push({ index: `spawned ${i}`, argv: c.argv, problems });
    clean(dir);
  }
  // A reader that stops early (`gpucost compare … | head -1`): quiet, exit 0.
  for (const argv of [
    ['compare', '--gpu', 'h100', '--gpus', '1..100000+1', '--format', 'csv'],
    ['compare', '--gpu', 'a100,h100', '--gpus', '1..4096+1'],
    ['presets', 'list'],
  ]) {
    const viaShell = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${bin}" ${argv.map((a) => `'${a}'`).join(' ')} | head -1 > /dev/null; echo "status:\${PIPESTATUS:-}"`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (viaShell.stderr.trim() !== '') failures.push({ index: 'closed stdout (sh | head -1)', argv, problems: [`stderr: ${viaShell.stderr.split('\n')[0]}`] });
    const status = await closedEarly(bin, argv);
    if (status.code !== 0 || status.stderr !== '')
      failures.push({ index: 'closed stdout', argv, problems: [`exit ${status.code}, stderr: ${status.stderr.split('\n')[0]}`] });
  }
  failures.push(...fullSizeStream(bin));
  const signalled = await signalRuns(bin, seed, scratch, SIGNAL_RUNS);
  failures.push(...signalled);
  clean(scratch);
  return { failures, count: count + PROCESS_CHECKS + SIGNAL_RUNS };
}

/**
 * `compare … --format csv -o FILE` sent SIGINT, SIGTERM or SIGHUP at a random moment (before the
 * temporary file exists, while it is written, or after the rename): no temporary file may be left,
 * FILE is either the complete output (the run finished first) or exactly what was there before,
 * and a run ended by the signal exits 128 + its number.
 */
async function signalRuns(bin, seed, scratch, n) {
  const failures = [];
  for (let i = 0; i < n; i++) {
    const r = random(seed * 104_729 + i);
    const dir = join(scratch, `signal-${i}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'out.csv');
    const old = r.chance(0.5) ? 'old contents\n' : undefined;
    if (old !== undefined) writeFileSync(file, old);
    const rows = r.int(1_000, 300_000);
    const name = r.pick(SIGNALS);
    const argv = ['compare', '--gpu', 'h100', '--gpus', `1..${rows}+1`, '--format', 'csv', '--output', file];
    const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill(name), r.int(0, 600));
    const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(timer);
    const problems = [];
    const leftovers = readdirSync(dir).filter((f) => f.startsWith('.') && f.endsWith('.tmp'));
    if (leftovers.length) problems.push(`temporary file left: ${leftovers.join(', ')}`);
    const now = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const complete = now !== undefined && now.split('\r\n').length === rows + 2;
    if (code === 0) {
      if (!complete) problems.push('finished with exit 0 but FILE is not the complete output');
    } else {
      const status = 128 + os.constants.signals[name];
      if (signal === null && code !== status) problems.push(`exit ${code} after ${name}, not ${status}`);
      // The signal may land after the rename: then FILE is already the whole new output.
      if (now !== old && !complete) problems.push(`ended by ${name} but FILE is neither the old nor the whole new output`);
    }
    if (/\n\s+at \S.*:\d+:\d+/.test(stderr)) problems.push('stack trace on stderr');
    // What the process said, so that a failure that depends on timing can be read after the fact.
    if (problems.length) problems.push(`stderr: ${stderr.split('\n').slice(0, 8).join(' | ')}`);
    if (problems.length) failures.push({ index: `signal ${i} (${name})`, argv, problems });
    clean(dir);
  }
  return failures;
}

/**
 * `compare --format csv` of 100,000 counts as a process in a 16 MB heap: exit 0, every row, in order
 * (tests/cli/compare-stream.test.ts checks 20,001 in every npm test). And the control that makes the
 * heap limit mean something: the same rows held in memory (a gate needs all of them) exhaust it.
 */
function fullSizeStream(bin) {
  const n = 100_000;
  const argv = ['compare', '--gpu', 'h100', '--gpus', `1..${n}+1`, '--format', 'csv'];
  const node = (extra) =>
    spawnSync(process.execPath, ['--max-old-space-size=16', bin, ...argv, ...extra], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
  const failures = [];
  const r = node([]);
  const problems = [];
  if (r.status !== 0) problems.push(`exit ${r.status} (signal ${r.signal}): ${(r.stderr ?? '').split('\n')[0]}`);
  else {
    const lines = r.stdout.split('\r\n');
    if (r.stderr !== '') problems.push(`stderr: ${r.stderr.split('\n')[0]}`);
    if (lines.length !== n + 2) problems.push(`${lines.length} lines, not ${n + 2} (header, rows, the empty string after the last CRLF)`);
    const wrong = lines.slice(1, -1).findIndex((l, i) => !l.startsWith(`gpt3-175b,h100-sxm,${i + 1},`));
    if (wrong >= 0) problems.push(`row ${wrong + 1} is not ${wrong + 1} × h100-sxm: ${lines[wrong + 1]?.slice(0, 60)}`);
  }
  if (problems.length) failures.push({ index: 'full-size stream (16 MB heap)', argv, problems });
  const held = node(['--price', '2', '--max-cost', '1e30']);
  if (!/heap out of memory/.test(held.stderr ?? '')) {
    failures.push({
      index: 'full-size stream, control',
      argv: [...argv, '--price', '2', '--max-cost', '1e30'],
      problems: [`the rows held in memory did not exhaust a 16 MB heap (exit ${held.status}): the limit above shows nothing`],
    });
  }
  return failures;
}

/** Starts gpucost with a pipe for stdout, reads one chunk, closes the pipe; resolves with the exit code and stderr. */
function closedEarly(bin, argv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

async function main() {
  const total = Number(option('--cases', '10000'));
  const seed = Number(option('--seed', String(Math.floor(Math.random() * 2 ** 31))));
  const workers = Number(option('--workers', String(Math.max(1, os.cpus().length))));
  const timeout = Number(option('--timeout', '20000'));
  const spawnCount = Number(option('--spawned', '200'));
  const explicitCount = handPicked('/x', root).length;
  console.log(`fuzz: seed ${seed}, ${total} in-process cases (${explicitCount} hand-picked) in ${workers} workers, ${spawnCount} spawned`);
  const started = Date.now();
  await import('./fuzz-lib.mjs').then((m) => m.builtRun(root)); // fails early without a build
  const a = await inProcess(seed, total, workers, timeout);
  const inMs = Date.now() - started;
  const b = await spawned(seed, spawnCount);
  const seconds = (Date.now() - started) / 1000;
  const failures = [...a.failures, ...b.failures];
  for (const f of failures.slice(0, 50)) console.log(`FAIL case ${f.index}: ${JSON.stringify(f.argv ?? [])}\n  ${f.problems.join('\n  ')}`);
  console.log(
    `fuzz: ${a.done} in-process cases in ${(inMs / 1000).toFixed(0)} s, ${b.count} as processes; ${failures.length} failing; ${seconds.toFixed(0)} s in all; slowest case ${a.slowest.ms.toFixed(0)} ms ${JSON.stringify(a.slowest.argv)}`,
  );
  if (args.includes('--record')) {
    writeFileSync(
      join(root, 'docs', 'fuzzing.md'),
      record({
        seed,
        total: a.done,
        explicitCount,
        spawned: b.count,
        seconds,
        failures: failures.length,
        workers,
        slowest: a.slowest,
        prototypeCount: prototypeCases(root).length,
        signalRuns: SIGNAL_RUNS,
      }),
    );
    console.log('wrote docs/fuzzing.md');
  }
  process.exitCode = failures.length ? 1 : 0;
}

function record(r) {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown';
  return `# Fuzzing

\`scripts/fuzz.mjs\` throws random and hand-picked inputs at the built CLI; \`tests/fuzz.test.ts\` runs a
sample of the same cases (a few hundred, in seconds) in every \`npm test\`. Every run must end with
exit 0, 1 or 2, print no stack trace and no "internal error", throw nothing uncaught, write
\`--output\` completely or not at all (no temporary file left behind), change no file in its scratch
folder but the \`--output\` file (and the targets of its links), and print parseable JSON for
\`--format json\`. Hand-picked cases add their own checks (the exit code, and for example that an
unknown field is named on stderr).

Inputs: random argv (every command and flag, numbers such as \`1e400\`, \`-1\`, \`0\`, \`NaN\`, 400 nines,
unicode digits, empty and very long values, ranges that never end or never advance, unknown and
repeated flags); run files, preset folders and Hugging Face configs mutated line by line (dropped,
duplicated and truncated lines, unknown and \`__proto__\` keys, wrong types, tabs, anchors and
aliases, deep nesting, a second document, BOM and CRLF); and odd files: empty, binary, over 1 MB, a
directory, \`/dev/zero\`, \`/proc/self/mem\`, missing, and chmod 000. As root, chmod 000 does not stop a
read, so that case then expects success; \`/proc/self/mem\`, which no one can read from its start,
covers the read error instead. Closed stdout: \`gpucost compare … | head -1\` and a reader that
closes the pipe after one chunk must both end quietly with exit 0. A CSV comparison of 100,000
counts must stream in a 16 MB heap (every row, in order), where the same rows held in memory run out.

Added for the hardening issue (18), with docs/security.md as the threat model they test:

- **Prototype names** (\`__proto__\`, \`constructor\`, \`toString\`, \`hasOwnProperty\`, \`valueOf\`,
  \`isPrototypeOf\`, \`__defineGetter__\`) as the value of every value-taking option of every command,
  read from each command's \`--help\` (${r.prototypeCount} cases): each must exit 2. Random cases also
  draw them for choice options and formats.
- **Hostile input files**: a FIFO with no writer as a run file, model config, preset, preset folder
  entry and log (must not hang); \`/dev/zero\` as a log; symbolic links to a good file (works), to a
  device, in a loop and dangling; 80,000 keys in a run file, a preset and a Hugging Face config;
  a JSON parse error that must not echo the file's first bytes; MoE configs with more experts per
  token than experts, and heads not divisible by key/value heads.
- **Outputs**: \`--output\` through a symbolic link (the link stays, its target gets the data), through a
  dangling link and a link loop, and \`-o /dev/null\` (still a device afterwards, even as root).
- **Signals**: ${r.signalRuns} runs of a streamed comparison to \`--output\` sent SIGINT, SIGTERM or SIGHUP at a
  random moment: no temporary file left, the file either untouched or complete, exit 128 + signal.

## Last full run

- Date: ${new Date().toISOString().slice(0, 10)}; machine: ${cpu}, ${os.cpus().length} cores, Node.js ${process.version}${process.getuid?.() === 0 ? ', as root' : ''}
- Command: \`node scripts/fuzz.mjs --cases ${r.total} --seed ${r.seed} --workers ${r.workers} --spawned ${r.spawned - PROCESS_CHECKS - SIGNAL_RUNS} --record\`
- Cases: ${r.total} in-process (${r.explicitCount} of them hand-picked), ${r.spawned} as separate processes
- Seed: ${r.seed}
- Duration: ${r.seconds.toFixed(0)} s
- Failing cases: **${r.failures}**
- Slowest case: ${r.slowest.ms.toFixed(0)} ms (\`${r.slowest.argv.join(' ')}\`)
`;
}
