#!/usr/bin/env node
// Writes presets/throughput/mlperf-gpt3-175b.yaml from MLPerf Training v4.0's and v4.1's GPT-3 175B
// pre-training results (closed division), and since 2026-12-06 v3.0's and v3.1's, read from git
// clones of mlcommons/training_results_v4.0, v4.1, v3.0 and v3.1 (read in that order, so that the
// rows first compared keep their ids when an older round repeats them).
//
//   node scripts/import-mlperf-gpt3.mjs path/to/training_results_v4.0.git path/to/training_results_v4.1.git \
//     path/to/training_results_v3.0.git path/to/training_results_v3.1.git
//
// The rule, written down before any row was compared with gpucost: every closed-division system that
// submitted gpt3, on a GPU gpucost has a preset for, whose implementation directory holds one system
// config (config_<system>.sh; config_common*.sh, config_fp8.sh and config_mounts.sh are shared
// settings), whose logged global batch is MINIBS × DP, and whose result files are not byte for byte
// those of an earlier round's. The rate is the median of the logs' per-step timings (NVIDIA's
// custom_callbacks.py, "train_step_timing in s", evaluation outside it) over every result file of
// the system, as tokens per second per GPU: the logged global batch × 2,048 tokens ÷ that median ÷ GPUs.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSettings, median, readLog, resultsRepo, throughputRowYaml } from './mlperf-results.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rounds = [
  { name: 'v4.0', tag: 'v40', gitDir: process.argv[2], commit: '6fe95437' },
  { name: 'v4.1', tag: 'v41', gitDir: process.argv[3], commit: 'b87b9e39' },
  // Added 2026-12-06, after the v4 rows had been compared and before these were.
  { name: 'v3.0', tag: 'v30', gitDir: process.argv[4], commit: '63e326c4' },
  { name: 'v3.1', tag: 'v31', gitDir: process.argv[5], commit: 'd06288b2' },
];
if (!rounds.every((r) => r.gitDir)) {
  console.error(
    'usage: node scripts/import-mlperf-gpt3.mjs training_results_v4.0.git training_results_v4.1.git training_results_v3.0.git training_results_v3.1.git',
  );
  process.exit(2);
}
const SEQ_LEN = 2048;
const GPU_OF = {
  'NVIDIA H100-SXM5-80GB': 'h100-sxm',
  // Azure's v3.1 system description spells the same part without the 5.
  'NVIDIA H100-SXM-80GB': 'h100-sxm',
  'NVIDIA H200-SXM5-141GB': 'h200',
  'NVIDIA Blackwell GPU (GB200)': 'gb200',
  'NVIDIA B200-SXM-180GB': 'b200',
  'NVIDIA Blackwell GPU (B200-SXM-180GB)': 'b200',
};
const SHARED = /^config_(common.*|fp8|mounts)\.sh$/;
// The v3.1 branch of the configs' common settings, which these rounds do not take.
const V31 = /_v31\.sh$/;
// NVIDIA's custom_callbacks.py logs each step's time as "train_step_timing in s" in these rounds.
const STEP_KEY = /^train_step_tim/;

/**
 * The system's config: the one system config in its own implementation directory; else, where the
 * organisation keeps its configs together, the one whose name gives the system's node count and GPUs
 * a node (config_DGXH100_1452x8x6x4x6_mbs1_cg.sh: 1,452 nodes of 8).
 */
function systemConfigs(r, org, system, description) {
  const base = (f) => f.split('/').pop();
  const impl = `${org}/benchmarks/gpt3/implementations/${system}/`;
  const own = r.files.filter((f) => f.startsWith(impl) && /^config_.*\.sh$/.test(f.slice(impl.length)) && !SHARED.test(f.slice(impl.length)));
  if (own.length > 0) return own;
  const shape = new RegExp(`^config_[A-Za-z0-9]+_${description.number_of_nodes}x${description.accelerators_per_node}x`);
  return r.files.filter((f) => f.startsWith(`${org}/benchmarks/gpt3/`) && shape.test(base(f)));
}

