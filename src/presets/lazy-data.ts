/**
 * The bundled presets as data files that load lazily: by kind, by preset, and prose last. An
 * estimate looks up one GPU, one model and one scenario, and reads none of their sources or notes,
 * while the presets are mostly prose. So at build time `splitPresets` writes, per kind:
 *
 * - `<kind>.jsonl`: line 1 the lookup keys (ids and normalised aliases, with the preset each names)
 *   and where each preset's prose was; then one line per preset, in JSON, its prose (every
 *   `sources`, `notes`, `source` and `note` field, at any depth) replaced by a placeholder;
 * - `<kind>.details.json`: the prose, in placeholder order.
 *
 * At run time `lazyPresets` returns an array whose elements parse their line on first access, with
 * a getter in each placeholder's place that reads the details file on first access. Readers see
 * the same objects, in the same key order, as the YAML gives; `Registry` finds a preset through
 * the keys without parsing the others.
 */

/** Field names whose values move to the details file, at any depth. */
export const DETAIL_KEYS: ReadonlySet<string> = new Set(['sources', 'notes', 'source', 'note']);

/** Where a lazy preset array keeps its lookup keys (see Registry). */
export const LOOKUP = Symbol.for('gpucost.presetLookup');

/** Lookup keys of a lazy preset array: normalised id or alias → index in the array. */
export type LookupKeys = Map<string, number>;

interface Header {
  /** [key, index] in the order Registry would set them (aliases, then ids, which win). */
  keys: [string, number][];
  /** Per preset, the paths (inside the preset) of the fields moved to the details file. */
  holes: (string | number)[][][];
}

/**
 * Splits one kind's presets into the `.jsonl` text and the details array. `keys` gives the lookup
 * keys (the same entries Registry's own index would hold).
 */
export function splitPresets(presets: readonly unknown[], keys: [string, number][]): { text: string; details: unknown[] } {
  const details: unknown[] = [];
  const holes: (string | number)[][][] = [];
  const lines: string[] = [];
  for (const preset of presets) {
    const own: (string | number)[][] = [];
    const strip = (value: unknown, path: (string | number)[]): unknown => {
      if (Array.isArray(value)) return value.map((v, i) => strip(v, [...path, i]));
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (DETAIL_KEYS.has(k) && v !== undefined) {
          own.push([...path, k]);
          details.push(v);
          out[k] = 0; // placeholder: keeps the key's position
        } else {
          out[k] = strip(v, [...path, k]);
        }
      }
      return out;
    };
    lines.push(JSON.stringify(strip(preset, [])));
    holes.push(own);
  }
  const header: Header = { keys, holes };
  return { text: `${[JSON.stringify(header), ...lines].join('\n')}\n`, details };
}

/**
 * The presets of one `.jsonl` text as an array whose elements are parsed on first access; the
 * array carries its lookup keys under LOOKUP. `loadDetails` reads the details file, once, when
 * some prose is first read.
 */
export function lazyPresets<T>(text: string, loadDetails: () => unknown[]): T[] {
  const lines = text.split('\n');
  const header = JSON.parse(lines[0] ?? '{"keys":[],"holes":[]}') as Header;
  let details: unknown[] | undefined;
  const presets: T[] = [];
  let offset = 0; // index in the details array of this preset's first hole
  for (const [i, holes] of header.holes.entries()) {
    const first = offset;
    offset += holes.length;
    Object.defineProperty(presets, i, {
      enumerable: true,
      configurable: true,
      get() {
        const preset = JSON.parse(lines[i + 1] ?? 'null') as T;
        for (const [j, path] of holes.entries()) {
          let parent = preset as Record<string | number, unknown>;
          for (let k = 0; k < path.length - 1; k++) parent = parent[path[k] as string | number] as Record<string | number, unknown>;
          const key = path[path.length - 1] as string | number;
          const settle = (value: unknown): void => {
            Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true });
          };
          Object.defineProperty(parent, key, {
            enumerable: true,
            configurable: true,
            get() {
              details ??= loadDetails();
              const value = details[first + j];
              settle(value);
              return value;
            },
            set: settle,
          });
        }
        Object.defineProperty(presets, i, { value: preset, writable: true, enumerable: true, configurable: true });
        return preset;
      },
      set(value: T) {
        Object.defineProperty(presets, i, { value, writable: true, enumerable: true, configurable: true });
      },
    });
  }
  Object.defineProperty(presets, LOOKUP, { value: new Map(header.keys) as LookupKeys, enumerable: false });
  return presets;
}
