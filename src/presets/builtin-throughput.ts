/**
 * The bundled throughput validation set (presets/throughput/), validated at build time with the
 * other presets but kept out of the catalog the CLI parses on every start.
 */
import type { ThroughputSet } from './schema.js';
import sets from './generated/throughput.json' with { type: 'json' };

export function builtinThroughputSets(): ThroughputSet[] {
  return sets as unknown as ThroughputSet[];
}
