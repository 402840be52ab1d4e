#!/usr/bin/env node
// `npm run bench`: start-up and throughput of the built CLI, measured side by side in one run, as
// ratios to `node -e 0` on the same machine at the same time. Writes docs/benchmarks.md.
//
// Start-up: every command is timed as a whole process (stdout to /dev/null). With hyperfine
// installed (Debian: apt-get install hyperfine) it does the timing; otherwise a Node harness runs
// the commands round-robin (so that load on the machine affects all alike), after warm-up runs.
// The ratio of medians is what the targets are about.
//
//   node bench/run.mjs [--runs N] [--harness node|hyperfine] [--no-write] [--quick]
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const quick = flag('--quick');
const runs = Number(option('--runs', quick ? '15' : '60'));
const bin = join(root, 'bin', 'gpucost.js');
const node = process.execPath;

const TARGETS = { startup: 1.3, compareRows: 2, coreEstimatesPerSecond: 1e6, layoutSearchMs: 1000 };

/**
 * Commands that search parallel layouts (tensor × pipeline × data × micro-batch × ZeRO × recompute)
 * with the step-time model: the whole process must finish well under a second (issue 5).
 */
const LAYOUT = [
  { name: 'node -e 0', argv: [node, '-e', '0'] },
  { name: 'gpucost estimate --gpus 1000 --perf model', argv: [node, bin, 'estimate', '--gpus', '1000', '--perf', 'model'] },
  {
    name: 'gpucost estimate --model llama3-405b --gpu h100 --gpus 16384 --perf model',
    argv: [node, bin, 'estimate', '--model', 'llama3-405b', '--gpu', 'h100', '--gpus', '16384', '--perf', 'model'],
  },
  {
    name: 'gpucost compare --model llama3-405b --gpu h100 --gpus 8..16384 --perf model',
    argv: [node, bin, 'compare', '--model', 'llama3-405b', '--gpu', 'h100', '--gpus', '8..16384', '--perf', 'model'],
  },
  {
    name: 'gpucost compare --model deepseek-v3 --gpu h800,h100,b200 --perf model',
    argv: [node, bin, 'compare', '--model', 'deepseek-v3', '--gpu', 'h800,h100,b200', '--perf', 'model'],
  },
  { name: 'gpucost memory --gpus 1000', argv: [node, bin, 'memory', '--gpus', '1000'] },
  { name: 'gpucost plan --deadline 34d --perf model', argv: [node, bin, 'plan', '--deadline', '34d', '--perf', 'model'] },
];

function hasHyperfine() {
  try {
    execFileSync('hyperfine', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const harness = option('--harness', hasHyperfine() ? 'hyperfine' : 'node');

/** Commands as argv arrays; the first is the baseline. */
const STARTUP = [
  { name: 'node -e 0', argv: [node, '-e', '0'] },
  { name: 'gpucost --version', argv: [node, bin, '--version'] },
  { name: 'gpucost estimate', argv: [node, bin, 'estimate'], target: true },
  { name: 'gpucost estimate --format json', argv: [node, bin, 'estimate', '--format', 'json'], target: true },
  { name: 'gpucost compare', argv: [node, bin, 'compare'], target: true },
  { name: 'gpucost compare --format json', argv: [node, bin, 'compare', '--format', 'json'], target: true },
];

/**
 * Node.js acts on NODE_* variables at every start, `node -e 0` included. NODE_EXTRA_CA_CERTS, for
 * one, makes each process read and parse a certificate bundle before running any code: on the
 * machine this was written on (where it is set for every process) that is about 40 ms of a 104 ms
 * `node -e 0`, which shrinks every ratio to it. When any is set, start-up is timed a second time
 * without them, so both ratios are on record.
 */
const NODE_VARIABLES = Object.keys(process.env)
  .filter((k) => k.startsWith('NODE_'))
  .sort();
const withoutNodeVariables = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NODE_')));

const quantile = (values, q) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * q))];
};

/**
 * Wall times (ms) of each command: median and 10th percentile over all runs, and the median over
 * rounds of the ratio to the first command within the round. Rounds run every command in turn (the
 * Node harness one run each, hyperfine a few runs each), so that load on the machine, which drifts,
 * falls on all commands alike.
 */