/**
 * The default NeMo's config takes for a setting the shell config leaves unset: v3.1's conf/custom.yaml
 * reads `${oc.env:INTERLEAVED_PIPELINE,12}`, so its runs interleaved 12 chunks a stage without saying so.
 */
function yamlDefault(r, configPath, name) {
  const yaml = `${configPath.slice(0, configPath.lastIndexOf('/'))}/conf/custom.yaml`;
  if (!r.files.includes(yaml)) return undefined;
  return r.show(yaml).match(new RegExp(`\\$\\{oc\\.env:${name},([^}]+)\\}`))?.[1];
}

const rows = [];
const skipped = [];
const seen = new Set();
for (const r of rounds.map((round) => ({ ...round, ...resultsRepo(round.gitDir, round.commit) }))) {
  const systems = [...new Set(r.files.filter((f) => /\/results\/[^/]+\/gpt3\/result_\d+\.txt$/.test(f)).map((f) => f.split('/').slice(0, 3).join('/')))];
  for (const dir of systems.sort()) {
    const [org, , system] = dir.split('/');
    const results = r.files.filter((f) => f.startsWith(`${dir}/gpt3/result_`));
    const key = results.map((f) => r.blobs.get(f)).join(',');
    if (seen.has(key)) {
      skipped.push(`${r.name} ${org} ${system}: its result files are those of a round already read`);
      continue;
    }
    seen.add(key);
    const description = JSON.parse(r.show(`${org}/systems/${system}.json`));
    const gpu = GPU_OF[description.accelerator_model_name];
    if (description.division !== 'closed' || !gpu) {
      skipped.push(`${r.name} ${org} ${system}: ${description.accelerator_model_name} has no preset`);
      continue;
    }
    const configs = systemConfigs(r, org, system, description);
    if (configs.length !== 1) {
      skipped.push(`${r.name} ${org} ${system}: ${configs.length} configs match it`);
      continue;
    }
    const { env, missing } = configSettings(r, configs[0], V31);
    const gpus = Number(description.number_of_nodes) * Number(description.accelerators_per_node);
    const logs = results.map((f) => readLog(r, f, STEP_KEY));
    const batches = new Set(logs.map((l) => l.batch));
    const [tp, pp, mbs] = ['TENSOR_MODEL_PARALLEL', 'PIPELINE_MODEL_PARALLEL', 'MICRO_BATCH_SIZE'].map((k) => Number(env.get(k)));
    const vp = Number(env.get('INTERLEAVED_PIPELINE') ?? yamlDefault(r, configs[0], 'INTERLEAVED_PIPELINE') ?? 1) || 1;
    const dp = gpus / (tp * pp);
    const globalBatch = [...batches][0];
    if (batches.size !== 1 || globalBatch !== Number(env.get('MINIBS')) * dp) {
      skipped.push(`${r.name} ${org} ${system}: the logged batch is not MINIBS × DP of its config`);
      continue;
    }
    if (logs.every((l) => l.steps.length === 0)) {
      skipped.push(`${r.name} ${org} ${system}: its logs time no training step`);
      continue;
    }
    const stepSeconds = median(logs.flatMap((l) => l.steps));
    const on = (k) => env.get(k) === 'True';
    rows.push({
      id: `mlperf-${r.tag}-gpt3-${system
        .replace(/_ngc.*$/, '')
        .replace(/[^a-z0-9]+/gi, '-')
        .toLowerCase()}`,
      where: `MLPerf Training ${r.name} closed, ${org} ${system}: ${dir}/gpt3/result_*.txt (${logs.length} runs, median per-step timing ${stepSeconds.toFixed(3)} s over ${logs.reduce((n, l) => n + l.steps.length, 0)} values); layout from ${configs[0]}`,
      gpu,
      gpus,
      tp,
      pp,
      dp,
      vp,
      mbs,
      globalBatch,
      // NeMo's v3 configs spell no checkpointing as ACT_CKPT_GRANULARITY=null.
      recompute: missing.length ? null : [undefined, 'null'].includes(env.get('ACT_CKPT_GRANULARITY')) ? 'none' : env.get('ACT_CKPT_GRANULARITY'),
      sequenceParallel: env.get('SEQ_PARALLEL') !== 'False',
      zero: on('USE_DIST_OPTIMIZER') ? 'zero1' : 'none',
      precision: on('FP8') ? 'fp8' : 'bf16',
      stepSeconds,
      notes: [
        `TP communication overlap ${on('TP_COMM_OVERLAP') ? 'on' : 'off'}; FP8 parameters ${on('FP8_PARAMS') ? 'on' : 'off'}`,
        ...(missing.length ? [`the config sources ${missing.join(', ')}, which the submission does not include`] : []),
      ],
      source: r,
    });
  }
}

