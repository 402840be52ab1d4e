// Reading MLPerf Training results from a git clone of an mlcommons/training_results_* repository:
// the files of one commit, the `export` settings of a system's config, and the step times of its logs.
// Shared by scripts/import-mlperf-405b.mjs and scripts/import-mlperf-gpt3.mjs.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';

/** The files, their blob ids, and a reader of one commit of a results repository. */
export function resultsRepo(gitDir, commit) {
  const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const listing = git('ls-tree', '-r', commit).split('\n').filter(Boolean);
  const blobs = new Map(listing.map((l) => [l.split('\t')[1], l.split(/\s+/)[2]]));
  return { files: [...blobs.keys()], blobs, show: (path) => git('show', `${commit}:${path}`) };
}

/**
 * `export NAME=value` settings of a config, the files it sources first, in order: a
 * `${NAME:=default}` value counts as its default, and `skip` names sourced files to pass over (a
 * branch for another round). Sourced files the submission left out are collected in `missing`.
 */
export function configSettings(repo, path, skip = /^$/, into = new Map(), missing = []) {
  for (const line of repo.show(path).split('\n')) {
    const sourced = line.match(/source \$\(dirname \$\{BASH_SOURCE\[0\]\}\)\/(\S+\.sh)/);
    if (sourced && !skip.test(sourced[1])) {
      const next = join(dirname(path), sourced[1]);
      if (repo.files.includes(next)) configSettings(repo, next, skip, into, missing);
      else missing.push(sourced[1]);
    }
    const set = line.match(/^\s*export ([A-Z0-9_]+)=("?)([^"\s#]*)\2/);
    if (set) into.set(set[1], set[3].replace(/^\$\{[A-Z0-9_]+:=([^}]*)\}$/, '$1'));
  }
  return { env: into, missing };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Global batch, every numeric tracked_stats value whose key matches `stepKey`, and the largest
 * max_memory_usage (rank 0's torch.cuda.max_memory_allocated in GiB, which NVIDIA's mlperf-common
 * logging callback adds to tracked_stats; null where the log has none), in one MLPerf log.
 */
export function readLog(repo, path, stepKey) {
  let batch = null;
  let peakMemoryGiB = null;
  const steps = [];
  for (const line of repo.show(path).split('\n')) {
    // Some submitters' logs prefix each line with the rank ("   0: :::MLLOG {...}").
    const at = line.indexOf(':::MLLOG {');
    if (at < 0) continue;
    const rec = JSON.parse(line.slice(at + 9));
    if (rec.key === 'global_batch_size') batch = rec.value;
    if (rec.key !== 'tracked_stats' || typeof rec.value !== 'object' || rec.value === null) continue;
    for (const [k, v] of Object.entries(rec.value)) if (stepKey.test(k) && typeof v === 'number') steps.push(v);
    const memory = rec.value.max_memory_usage;
    if (typeof memory === 'number') peakMemoryGiB = Math.max(peakMemoryGiB ?? 0, memory);
  }
  return { batch, steps, peakMemoryGiB };
}

/** A YAML flow mapping of the entries that have a value, in their order: `{ tp: 4, pp: 8 }`. */
function flow(entries) {
  return `{ ${Object.entries(entries)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')} }`;
}

/**
 * One throughput row of presets/throughput/ as the importers write it: `extra` are `key: value`
 * lines after the precision (fp8Params, kernels); `parallelism` and `measured` are written as flow
 * mappings in their entries' order, leaving out those without a value.
 */
export function throughputRowYaml({ id, where, model, seqLen, gpu, gpus, precision, extra = [], parallelism, measured, notes }) {
  return [
    `  - id: ${id}`,
    `    where: ${JSON.stringify(where)}`,
    `    model: ${model}`,
    `    seqLen: ${seqLen}`,
    `    gpu: ${gpu}`,
    `    gpus: ${gpus}`,
    `    precision: ${precision}`,
    ...extra.map((line) => `    ${line}`),
    '    attention: flash',
    `    parallelism: ${flow(parallelism)}`,
    `    measured: ${flow(measured)}`,
    `    notes: [${notes.map((n) => JSON.stringify(n)).join(', ')}]`,
  ];
}
