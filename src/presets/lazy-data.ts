/**
 * The bundled presets as data files that load lazily, kind by kind. Most of their bytes are prose
 * (sources, notes) that only `presets show` and reports of sources read, while an estimate needs a
 * few numbers of a few presets. At build time `splitPresets` moves every `sources`, `notes`,
 * `source` and `note` field of a kind into a details file and leaves a placeholder; at run time
 * `joinPresets` puts a getter where each placeholder was, which reads the details file on first
 * access. Readers see the same objects, in the same key order, either way.
 */

/** Field names whose values move to the details file, at any depth. */
export const DETAIL_KEYS: ReadonlySet<string> = new Set(['sources', 'notes', 'source', 'note']);

/** The part of a kind's file read on first use: presets with placeholders, and where they are. */
export interface CorePart {
  presets: unknown[];
  /** Paths (from the presets array) of the fields moved out; the details file has their values in this order. */
  holes: (string | number)[][];
}

/** Splits one kind's presets into the core part and the moved values. Does not modify `presets`. */
export function splitPresets(presets: readonly unknown[]): { core: CorePart; details: unknown[] } {
  const holes: (string | number)[][] = [];
  const details: unknown[] = [];
  const strip = (value: unknown, path: (string | number)[]): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => strip(v, [...path, i]));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (DETAIL_KEYS.has(k) && v !== undefined) {
        holes.push([...path, k]);
        details.push(v);
        out[k] = 0; // placeholder: keeps the key's position
      } else {
        out[k] = strip(v, [...path, k]);
      }
    }
    return out;
  };
  return { core: { presets: presets.map((p, i) => strip(p, [i])), holes }, details };
}

/**
 * Turns a core part back into full presets: each hole becomes a getter that reads the details once
 * (`loadDetails`) and then turns itself into a plain property. Mutates and returns `core.presets`.
 */
export function joinPresets<T>(core: CorePart, loadDetails: () => unknown[]): T[] {
  let details: unknown[] | undefined;
  const presets = core.presets;
  for (const [j, path] of core.holes.entries()) {
    let parent: Record<string | number, unknown> = presets as unknown as Record<number, unknown>;
    for (let i = 0; i < path.length - 1; i++) parent = parent[path[i] as string | number] as Record<string | number, unknown>;
    const key = path[path.length - 1] as string | number;
    const settle = (value: unknown): void => {
      Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true });
    };
    Object.defineProperty(parent, key, {
      enumerable: true,
      configurable: true,
      get() {
        details ??= loadDetails();
        const value = details[j];
        settle(value);
        return value;
      },
      set: settle,
    });
  }
  return presets as T[];
}
