#!/usr/bin/env node
// Checks the MLPerf Llama 2 70B LoRA rows (presets/finetune/mlperf-llama2-70b-lora.yaml and
// mlperf-v51-llama2-70b-lora.yaml) against what they cite, read from git clones of
// mlcommons/training_results_v4.0 … v5.1: their fp8Attention against the configs, and, where the
// result log prints the run's resolved NeMo config, their precision, FP8 attention and layout (TP,
// PP, CP, micro-batch, global batch) against the log:
//
//   node scripts/check-mlperf-lora.mjs v4.0=path/to/v4.0.git v4.1=… v5.0=… v5.1=…
//
// The rule the rows follow (declared on 2026-12-06): fp8Attention is true on an FP8 (or lower)
// row whose layout config exports FP8_DPA=1 or True, read with the files it sources in order (later
// exports win). NVIDIA's v4.0 configs source config_common.sh from their own folder, but the
// submission keeps it in configs/ beside them, where its README runs them from; that one is read.
// Where the row's result log prints the run's resolved config (NeMo's dump: `fp8:` and
// `fp8_dot_product_attention:`), the log decides instead, and the row's precision and layout are
// checked against it too: a config can source files the submission left out or that sit at a path
// of the submitter's machine.
// Prints each row that disagrees and exits 1 if any does; rows whose config is not in the clones
// are listed as unchecked.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configSettings, resultsRepo } from './mlperf-results.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SETS = ['presets/finetune/mlperf-llama2-70b-lora.yaml', 'presets/finetune/mlperf-v51-llama2-70b-lora.yaml'];
/** The round in a row id (mlperf-v41-…) and the repository it comes from (v4.1). */
const ROUND = { v40: 'v4.0', v41: 'v4.1', v50: 'v5.0', v51: 'v5.1' };

const clones = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
if (Object.keys(clones).length === 0) {
  console.error('usage: node scripts/check-mlperf-lora.mjs v4.0=path/to/training_results_v4.0.git …');
  process.exit(2);
}
const repos = Object.fromEntries(Object.entries(clones).map(([round, dir]) => [round, resultsRepo(dir, 'HEAD')]));

/** FP8_DPA as the config sets it, with a missing config_common.sh read from configs/ beside it first. */
function fp8Dpa(repo, config) {
  const env = new Map();
  const { missing } = configSettings(repo, config, /^$/, new Map());
  const beside = join(dirname(config), 'configs', 'config_common.sh');
  if (missing.includes('config_common.sh') && repo.files.includes(beside)) configSettings(repo, beside, /^$/, env);
  configSettings(repo, config, /^$/, env);
  return /^(1|True)$/.test(env.get('FP8_DPA') ?? '0');
}

/** FP8, FP8 attention and the layout as the run's log prints its resolved config, where it does. */
function loggedConfig(repo, log) {
  if (!log || !repo.files.includes(log)) return undefined;
  const text = repo.show(log);
  const value = (key) => text.match(new RegExp(`^\\S*\\s+${key}: (\\S+)$`, 'm'))?.[1];
  if (value('fp8') === undefined) return undefined;
  const on = (v) => /^(1|true|True)$/.test(v ?? '0');
  return {
    fp8: on(value('fp8')),
    attention: on(value('fp8_dot_product_attention')),
    layout: {
      tp: value('tensor_model_parallel_size'),
      pp: value('pipeline_model_parallel_size'),
      cp: value('context_parallel_size'),
      microBatch: value('micro_batch_size'),
      globalBatch: value('global_batch_size'),
    },
  };
}

/** The layout fields of a row that differ from the log's. */
function layoutDisagreements(row, logged) {
  const stated = { tp: row.tp ?? 1, pp: row.pp ?? 1, cp: row.cp ?? 1, microBatch: row.microBatch, globalBatch: row.globalBatch };
  return Object.entries(stated)
    .filter(([key, v]) => v !== undefined && String(v) !== logged[key])
    .map(([key, v]) => `${key} ${v}, the log ${logged[key]}`);
}

let disagreements = 0;
const unchecked = [];
for (const set of SETS) {
  for (const row of parse(readFileSync(join(root, set), 'utf8')).rows) {
    const round = ROUND[row.id.match(/^mlperf-(v\d\d)/)?.[1]];
    const config = row.where.match(/layout from (\S+\.sh)/)?.[1];
    const repo = repos[round];
    if (!repo || !config || !repo.files.includes(config)) {
      unchecked.push(row.id);
      continue;
    }
    const lowPrecision = ['fp8', 'mxfp8', 'fp4'].includes(row.precision ?? 'bf16');
    const logged = loggedConfig(repo, row.where.match(/: (\S+\/result_\S*\.txt)/)?.[1]);
    if (logged && logged.fp8 !== lowPrecision) {
      disagreements++;
      console.log(`${row.id}: precision ${row.precision ?? 'bf16'}, the log says fp8 ${logged.fp8}`);
    }
    for (const difference of logged ? layoutDisagreements(row, logged.layout) : []) {
      disagreements++;
      console.log(`${row.id}: ${difference}`);
    }
    const expected = logged ? logged.fp8 && logged.attention : lowPrecision && fp8Dpa(repo, config);
    if ((row.fp8Attention ?? false) !== expected) {
      disagreements++;
      console.log(`${row.id}: fp8Attention ${row.fp8Attention ?? false}, the ${logged ? 'log' : 'config'} says ${expected} (${config})`);
    }
  }
}
if (unchecked.length > 0) console.log(`unchecked (no clone or config): ${unchecked.join(', ')}`);
console.log(`${disagreements} disagreement(s)`);
process.exit(disagreements > 0 ? 1 : 0);
