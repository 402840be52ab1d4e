/** `gpucost memory`: the per-GPU memory breakdown of a plan and the fewest GPUs that fit. */
import { RECOMPUTE_PHRASE, shardsWeightsThroughStep } from '../core/parallel.js';
import {
  GRAD_BYTES_16BIT,
  GRAD_BYTES_FP32,
  LOSS_BYTES_PER_LOGIT_BY_KIND,
  type LossKind,
  OPTIMIZER_BYTES,
  WEIGHT_BYTES,
  countsByKernels,
} from '../core/memory.js';
import { formatQuantity } from '../core/quantity.js';
import { NF4_BITS_PER_WEIGHT, OPTIMIZER_BYTES_PER_TRAINABLE } from '../core/finetune.js';
import type { ComputedEstimate } from '../resolve/compute.js';
import { describePlan } from '../resolve/layout-text.js';
import { type EstimateRecord, estimateRecord, fewestGpusText } from './estimate.js';
import { type Report, type Row, SCHEMA_VERSION } from './model.js';

/** The model state a parameter holds, with its gradients at the width they are reduced in (--grad-reduce-fp32). */
function fullState(gradReduceFp32: boolean): string {
  const grads = gradReduceFp32 ? GRAD_BYTES_FP32 : GRAD_BYTES_16BIT;
  return `Model state is ${WEIGHT_BYTES} B (weights) + ${grads} B (gradients${gradReduceFp32 ? ', FP32' : ''}) + ${OPTIMIZER_BYTES} B (optimizer) per parameter`;
}
const ADAPTER_STATE =
  'Model state is the frozen base as stored (16-bit for LoRA, NF4 or int8 for QLoRA; no gradients or optimizer state) plus the adapters with their 16-bit weights and gradients and the optimizer state the row above gives';

export function memoryReport(e: ComputedEstimate, minimumGpus: number | null): Report {
  const rec = estimateRecord(e);
  const r = e.resolved;
  const rows = breakdownRows(rec, r.loss?.value ?? 'full', countsForKernels(e));
  const columns = [
    { key: 'part', label: 'per GPU', kind: 'text' as const },
    { key: 'gb', label: 'GB', kind: 'number' as const },
    { key: 'note', label: '', kind: 'text' as const },
  ];
  const facts: Row[] = [
    { q: 'Layout', v: e.layout ? describePlan(e.layout.chosen.plan) : 'none found' },
    { q: 'Runner-up', v: e.layout?.runnerUp ? describePlan(e.layout.runnerUp.plan) : '—' },
    {
      q: 'Fewest GPUs that fit',
      v: minimumGpus === null ? 'none up to a million' : fewestGpusText(minimumGpus, r.gpu.id, e.layout?.fitsWithoutLayoutFlags ?? null),
    },
  ];
  return {
    title: `Memory: ${r.model.name} (${formatQuantity(r.totalParams)} parameters) on ${r.gpus.value} × ${r.gpu.name}`,
    tables: [
      { columns, rows },
      {
        columns: [
          { key: 'q', label: '', kind: 'text' },
          { key: 'v', label: '', kind: 'text' },
        ],
        rows: facts,
      },
    ],
    primary: { columns, rows },
    assumptions: rec.assumptions.filter((a) =>
      ['Model', 'Parameters', 'GPU', 'GPUs', 'Cluster', 'Global batch', 'Sequence length', 'Fine-tuning', 'Parallel layout'].includes(a.name),
    ),
    warnings: rec.warnings,
    notes: [{ title: 'How', text: howText(e, rec) }],
    json: {
      schemaVersion: SCHEMA_VERSION,
      model: rec.model,
      gpu: rec.gpu,
      gpus: rec.gpus,
      params: rec.totalParams,
      fits: rec.fits,
      memoryPerGpuGB: rec.memoryPerGpuGB,
      gpuMemoryGB: rec.gpuMemoryGB,
      memoryBreakdownGB: rec.memoryBreakdownGB,
      plan: rec.plan,
      runnerUpPlan: rec.runnerUpPlan,
      minimumGpus,
      notes: r.notes,
      warnings: rec.warnings,
    },
  };
}

