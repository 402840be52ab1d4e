/** Rules across presets: unique ids and aliases, and scenario claims that name existing presets. */
import type { PresetProblem } from '../errors.js';
import { type PresetCatalog, normalizeId } from './catalog.js';

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
  for (const kind of ['gpus', 'models', 'scenarios'] as const) {
    const seen = new Map<string, string>();
    for (const p of catalog[kind]) {
      const names = [p.id, ...('aliases' in p ? p.aliases : [])].map(normalizeId);
      for (const n of names) {
        const owner = seen.get(n);
        if (owner !== undefined && owner !== p.id) problems.push(at(kind, p.id, 'aliases', `"${n}" is already used by ${owner}`));
        seen.set(n, p.id);
      }
    }
  }
  const known = (kind: 'gpus' | 'models', id: string): boolean =>
    resolveAgainst[kind].some((p) => p.id === normalizeId(id) || p.aliases.map(normalizeId).includes(normalizeId(id)));
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