function time(commands, n, warmup, env = process.env) {
  const times = commands.map(() => []);
  const roundRatios = commands.map(() => []);
  if (harness === 'hyperfine') {
    const rounds = Math.max(1, Math.min(6, Math.floor(n / 5)));
    const dir = mkdtempSync(join(os.tmpdir(), 'gpucost-bench-'));
    const out = join(dir, 'h.json');
    const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
    for (let round = 0; round < rounds; round++) {
      const per = Math.ceil(n / rounds);
      execFileSync(
        'hyperfine',
        ['-N', '--warmup', String(round === 0 ? warmup : 1), '--runs', String(per), '--export-json', out, ...commands.map((c) => c.argv.map(quote).join(' '))],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
          env,
        },
      );
      const results = JSON.parse(readFileSync(out, 'utf8')).results;
      const base = quantile(results[0].times, 0.5);
      for (const [i, r] of results.entries()) {
        times[i].push(...r.times.map((t) => t * 1000));
        roundRatios[i].push(quantile(r.times, 0.5) / base);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  } else {
    for (let round = 0; round < warmup + n; round++) {
      const here = [];
      for (const c of commands) {
        const start = process.hrtime.bigint();
        const r = spawnSync(c.argv[0], c.argv.slice(1), { stdio: 'ignore', env });
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}`);
        here.push(ms);
      }
      if (round < warmup) continue;
      for (const [i, ms] of here.entries()) {
        times[i].push(ms);
        roundRatios[i].push(ms / here[0]);
      }
    }
  }
  return times.map((t, i) => ({
    median: quantile(t, 0.5),
    p10: quantile(t, 0.1),
    p25: quantile(t, 0.25),
    p75: quantile(t, 0.75),
    pairedRatio: quantile(roundRatios[i], 0.5),
  }));
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().slice(0, 10),
  };
}

/** In-process rates (per second) of the core formula and of a whole resolved estimate. */
async function throughput() {
  const lib = await import(pathToFileURL(join(root, 'dist', 'lib', 'index.js')).href);
  const rate = (f, seconds) => {
    for (let i = 0; i < 20000; i++) f(i); // warm up
    let n = 0;
    const end = performance.now() + seconds * 1000;
    const start = performance.now();
    while (performance.now() < end) for (let i = 0; i < 1000; i++, n++) f(n);
    return n / ((performance.now() - start) / 1000);
  };
  // The default estimate's core input (GPT-3 175B, 8·N·D with its architecture), at varying counts.
  const [rec] = lib.estimate({}, { today: '2026-01-01' }).estimates;
  const input = {
    params: rec.params,
    tokens: rec.tokens,
    convention: rec.flopsConvention,
    gpus: rec.gpus,
    flopsPerSecondPerGpu: rec.tflopsPerGpu * 1e12,
    scalingEfficiency: 1,
    usdPerGpuHour: null,
  };
  let sink = 0;
  const core = rate(
    (i) => {
      sink += lib.estimateTraining({ ...input, gpus: 1 + (i & 4095) }).wallClockSeconds;
    },
    quick ? 0.3 : 1,
  );
  const full = rate(
    (i) => {
      sink += lib.estimate({ model: 'llama2-70b', gpu: 'h100', gpus: 1 + (i & 4095), price: 2 }, { today: '2026-01-01' }).estimates[0].costUsd;
    },
    quick ? 0.3 : 1,
  );
  if (!(sink > 0)) throw new Error('throughput loop produced nothing');
  return { core, full };
}

/** `compare` of 100,000 counts as CSV against 2 × node -e 0 plus the time to write as many bytes. */
function compareRows(n) {
  const argv = [node, bin, 'compare', '--gpu', 'h100', '--gpus', '1..100000+1', '--format', 'csv'];
  const output = execFileSync(argv[0], argv.slice(1), { maxBuffer: 1 << 30 });
  const bytes = output.length;
  const writer = [node, '-e', `require('fs').writeSync(1, Buffer.alloc(${bytes}, 97))`];
  const [base, write, compare] = time(
    [
      { name: 'node -e 0', argv: [node, '-e', '0'] },
      { name: `node writing ${bytes} bytes`, argv: writer },
      { name: 'gpucost compare --gpus 1..100000+1 --format csv', argv },
    ],
    n,
    2,
  );
  const writeMs = Math.max(0, write.median - base.median);
  return {
    bytes,
    base: base.median,
    writeMs,
    compare: compare.median,
    limit: TARGETS.compareRows * base.median + writeMs,
    formatMs: formattingFloorMs(output),
  };
}

/**
 * The least time Node takes to turn the CSV's numbers into its text, in-process: the fields of the
 * output parsed back to numbers, then written out again with String() (a column's text reused when
 * its value repeats the line above, as gpucost does), joined in 1 MB chunks. Nothing is computed
 * and nothing is written: it is the formatting alone, the part no change to gpucost can remove.
 */
function formattingFloorMs(output) {
  const rows = output
    .toString('latin1')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(',').map((f) => (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/.test(f) ? Number(f) : f)));
  let best = Infinity;
  let chars = 0;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    const previous = [];
    const texts = [];
    let chunk = [];
    let size = 0;
    for (const row of rows) {
      let line = '';
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        if (previous[i] !== v) {
          previous[i] = v;
          texts[i] = typeof v === 'number' ? String(v) : v;
        }
        line += i === 0 ? texts[i] : `,${texts[i]}`;
      }
      line += '\r\n';
      chunk.push(line);
      size += line.length;
      if (size >= 1 << 20) {
        chars += chunk.join('').length;
        chunk = [];
        size = 0;
      }
    }
    chars += chunk.join('').length;
    best = Math.min(best, performance.now() - start);
  }
  if (!(chars > 0)) throw new Error('formatting floor produced nothing');
  return best;
}

const fmt = (ms) => ms.toFixed(1);
const ratio = (x, base) => (x / base).toFixed(3);

/**
 * How much `node -e 0` itself moved during a run: its 75th over its 25th percentile, less one. On a
 * quiet machine a few per cent; well above that, load on the machine is moving every ratio.
 */
const BUSY_SPREAD = 0.1;
const baselineSpread = (startup) => startup[0].p75 / startup[0].p25 - 1;
const spreadLine = (spread) =>
  `\`node -e 0\` runs spread by ${(spread * 100).toFixed(1)}% (75th over 25th percentile)${spread > BUSY_SPREAD ? `: more than ${BUSY_SPREAD * 100}%, so the machine was busy during this run and single ratios may be off by several per cent; re-run on a quiet machine` : ''}.`;

/** Rows of a start-up run, printed as they are made. */
function startupTable(startup, title) {
  const base = startup[0].median;
  console.log(`\n${title}`);
  console.log(`  ${spreadLine(baselineSpread(startup))}`);
  const rows = STARTUP.map((c, i) => {
    const r = startup[i];
    const within = !c.target || r.median / base <= TARGETS.startup;
    console.log(
      `  ${c.name.padEnd(34)} ${fmt(r.median).padStart(7)} ms  ${ratio(r.median, base)} × node -e 0 (paired ${r.pairedRatio.toFixed(3)})${c.target ? (within ? '  ok' : `  ABOVE ${TARGETS.startup}`) : ''}`,
    );
    return { name: c.name, median: r.median, p10: r.p10, ratio: r.median / base, paired: r.pairedRatio, target: c.target, within };
  });
  rows.spread = baselineSpread(startup);
  return rows;
}

const startupMarkdown = (rows) => [
  '| command | median (ms) | 10th percentile (ms) | × node -e 0 (ratio of medians) | × node -e 0 (median of paired ratios) | target |',
  '|---|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| \`${r.name}\` | ${fmt(r.median)} | ${fmt(r.p10)} | ${r.ratio.toFixed(3)} | ${r.paired.toFixed(3)} | ${r.target ? (r.within ? 'met' : 'missed') : ''} |`,
  ),
];

async function main() {
  const m = machine();
  console.log(`gpucost benchmark: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; harness ${harness}, ${runs} runs each`);

  const startupRows = startupTable(time(STARTUP, runs, 5), 'Start-up (median wall time, stdout to /dev/null)');
  const cleanRows =
    NODE_VARIABLES.length > 0 ? startupTable(time(STARTUP, runs, 5, withoutNodeVariables), `Start-up without ${NODE_VARIABLES.join(', ')}`) : null;

  const layout = time(LAYOUT, quick ? 5 : 15, 2);
  console.log('\nLayout search (whole process, median wall time)');
  const layoutRows = LAYOUT.slice(1).map((c, i) => {
    const r = layout[i + 1];
    const within = r.median < TARGETS.layoutSearchMs;
    console.log(
      `  ${c.name.padEnd(72)} ${fmt(r.median).padStart(7)} ms  ${ratio(r.median, layout[0].median)} × node -e 0${within ? '  ok' : `  ABOVE ${TARGETS.layoutSearchMs} ms`}`,
    );
    return { name: c.name, median: r.median, ratio: r.median / layout[0].median, within };
  });

  const tp = await throughput();
  console.log('\nThroughput in-process');
  console.log(`  core estimateTraining           ${(tp.core / 1e6).toFixed(2)} M/s (target ≥ ${TARGETS.coreEstimatesPerSecond / 1e6} M/s)`);
  console.log(`  resolve + compute (a full estimate) ${(tp.full / 1e3).toFixed(0)} k/s`);

  const cmp = compareRows(quick ? 3 : 7);
  const cmpWithin = cmp.compare <= cmp.limit;
  console.log('\ncompare --gpu h100 --gpus 1..100000+1 --format csv');
  console.log(
    `  ${fmt(cmp.compare)} ms for ${cmp.bytes} bytes; limit ${TARGETS.compareRows} × ${fmt(cmp.base)} + ${fmt(cmp.writeMs)} (writing the bytes) = ${fmt(cmp.limit)} ms  ${cmpWithin ? 'ok' : 'ABOVE'}`,
  );
  console.log(`  ${ratio(cmp.compare, cmp.base)} × node -e 0; turning the same numbers into text alone takes ${fmt(cmp.formatMs)} ms in-process`);

  if (!flag('--no-write')) {
    const md = report(m, startupRows, cleanRows, layoutRows, tp, cmp, cmpWithin);
    writeFileSync(join(root, 'docs', 'benchmarks.md'), md);
    console.log('\nwrote docs/benchmarks.md');
  }
}

function report(m, startupRows, cleanRows, layoutRows, tp, cmp, cmpWithin) {
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.mjs) on ${m.date}. Re-run it to measure another machine;`,
    'docs/performance.md explains the build choices behind these numbers.',
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory, ${m.os}, Node.js ${m.node}.`,
    `Harness: ${harness === 'hyperfine' ? 'hyperfine -N' : 'Node round-robin'}, ${startupRows.length} commands side by side, ${runs} runs each after 5 warm-up runs; stdout to /dev/null.`,
    '',
    '## Start-up',
    '',
    `Target: \`gpucost estimate\` and \`gpucost compare\` within ${TARGETS.startup}× of \`node -e 0\` (ratio of medians).`,
    '',
    `Environment: ${NODE_VARIABLES.length > 0 ? `as the shell has it, with ${NODE_VARIABLES.map((k) => `\`${k}\``).join(', ')} set` : 'no NODE_* variables set'}.`,
    '',
    ...startupMarkdown(startupRows),
    '',
    spreadLine(startupRows.spread),
    '',
    'Paired ratios divide each run by the `node -e 0` run of the same round; they move less with the load on the machine.',
    '',
    ...(cleanRows
      ? [
          `### Without ${NODE_VARIABLES.map((k) => `\`${k}\``).join(', ')}`,
          '',
          'Node.js acts on these at every start, `node -e 0` included (NODE_EXTRA_CA_CERTS makes each process parse a certificate bundle first), so the same commands, timed again without them in the same run:',
          '',
          ...startupMarkdown(cleanRows),
          '',
          spreadLine(cleanRows.spread),
          '',
        ]
      : []),
    '## Layout search',
    '',
    'Commands that search parallel layouts with the step-time model (`--perf model`, `memory`, `plan --deadline`), timed as whole processes. Target: well under a second.',
    '',
    '| command | median (ms) | × node -e 0 | under 1 s |',
    '|---|---:|---:|---|',
    ...layoutRows.map((r) => `| \`${r.name}\` | ${fmt(r.median)} | ${r.ratio.toFixed(2)} | ${r.within ? 'yes' : 'no'} |`),
    '',
    '## Throughput',
    '',
    '| measure | result | target |',
    '|---|---:|---|',
    `| core estimates per second (\`estimateTraining\`, in-process) | ${(tp.core / 1e6).toFixed(2)} M/s | ≥ 1 M/s: ${tp.core >= TARGETS.coreEstimatesPerSecond ? 'met' : 'missed'} |`,
    `| full estimates per second (resolve presets + compute, in-process) | ${(tp.full / 1e3).toFixed(0)} k/s | |`,
    `| \`compare --gpu h100 --gpus 1..100000+1 --format csv\` (${(cmp.bytes / 1e6).toFixed(1)} MB) | ${fmt(cmp.compare)} ms = ${(cmp.compare / cmp.base).toFixed(2)} × node -e 0 | < ${TARGETS.compareRows} × node -e 0 + writing the bytes = ${fmt(cmp.limit)} ms: ${cmpWithin ? 'met' : 'missed'} |`,
    '',
    `"Writing the bytes" is a Node process writing as many bytes to the same place, less \`node -e 0\` (${fmt(cmp.writeMs)} ms here).`,
    `Turning the output's numbers into its text, and nothing else, takes ${fmt(cmp.formatMs)} ms in-process (a bare loop of String() over the parsed fields, reusing a column's text when it repeats): ${cmp.formatMs > cmp.limit - cmp.base ? 'more than the target leaves for the whole command after start-up, so the target cannot be met while the CSV carries these numbers at full precision' : 'within what the target leaves after start-up'}.`,
    '',
  ];
  return `${lines.join('\n')}`;
}

main().catch((e) => {
  console.error(`bench: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
});
