#!/usr/bin/env node
// Writes presets/throughput/mlperf-llama31-405b.yaml from MLPerf Training v5.0's Llama 3.1 405B
// pre-training results (closed division), read from a git clone of mlcommons/training_results_v5.0.
//
//   node scripts/import-mlperf-405b.mjs path/to/training_results_v5.0.git
//
// The rule, written down before any row was compared with gpucost: every closed-division system
// that submitted llama31_405b, on a GPU gpucost has a preset for, whose implementation directory
// holds one system config (config_<system>.sh) from which the layout is read. The rate is the median
// of the logs' train_step_time (NVIDIA's custom_callbacks.py times each training step; evaluation is
// outside it) over every result file of the system, as tokens per second per GPU: the logged global
// batch × 8,192 tokens ÷ that median ÷ GPUs.
//
// Peak memory, added on 2026-12-06 before any of it was compared with gpucost: the largest
// max_memory_usage the system's logs report (rank 0, the first pipeline stage; PyTorch's
// max_memory_allocated in GiB), for systems whose config files are all present and set no CUDA
// graphs (their private pools would be in it).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSettings, median, readLog, resultsRepo, throughputRowYaml } from './mlperf-results.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gitDir = process.argv[2];
if (!gitDir) {
  console.error('usage: node scripts/import-mlperf-405b.mjs path/to/training_results_v5.0.git');
  process.exit(2);
}
const COMMIT = '0fdc28f0';
const repo = resultsRepo(gitDir, COMMIT);
const { files, show } = repo;

const GPU_OF = {
  'NVIDIA H100-SXM5-80GB': 'h100-sxm',
  'NVIDIA H200-SXM5-141GB': 'h200',
  'NVIDIA Blackwell GPU (GB200)': 'gb200',
};
const SEQ_LEN = 8192;
// NVIDIA's custom_callbacks.py logs each step's time as train_step_time.
const STEP_KEY = /^train_step_time$/;

const rows = [];
const systems = [...new Set(files.filter((f) => /\/results\/[^/]+\/llama31_405b\/result_\d+\.txt$/.test(f)).map((f) => f.split('/').slice(0, 3).join('/')))];
for (const dir of systems.sort()) {
  const [org, , system] = dir.split('/');
  const description = JSON.parse(show(`${org}/systems/${system}.json`));
  const gpu = GPU_OF[description.accelerator_model_name];
  if (description.division !== 'closed' || !gpu) continue;
  const impl = `${org}/benchmarks/llama31_405b/implementations/${system}/`;
  const configs = files.filter((f) => f.startsWith(impl) && /^config_[A-Z].*\.sh$/.test(f.slice(impl.length)));
  if (configs.length !== 1) continue;
  const { env, missing } = configSettings(repo, configs[0]);
  if (!env.has('FP8')) throw new Error(`${system}: FP8 is not set in the config files present`);
  const gpus = Number(description.number_of_nodes) * Number(description.accelerators_per_node);
  const logs = files.filter((f) => f.startsWith(`${dir}/llama31_405b/result_`)).map((f) => readLog(repo, f, STEP_KEY));
  const batches = new Set(logs.map((l) => l.batch));
  if (batches.size !== 1) throw new Error(`${system}: logs disagree on the global batch`);
  const globalBatch = [...batches][0];
  const stepSeconds = median(logs.flatMap((l) => l.steps));
  const [tp, pp, cp, vp, mbs] = ['TENSOR_MODEL_PARALLEL', 'PIPELINE_MODEL_PARALLEL', 'CONTEXT_PARALLEL', 'INTERLEAVED_PIPELINE', 'MICRO_BATCH_SIZE'].map((k) =>
    Number(env.get(k)),
  );
  const dp = gpus / (tp * pp * cp);
  if (globalBatch !== Number(env.get('MINIBS')) * dp) throw new Error(`${system}: logged batch ${globalBatch} is not MINIBS × DP`);
  const on = (k) => env.get(k) === 'True';
  const peaks = logs.map((l) => l.peakMemoryGiB);
  const graphs = ['MCORE_CUDA_GRAPH', 'LAYER_CUDA_GRAPH', 'FULL_CUDA_GRAPH', 'CUDA_GRAPH'].some(on);
  const memoryGiB = missing.length || graphs || peaks.includes(null) ? null : Math.max(...peaks);
  rows.push({
    id: `mlperf-v50-405b-${system
      .replace(/_ngc.*$/, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()}`,
    where: `MLPerf Training v5.0 closed, ${org} ${system}: ${dir}/llama31_405b/result_*.txt (${logs.length} runs, median train_step_time ${stepSeconds.toFixed(3)} s over ${logs.reduce((n, l) => n + l.steps.length, 0)} steps); layout from ${configs[0]}`,
    gpu,
    gpus,
    parallelism: {
      tp,
      pp,
      dp,
      cp,
      virtualStages: vp,
      sharding: on('USE_DIST_OPTIMIZER') ? 'zero1' : 'none',
      microBatch: mbs,
      globalBatch,
      recompute: missing.length ? null : (env.get('ACT_CKPT_GRANULARITY') ?? 'none'),
      sequenceParallel: env.get('SEQ_PARALLEL') !== 'False',
    },
    precision: on('FP8') ? 'fp8' : 'bf16',
    stepSeconds,
    overlap: { tp: on('TP_COMM_OVERLAP'), fp8Params: on('FP8_PARAMS') || on('FP8_PARAM_GATHER') },
    memoryGiB,
    missing,
  });
}

