/** The scenario claim an estimate starts from (`--scenario gpt3-article:A6`, or none). Pure. */
import { GpucostError } from '../errors.js';
import { normalizeId, type Registry } from '../presets/catalog.js';
import type { Claim } from '../presets/schema.js';
import { DEFAULT_CLAIM, DEFAULT_SCENARIO } from './defaults.js';

/**
 * Finds the scenario claim to start from. `undefined` selects the default (A6) unless the user is
 * describing a different workload from scratch; "none" starts from nothing.
 */
export function resolveScenario(text: string | undefined, registry: Registry): { id: string; claim: Claim } | null {
  if (text !== undefined && normalizeId(text) === 'none') return null;
  const [scenarioId, claimId] = text === undefined ? [DEFAULT_SCENARIO, DEFAULT_CLAIM] : splitScenario(text);
  const scenario = registry.get('scenarios', scenarioId);
  const claim = scenario.claims.find((c) => c.id.toLowerCase() === claimId.toLowerCase());
  if (!claim) {
    throw new GpucostError('E_UNKNOWN_PRESET', `scenario ${scenario.id} has no claim "${claimId}"`, `claims: ${scenario.claims.map((c) => c.id).join(', ')}`);
  }
  if (!claim.inputs) {
    throw new GpucostError('E_INPUT', `claim ${scenario.id}:${claim.id} cannot be derived from a model`, claim.note ?? 'it has no inputs');
  }
  return { id: scenario.id, claim };
}

function splitScenario(text: string): [string, string] {
  const i = text.lastIndexOf(':');
  if (i < 0) return [DEFAULT_SCENARIO, text];
  return [text.slice(0, i), text.slice(i + 1)];
}
