/**
 * Resolving one request at many GPU counts (`gpucost compare --gpus 1..100000+1`). Resolution is the
 * costly part of an estimate and, today, the count changes nothing in it but the `gpus` entry. So
 * the request is resolved once per GPU and the count substituted, after checking that this gives
 * exactly what resolving at the last count gives; when it does not (resolution came to depend on
 * the count), every count is resolved on its own. tests/resolve/counts.test.ts checks the premise
 * on random requests.
 */
import type { Registry } from '../presets/catalog.js';
import { type EstimateRequest, type ResolvedEstimate, resolveEstimate } from './estimate.js';

/** `resolved` as if resolved at `gpus` GPUs, where the count changes nothing else. */
export function withGpuCount(resolved: ResolvedEstimate, gpus: number): ResolvedEstimate {
  return { ...resolved, gpus: { value: gpus, origin: resolved.gpus.origin } };
}

/** The resolutions of a request at each of `counts` (none: the request as it is), made on demand. */
export interface CountResolver {
  readonly length: number;
  /** The GPU count of entry i (undefined: the request's own). */
  count(i: number): number | undefined;
  at(i: number): ResolvedEstimate;
}

/**
 * A CountResolver for `req` at `counts`. The first and last counts are resolved here, so errors in
 * the request surface before any row is produced.
 */
export function countResolver(req: EstimateRequest, counts: readonly number[] | undefined, registry: Registry): CountResolver {
  if (counts === undefined || counts.length === 0) {
    const only = resolveEstimate(req, registry);
    return { length: 1, count: () => undefined, at: () => only };
  }
  const last = counts.length - 1;
  const first = resolveEstimate({ ...req, gpus: counts[0] }, registry);
  const atLast = last === 0 ? first : resolveEstimate({ ...req, gpus: counts[last] }, registry);
  const substitutable = last === 0 || sameData(withGpuCount(first, counts[last] as number), atLast);
  return {
    length: counts.length,
    count: (i) => counts[i],
    at(i) {
      if (i === 0) return first;
      if (i === last) return atLast;
      const gpus = counts[i] as number;
      return substitutable ? withGpuCount(first, gpus) : resolveEstimate({ ...req, gpus }, registry);
    },
  };
}

/** Structural equality of plain data (objects, arrays, primitives; NaN equals NaN). */
export function sameData(a: unknown, b: unknown, depth = 0): boolean {
  if (Object.is(a, b)) return true;
  if (depth > 32 || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}
