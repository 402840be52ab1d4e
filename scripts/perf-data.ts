/**
 * The published measurements the performance model is fitted and checked on: every run in
 * presets/runs with a parallel layout on DGX A100 (Selene), plus Megatron-LM Table 2's ZeRO-3 rows,
 * which have no layout beyond "no model parallelism" (Narayanan et al. 2021,
 * https://arxiv.org/abs/2104.04473, Table 2).
 */
import { trainingFlops } from '../src/core/flops.js';
import { type ParallelPlan, planGpus } from '../src/core/parallel.js';
import { DEFAULT_PERF_CONSTANTS, DEFAULT_PERF_OPTIONS, type PerfConstants, type PerfHardware, bucketElementsOfMib, stepTime } from '../src/core/perf.js';
import { flopsPerSecondToTflops } from '../src/core/units.js';
import type { ModelArch } from '../src/core/types.js';
import { builtinRegistry } from '../src/presets/builtin.js';

const BUILTIN_CATALOG = builtinRegistry().catalog;
import { modelArch, archFromInput } from '../src/presets/to-core.js';
import { perfHardware } from '../src/resolve/layout.js';

export interface PerfCase {
  id: string;
  split: 'fit' | 'holdout';
  arch: ModelArch;
  plan: ParallelPlan;
  /** Megatron eq. (3) TFLOP/s per GPU, when reported. */
  tflops?: number;
  /** Seconds per iteration, when reported. */
  seconds?: number;
  /**
   * Bytes per gradient element in data-parallel synchronisation: Megatron-LM reduces fp32 main
   * gradients (4) under BF16, 16-bit ones under the --fp16 of the Table 1 scripts (2); DeepSpeed
   * ZeRO-3, used for Table 2's ZeRO rows, reduces 16-bit gradients (2).
   */
  gradCommBytes: number;
  /** MT-NLG ran on DeepSpeed's pipeline engine; everything else on Megatron-LM. */
  pipelineEngine: 'megatron' | 'deepspeed';
  /** DeepSpeed ran the ZeRO-3 baselines of Narayanan et al. 2021 Table 2 and MT-NLG. */
  shardingEngine: 'fsdp' | 'deepspeed';
  /**
   * Gradient elements per data-parallel collective. Megatron-LM of 2021 all-reduced its whole
   * gradient buffer in one call after the backward (megatron/model/distributed.py,
   * DistributedDataParallel.allreduce_gradients, https://github.com/NVIDIA/Megatron-LM/blob/v2.5/megatron/model/distributed.py);
   * DeepSpeed's engine, which ran MT-NLG, reduces 500M elements a bucket (reduce_bucket_size's
   * default, https://www.deepspeed.ai/docs/config-json/).
   */
  gradientBucketElements: number;
}

const DEEPSPEED_REDUCE_BUCKET_ELEMENTS = 5e8;

