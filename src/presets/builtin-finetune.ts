/**
 * The bundled fine-tuning validation set (presets/finetune/), validated at build time with the other
 * presets but kept out of the catalog the CLI parses on every start.
 */
import type { FinetuneSet } from './schema.js';
import sets from './generated/finetune.json' with { type: 'json' };

export function builtinFinetuneSets(): FinetuneSet[] {
  return sets as unknown as FinetuneSet[];
}
