/** Rules across presets: unique ids and aliases, and scenario claims that name existing presets. */
import type { PresetProblem } from '../errors.js';
import { KINDS, type PresetCatalog, normalizeId } from './catalog.js';

export function checkCatalog(catalog: PresetCatalog, resolveAgainst: PresetCatalog = catalog): PresetProblem[] {
  const problems: PresetProblem[] = [];
  const at = (kind: string, id: string, field: string, message: string): PresetProblem => ({
    file: catalog.origins[`${kind}:${id}`] ?? `${kind}/${id}`,
    line: 1,
    col: 1,
    field,
    message,
    severity: 'error',
  });
  for (const kind of KINDS) {
    const seen = new Map<string, string>();
    for (const p of catalog[kind]) {
      const names = [p.id, ...('aliases' in p ? (p.aliases as string[]) : [])].map(normalizeId);
      for (const n of names) {
        const owner = seen.get(n);
        if (owner !== undefined && owner !== p.id) problems.push(at(kind, p.id, 'aliases', `"${n}" is already used by ${owner}`));
        seen.set(n, p.id);
      }
    }
  }
  const known = (kind: 'gpus' | 'models' | 'clusters', id: string): boolean =>
    resolveAgainst[kind].some((p) => p.id === normalizeId(id) || p.aliases.map(normalizeId).includes(normalizeId(id)));
  const ref = (kind: string, id: string, field: string, target: 'gpus' | 'models' | 'clusters', value: string | undefined) => {
    if (value !== undefined && !known(target, value)) problems.push(at(kind, id, field, `unknown ${target.replace(/s$/, '')} "${value}"`));
  };
  for (const g of catalog.gpus) ref('gpus', g.id, 'defaultCluster', 'clusters', g.defaultCluster);
  for (const c of catalog.clusters) ref('clusters', c.id, 'gpu', 'gpus', c.gpu);
  for (const p of catalog.prices) p.prices.forEach((e, i) => ref('prices', p.id, `prices.${i}.gpu`, 'gpus', e.gpu));
  for (const r of catalog.runs) {
    ref('runs', r.id, 'model', 'models', r.model);
    ref('runs', r.id, 'gpu', 'gpus', r.gpu);
    ref('runs', r.id, 'cluster', 'clusters', r.cluster);
    if (r.gpus === undefined && r.reported.gpuHours === undefined) {
      problems.push(at('runs', r.id, 'gpus', 'give gpus, or reported.gpuHours when the source does not say how many accelerators'));
    }
    if ((r.model === undefined) === (r.architecture === undefined)) {
      problems.push(at('runs', r.id, 'model', 'give exactly one of model (a preset id) or architecture'));
    }
  }
  for (const s of catalog.scenarios) {
    for (const [i, c] of s.claims.entries()) {
      if (c.inputs?.model && !known('models', c.inputs.model)) {
        problems.push(at('scenarios', s.id, `claims.${i}.inputs.model`, `unknown model "${c.inputs.model}"`));
      }
      if (c.inputs?.gpu && !known('gpus', c.inputs.gpu)) {
        problems.push(at('scenarios', s.id, `claims.${i}.inputs.gpu`, `unknown GPU "${c.inputs.gpu}"`));
      }
    }
  }
  return problems;
}