const yaml = [
  '# yaml-language-server: $schema=../../schema/throughput.schema.json',
  '# Written by scripts/import-mlperf-405b.mjs from mlcommons/training_results_v5.0 (see sources); do not edit by hand.',
  'id: mlperf-llama31-405b',
  'name: "MLPerf Training v5.0 (closed): Llama 3.1 405B pre-training step times from the submitted logs"',
  `framework: "NVIDIA's NeMo and Megatron-Core implementation of the benchmark (FP8 with Transformer Engine), as submitted by NVIDIA, Nebius and IBM + CoreWeave"`,
  'split: holdout',
  'sources:',
  '  - title: "MLCommons, MLPerf Training v5.0 results (llama31_405b result logs, system descriptions and implementation configs)"',
  `    url: https://github.com/mlcommons/training_results_v5.0/tree/${COMMIT}`,
  '    retrieved: 2026-12-06',
  'notes:',
  `  - 'Held out, declared with the rule of scripts/import-mlperf-405b.mjs before any row was compared with gpucost: every closed-division llama31_405b system on an H100, H200 or GB200 whose implementation directory holds one system config. These are MLCommons-audited results, not NVIDIA''s NeMo performance summaries or DGX Cloud recipes, which the project keeps out.'`,
  `  - 'Rate: the logged global batch × 8,192 tokens ÷ the median train_step_time of every result file ÷ GPUs. NVIDIA''s custom_callbacks.py times each training step, so evaluation is left out; the runs start from a checkpoint, so no warm-up from scratch is in it.'`,
  `  - 'Layout from the config: TP, PP, CP, interleaving (INTERLEAVED_PIPELINE chunks per stage), micro-batch 1, MINIBS micro-batches per data-parallel rank (global batch = MINIBS × DP, checked against the log), the distributed optimizer (ZeRO-1), sequence parallelism, no activation recomputation (ACT_CKPT_GRANULARITY unset; unstated where a sourced config file is missing from the submission, and then taken as none), FP8 GEMMs. The embedding and loss stages are lighter (ASYM_PP_EMBED, ASYM_PP_LOSS), as gpucost''s uneven stages have them.'`,
  `  - 'Not modelled: tensor-parallel communication overlapped with GEMMs (TP_COMM_OVERLAP, on in every config), CUDA graphs on GB200, SHARP in-network reductions. FP8 weights (FP8_PARAMS or FP8_PARAM_GATHER) are declared as fp8Params since 2026-12-06; they change the memory, not the step of a ZeRO-1 run.'`,
  `  - 'Peak memory (measured.memoryGiB, added on 2026-12-06 before any of it was compared with gpucost): the largest max_memory_usage in the system''s logs, rank 0''s torch.cuda.max_memory_allocated in GiB as NVIDIA''s mlperf-common logging callback adds it, so the first pipeline stage, without the CUDA context, NCCL''s or the TP-overlap buffers; given only where every config file is present and none sets CUDA graphs. Megatron-Core with Transformer Engine: kernels fused.'`,
  'rows:',
];
for (const r of rows) {
  const p = r.parallelism;
  yaml.push(
    ...throughputRowYaml({
      id: r.id,
      where: r.where,
      model: 'llama3.1-405b',
      seqLen: SEQ_LEN,
      gpu: r.gpu,
      gpus: r.gpus,
      precision: r.precision,
      extra: [...(r.overlap.fp8Params ? ['fp8Params: true'] : []), 'kernels: fused'],
      parallelism: { ...p, recompute: p.recompute || undefined },
      measured: {
        tokensPerSecondPerGpu: ((p.globalBatch * SEQ_LEN) / r.stepSeconds / r.gpus).toFixed(2),
        stepSeconds: r.stepSeconds.toFixed(4),
        ...(r.memoryGiB === null ? {} : { memoryGiB: r.memoryGiB, memoryMetric: 'allocated' }),
      },
      notes: [
        `TP communication overlap ${r.overlap.tp ? 'on' : 'off'}; FP8 parameter all-gather ${r.overlap.fp8Params ? 'on' : 'off'}`,
        ...(r.missing.length
          ? [
              `the config sources ${r.missing.join(', ')}, which the submission does not include: the layout and FP8 settings are in the files it does, but activation recomputation could be set in the missing one, so it is left unstated (the validation then takes none, as it does for every row that states its micro-batch and batch)`,
            ]
          : []),
      ],
    }),
  );
}
writeFileSync(join(root, 'presets/throughput/mlperf-llama31-405b.yaml'), `${yaml.join('\n')}\n`);
console.log(`wrote ${rows.length} rows`);
