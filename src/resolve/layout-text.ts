/** How a parallel layout, and the lack of one, read in estimates, warnings and errors. */
import { formatGrouped } from '../core/grouping.js';
import { type ParallelPlan, RECOMPUTE_PHRASE } from '../core/parallel.js';
import type { ResolvedEstimate } from './estimate.js';

/** "TP 8 × PP 12 × DP 4, micro-batch 1, ZeRO-1, full recompute". */
export function describePlan(p: ParallelPlan): string {
  const cp = (p.cp ?? 1) > 1 ? ` × CP ${p.cp}` : '';
  const ep = (p.ep ?? 1) > 1 ? ` (EP ${p.ep})` : '';
  const parts = [`TP ${p.tp}${cp} × PP ${p.pp} × DP ${p.dp}${ep}`, `micro-batch ${p.microBatch}`, `ZeRO-${p.zero}`, RECOMPUTE_PHRASE[p.recompute]];
  if (p.sequenceParallel) parts.push('sequence parallel');
  if (p.virtualStages > 1) parts.push(`${p.virtualStages} chunks per stage`);
  return parts.join(', ');
}

/** " with tp 8, pp 12" for the layout flags given, else nothing. */
export function layoutFlags(e: ResolvedEstimate): string {
  const fixed = Object.entries(e.layout)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return fixed ? ` with ${fixed}` : '';
}

/** The layout flags given, as warning detail (tp, pp, zero, …). */
export function layoutDetail(e: ResolvedEstimate): Record<string, number | string | boolean> {
  return Object.fromEntries(Object.entries(e.layout).filter((kv): kv is [string, number | string | boolean] => kv[1] !== undefined));
}

/** Why no layout was found: the layout flags given, and the rules a layout must follow. */
export function noLayout(e: ResolvedEstimate): string {
  const rules = e.model.arch
    ? ` (GPUs = TP × CP × PP × DP, TP within a node dividing the ${e.model.arch.heads} heads, PP splitting the ${e.model.arch.layers} layers into equal middle stages, DP × micro-batch splitting the ${e.globalBatch?.value}-sequence batch)`
    : '';
  return `no parallel layout${layoutFlags(e)} puts ${e.model.name} on ${formatGrouped(e.gpus.value)} GPUs${rules}`;
}
export const NO_LAYOUT_HINT =
  'GPUs must equal TP × CP × PP × DP, PP must leave equal middle stages, and DP × micro-batch must divide the global batch; or leave the layout flags out';