export function perfCases(): PerfCase[] {
  const cases: PerfCase[] = [];
  for (const run of BUILTIN_CATALOG.runs) {
    const par = run.parallelism;
    if (!par || run.gpu !== 'a100-sxm4-80gb' || par.tp === undefined || par.pp === undefined || par.globalBatch === undefined) continue;
    const { tp, pp } = par;
    const preset = run.model ? BUILTIN_CATALOG.models.find((m) => m.id === run.model) : undefined;
    const base = preset ? modelArch(preset) : run.architecture ? archFromInput(run.architecture) : undefined;
    if (!base) continue;
    // Megatron-LM measured with V = 51,200 (padded GPT-2 vocabulary).
    const arch: ModelArch = { ...base, vocab: 51200 };
    const gpus = run.gpus ?? tp * pp * (par.dp ?? 1);
    const dp = par.dp ?? gpus / (tp * pp);
    const selective = par.recompute === 'selective';
    // Korthikanti et al. used the interleaved schedule (§6) with 3 chunks per stage where a stage's
    // layers divide by 3 (175B, 530B); their Figure 1 activation memory for the 1T model (2 layers per
    // stage) matches only without interleaving.
    // Megatron-LM's Table 1 scripts (examples/sc21) state theirs.
    const v = par.virtualStages ?? (selective && pp > 1 && (arch.layers / pp) % 3 === 0 ? 3 : 1);
    const plan: ParallelPlan = {
      tp,
      pp,
      dp,
      microBatch: par.microBatch ?? 1,
      globalBatch: par.globalBatch,
      zero: 0,
      recompute: par.recompute ?? 'full',
      sequenceParallel: selective,
      virtualStages: v,
    };
    const c: PerfCase = {
      id: run.id,
      split: run.split,
      arch,
      plan,
      // Megatron-LM of 2021 reduced FP32 gradients only for --bf16 or --accumulate-allreduce-grads-in-fp32
      // (megatron/arguments.py at de7dc40, the commit of the Table 1 scripts); those scripts pass --fp16.
      gradCommBytes: run.precision === 'fp16' ? 2 : 4,
      pipelineEngine: run.id.startsWith('mt-nlg') ? 'deepspeed' : 'megatron',
      shardingEngine: 'deepspeed',
      gradientBucketElements:
        par.gradientBucketMiB !== undefined
          ? bucketElementsOfMib(par.gradientBucketMiB)
          : run.id.startsWith('mt-nlg')
            ? DEEPSPEED_REDUCE_BUCKET_ELEMENTS
            : Number.POSITIVE_INFINITY,
    };
    if (run.reported.secondsPerIteration !== undefined) c.seconds = run.reported.secondsPerIteration;
    else if (run.reported.tflopsPerGpu !== undefined && run.reported.flopsConvention === 'megatron') c.tflops = run.reported.tflopsPerGpu;
    else continue;
    cases.push(c);
  }
  const gpt3 = { ...modelArch(BUILTIN_CATALOG.models.find((m) => m.id === 'gpt3-175b')!), vocab: 51200 };
  const mtnlg = modelArch(BUILTIN_CATALOG.models.find((m) => m.id === 'mt-nlg-530b')!);
  const zero3 = (id: string, arch: ModelArch, gpus: number, batch: number, micro: number, tflops: number, split: 'fit' | 'holdout'): PerfCase => ({
    id,
    split,
    arch,
    plan: { tp: 1, pp: 1, dp: gpus, microBatch: micro, globalBatch: batch, zero: 3, recompute: 'full', sequenceParallel: false, virtualStages: 1 },
    tflops,
    gradCommBytes: 2,
    pipelineEngine: 'megatron',
    shardingEngine: 'deepspeed',
    gradientBucketElements: DEEPSPEED_REDUCE_BUCKET_ELEMENTS,
  });
  cases.push(
    zero3('table2-zero3-175b-384', gpt3, 384, 1536, 4, 144, 'fit'),
    zero3('table2-zero3-175b-768', gpt3, 768, 1536, 2, 88, 'holdout'),
    zero3('table2-zero3-175b-1536', gpt3, 1536, 1536, 1, 44, 'fit'),
    zero3('table2-zero3-530b-640', mtnlg, 640, 2560, 4, 138, 'holdout'),
    zero3('table2-zero3-530b-1120', mtnlg, 1120, 2240, 2, 98, 'fit'),
    zero3('table2-zero3-530b-2240', mtnlg, 2240, 2240, 1, 48, 'holdout'),
  );
  return cases;
}

/** Every case ran on Selene: A100 SXM4 80 GB in the DGX A100 SuperPOD, bf16. */
export const SELENE = perfHardware(
  BUILTIN_CATALOG.gpus.find((g) => g.id === 'a100-sxm4-80gb')!,
  BUILTIN_CATALOG.clusters.find((c) => c.id === 'dgx-a100-superpod')!,
  'bf16',
);

/** The model's seconds per iteration for a case, with the given efficiency constants. */
export function predictedSeconds(c: PerfCase, k: PerfConstants = DEFAULT_PERF_CONSTANTS, hw: PerfHardware = SELENE): number {
  return stepTime(c.arch, c.plan, hw, k, {
    ...DEFAULT_PERF_OPTIONS,
    gradCommBytes: c.gradCommBytes,
    pipelineEngine: c.pipelineEngine,
    shardingEngine: c.shardingEngine,
    gradientBucketElements: c.gradientBucketElements,
  }).stepSeconds;
}

/** The model's achieved TFLOP/s per GPU for a case, counted as Megatron-LM does (eq. 3, recomputation included). */
export function predictedTflops(c: PerfCase, k: PerfConstants = DEFAULT_PERF_CONSTANTS, hw: PerfHardware = SELENE): number {
  const flops = trainingFlops({ convention: 'megatron', params: 0, tokens: c.plan.globalBatch * c.arch.seqLen, arch: c.arch });
  return flopsPerSecondToTflops(flops / predictedSeconds(c, k, hw) / planGpus(c.plan));
}