/** Memory per GPU by part, each with what sets its size in this layout. */
function breakdownRows(rec: EstimateRecord, loss: LossKind, forKernels: boolean): Row[] {
  const b = rec.memoryBreakdownGB;
  if (!b) return [];
  const zero = rec.plan?.zero ?? 0;
  const sharded = rec.plan != null && shardsWeightsThroughStep(rec.plan);
  const pipelined = zero >= 3 && !sharded ? ' (ZeRO-3 under a pipeline keeps them gathered through the step)' : '';
  const split = sharded ? 'sharded by ZeRO-3' : `split by TP and PP${pipelined}`;
  const ft = rec.finetune;
  const adapters = ft && ft.mode !== 'full';
  const what = adapters
    ? `frozen base in ${ft.base === 'nf4' ? `NF4 (${NF4_BITS_PER_WEIGHT.toFixed(3)} bits)` : ft.base === 'fp8' ? 'FP8 (--fp8-params; embedding 16-bit)' : ft.base} + 16-bit adapters`
    : rec.fp8Params
      ? 'FP8 in the transformer layers (--fp8-params), 16-bit embedding'
      : '16-bit';
  const trains = adapters ? ' (adapters only)' : '';
  return [
    { part: 'Weights', gb: b.weights, note: `${what}, ${split}` },
    { part: 'Gradients', gb: b.gradients, note: `${gradientText(rec.gradReduceFp32, sharded || zero === 2 ? zero : null)}${trains}` },
    { part: 'Optimizer state', gb: b.optimizer, note: `${optimizerText(ft?.optimizer)}${trains}${zero >= 1 ? ', sharded by ZeRO-1+' : ''}` },
    {
      part: 'Activations',
      gb: b.activations,
      note: `${rec.plan ? `${RECOMPUTE_PHRASE[rec.plan.recompute]}, ` : ''}${activationSource(rec, forKernels)}, ${loss === 'fused' ? 'no logits (--loss fused)' : `and the loss's logits (${LOSS_BYTES_PER_LOGIT_BY_KIND[loss]} bytes each with --loss ${loss})`}`,
    },
    {
      part: 'Framework overhead',
      gb: b.overhead,
      note:
        rec.gpus === 1
          ? 'CUDA context, fragmentation; one GPU holds no communication buffers (fitted on ms-swift runs)'
          : 'CUDA context, communication buffers, fragmentation (EleutherAI calculator)',
    },
    { part: 'Total', gb: rec.memoryPerGpuGB, note: `${rec.fits ? 'fits in' : 'DOES NOT FIT in'} ${rec.gpuMemoryGB} GB` },
  ];
}

/** The gradients' width (FP32 under --grad-reduce-fp32) and the ZeRO stage that shards them, if one does. */
function gradientText(fp32: boolean, shardedBy: number | null): string {
  if (shardedBy === null) return fp32 ? 'FP32' : '16-bit';
  return `${fp32 ? 'FP32, ' : ''}sharded by ZeRO-${shardedBy}`;
}

/** What the optimizer keeps per trainable parameter on the GPU (core/finetune.ts OPTIMIZER_BYTES_PER_TRAINABLE). */
function optimizerText(optimizer: string | undefined): string {
  if (optimizer === 'paged-adamw') return 'paged AdamW: paged out to CPU memory when the GPU runs short, 0 counted';
  if (optimizer === 'adamw-8bit') return `8-bit AdamW: fp32 master + 8-bit moments, ${OPTIMIZER_BYTES_PER_TRAINABLE['adamw-8bit']} B/param`;
  if (optimizer === 'adamw-bf16') return `AdamW in pure bf16: bf16 moments, no fp32 master, ${OPTIMIZER_BYTES_PER_TRAINABLE['adamw-bf16']} B/param`;
  return `fp32 master + Adam moments, ${OPTIMIZER_BYTES} B/param`;
}

function howText(e: ComputedEstimate, rec: EstimateRecord): string {
  const r = e.resolved;
  return [
    `${r.finetune?.adapters ? ADAPTER_STATE : fullState(rec.gradReduceFp32)} on the busiest GPU (first pipeline stage, with the embedding), divided by TP and PP and, by ZeRO stage, by DP. Activations follow Korthikanti et al. 2022 (https://arxiv.org/abs/2205.05198) Table 2 for the chosen recomputation, ${kernelsText(e)}, with p micro-batches in flight on the first stage under 1F1B.`,
    // Price notes belong to time and cost, which this report does not show.
    ...r.notes.filter((n) => !n.startsWith('price:')).map((n) => `Note: ${n}.`),
  ].join('\n');
}

/** Whether the activations are counted tensor by tensor for the kernels (core/memory.ts countsByKernels). */
function countsForKernels(e: ComputedEstimate): boolean {
  const arch = e.resolved.model.arch;
  return arch !== undefined && e.resolved.kernels !== undefined && countsByKernels(arch);
}

/** How the activations are counted, for the How paragraph. */
function kernelsText(e: ComputedEstimate): string {
  if (!countsForKernels(e)) return 'as Korthikanti et al. count them';
  const kernels = e.resolved.kernels?.value;
  return `counted tensor by tensor for ${kernels} kernels (--kernels: gated MLPs, grouped-query K and V${kernels === 'fused' ? ', no inputs kept for frozen layers' : ''})`;
}

/** Where the layer activations' count comes from: TorchTitan's per-op policy, or Korthikanti et al.'s table for the kernels. */
function activationSource(rec: EstimateRecord, forKernels: boolean): string {
  if (rec.plan?.recompute === 'op') return "the tensors TorchTitan's per-op policy keeps";
  return `Korthikanti et al. 2022 Table 2${forKernels ? ` for ${rec.kernels} kernels (--kernels)` : ''}`;
}