const sources = rounds.map((r) => [
  `  - title: "MLCommons, MLPerf Training ${r.name} results (gpt3 result logs, system descriptions and implementation configs)"`,
  `    url: https://github.com/mlcommons/training_results_${r.name}/tree/${r.commit}`,
  '    retrieved: 2026-12-06',
]);
const yaml = [
  '# yaml-language-server: $schema=../../schema/throughput.schema.json',
  '# Written by scripts/import-mlperf-gpt3.mjs from mlcommons/training_results_v4.0, v4.1, v3.0 and v3.1 (see sources); do not edit by hand.',
  'id: mlperf-gpt3-175b',
  'name: "MLPerf Training v3.0 to v4.1 (closed): GPT-3 175B pre-training step times from the submitted logs"',
  `framework: "NVIDIA's NeMo and Megatron-Core implementation of the benchmark (FP8 with Transformer Engine)"`,
  'split: holdout',
  'sources:',
  ...sources.flat(),
  'notes:',
  `  - 'Held out, declared with the rule of scripts/import-mlperf-gpt3.mjs before any row was compared with gpucost: every closed-division gpt3 system on a GPU with a preset with one config (its own, or one named for its node count), whose logged batch is MINIBS × DP, whose logs time training steps, and whose logs are not an earlier round''s again. TPU systems are left out: TPU v5p and Trillium have presets, but their MaxText configs are another format, not read here. These are MLCommons-audited results, not NVIDIA''s NeMo performance summaries or DGX Cloud recipes, which the project keeps out.'`,
  `  - 'The v3.0 and v3.1 rows (ids mlperf-v30-…, mlperf-v31-…) were added on 2026-12-06 by the same rule, after the v4.0 and v4.1 rows had been compared with gpucost and before any of them was: declared in their own commit, then compared once.'`,
  `  - 'Rate: the logged global batch × 2,048 tokens ÷ the median per-step timing of every result file ÷ GPUs. The runs start from a checkpoint, so no warm-up from scratch is in it.'`,
  `  - 'Layout from the config: TP, PP, interleaving (INTERLEAVED_PIPELINE), the micro-batch, MINIBS sequences per data-parallel rank, the distributed optimizer (ZeRO-1), sequence parallelism, no activation recomputation (ACT_CKPT_GRANULARITY unset), FP8 GEMMs. Not modelled: TP communication overlapped with the GEMMs, FP8 parameters, CUDA graphs.'`,
  ...(skipped.length ? [`  - ${JSON.stringify(`Left out: ${skipped.join('; ')}.`)}`] : []),
  'rows:',
];
for (const r of rows) {
  yaml.push(
    ...throughputRowYaml({
      id: r.id,
      where: r.where,
      model: 'gpt3-175b',
      seqLen: SEQ_LEN,
      gpu: r.gpu,
      gpus: r.gpus,
      precision: r.precision,
      parallelism: {
        tp: r.tp,
        pp: r.pp,
        dp: r.dp,
        virtualStages: r.vp,
        sharding: r.zero,
        microBatch: r.mbs,
        globalBatch: r.globalBatch,
        recompute: r.recompute || undefined,
        sequenceParallel: r.sequenceParallel,
      },
      measured: { tokensPerSecondPerGpu: ((r.globalBatch * SEQ_LEN) / r.stepSeconds / r.gpus).toFixed(2), stepSeconds: r.stepSeconds.toFixed(4) },
      notes: r.notes,
    }),
  );
}
writeFileSync(join(root, 'presets/throughput/mlperf-gpt3-175b.yaml'), `${yaml.join('\n')}\n`);
console.log(`wrote ${rows.length} rows; left out ${skipped.length}`);
