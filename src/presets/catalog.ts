/** A set of presets of every kind, and the lookup over it (ids, aliases, "did you mean"). */
import { GpucostError } from '../errors.js';
import type {
  ClusterPreset,
  FinetuneSet,
  GpuPreset,
  GridPreset,
  ModelPreset,
  PresetKind,
  PricePreset,
  RunPreset,
  ScenarioPreset,
  ThroughputSet,
} from './schema.js';
import { closest } from './suggest.js';

export interface PresetCatalog {
  gpus: GpuPreset[];
  models: ModelPreset[];
  scenarios: ScenarioPreset[];
  clusters: ClusterPreset[];
  prices: PricePreset[];
  grids: GridPreset[];
  runs: RunPreset[];
  /** Measured throughput, one set per source (presets/throughput/). */
  throughput: ThroughputSet[];
  /** Measured fine-tuning memory and throughput, one set per source (presets/finetune/). */
  finetune: FinetuneSet[];
  /** Where each preset came from, keyed "kind:id" (a path relative to presets/, or a user file). */
  origins: Record<string, string>;
}

export type PresetOf<K extends PresetKind> = PresetCatalog[K][number];

/** Every kind, in the order listings show them (no zod: schema.ts stays off the default path). */
export const KINDS = ['gpus', 'models', 'scenarios', 'clusters', 'prices', 'grids', 'runs', 'throughput', 'finetune'] as const satisfies readonly PresetKind[];

export const KIND_NOUN: Record<PresetKind, string> = {
  gpus: 'GPU',
  models: 'model',
  scenarios: 'scenario',
  clusters: 'cluster',
  prices: 'price list',
  grids: 'grid',
  runs: 'run',
  throughput: 'throughput set',
  finetune: 'fine-tuning set',
};

export function emptyCatalog(): PresetCatalog {
  return { gpus: [], models: [], scenarios: [], clusters: [], prices: [], grids: [], runs: [], throughput: [], finetune: [], origins: {} };
}

/** `base` with the presets of `add` in place of those of the same id, then `add`'s new ones. */
export function mergeById<T extends { id: string }>(base: T[], add: T[]): T[] {
  const ids = new Set(add.map((p) => p.id));
  return [...base.filter((p) => !ids.has(p.id)), ...add];
}

/** Normalises what a user typed: case, spaces and underscores do not matter ("A100 80GB" → "a100-80gb"). */
export function normalizeId(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

export class Registry {
  /** Lookup maps (normalised id or alias → index in the kind's array), built per kind on first use. */
  private readonly indexes: { [K in PresetKind]?: Map<string, number> } = {};

  constructor(readonly catalog: PresetCatalog) {}

  private index(kind: PresetKind): Map<string, number> {
    let map = this.indexes[kind];
    if (!map) {
      map = new Map(lookupKeys(this.catalog[kind] as { id: string; aliases?: string[] }[]));
      this.indexes[kind] = map;
    }
    return map;
  }

  /** Finds a preset by id or alias; throws E_UNKNOWN_PRESET with suggestions when there is none. */
  get<K extends PresetKind>(kind: K, text: string): PresetOf<K> {
    const found = this.find(kind, text);
    if (found) return found;
    const key = normalizeId(text);
    const index = this.index(kind);
    const idOf = (k: string): string => (this.catalog[kind] as { id: string }[])[index.get(k) as number]?.id ?? k;
    const suggestions = closest(key, [...index.keys()], 3, idOf);
    const hint = suggestions.length > 0 ? `did you mean ${suggestions.join(', ')}?` : `list them with: gpucost presets list`;
    throw new GpucostError('E_UNKNOWN_PRESET', `unknown ${KIND_NOUN[kind]} "${text}"`, hint);
  }

  find<K extends PresetKind>(kind: K, text: string): PresetOf<K> | undefined {
    const i = this.index(kind).get(normalizeId(text));
    return i === undefined ? undefined : (this.catalog[kind] as PresetOf<K>[])[i];
  }

  /**
   * The presets of a kind in catalogue order, unsorted: for lookups on every estimate, which should not
   * pay for list()'s locale-aware sort (its first call starts ICU's collator, several milliseconds).
   */
  all<K extends PresetKind>(kind: K): readonly PresetOf<K>[] {
    return this.catalog[kind] as PresetOf<K>[];
  }

  list<K extends PresetKind>(kind: K): PresetOf<K>[] {
    return [...(this.catalog[kind] as PresetOf<K>[])].sort((a, b) => a.id.localeCompare(b.id));
  }

  origin(kind: PresetKind, id: string): string | undefined {
    return this.catalog.origins[`${kind}:${id}`];
  }

  /** A registry where presets of `extra` replace those with the same id and add new ones. */
  withOverrides(extra: PresetCatalog): Registry {
    const merged = emptyCatalog();
    for (const k of KINDS) (merged[k] as { id: string }[]) = mergeById(this.catalog[k] as { id: string }[], extra[k] as { id: string }[]);
    merged.origins = { ...this.catalog.origins, ...extra.origins };
    return new Registry(merged);
  }
}

/** What a lookup map holds, as [key, index] in the order they are set: aliases (normalised), then ids, which win. */
export function lookupKeys(presets: readonly { id: string; aliases?: string[] }[]): [string, number][] {
  const keys: [string, number][] = [];
  for (const [i, p] of presets.entries()) for (const a of p.aliases ?? []) keys.push([normalizeId(a), i]);
  for (const [i, p] of presets.entries()) keys.push([p.id, i]);
  return keys;
}
