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
import { lazyField } from '../lazy-field.js';

/** Field names whose values move to the details file, at any depth. */
export const DETAIL_KEYS: ReadonlySet<string> = new Set(['sources', 'notes', 'source', 'note']);

/** Where a lazy preset array keeps its lookup keys (see Registry). */
export const LOOKUP = Symbol.for('gpucost.presetLookup');

/** Lookup keys of a lazy preset array: normalised id or alias → index in the array. */
export type LookupKeys = Map<string, number>;

interface Header {
  /** Lookup keys, in the order Registry would set them (aliases, then ids, which win)... */
  keys: string[];
  /** ...and the index of the preset each names. */
  at: number[];
  /** Per preset, the dotted paths (inside the preset) of the fields moved to the details file, comma-separated. */
  holes: string[];
}

/**
 * Splits one kind's presets into the `.jsonl` text and the details array. `keys` gives the lookup
 * keys (the same entries Registry's own index would hold).
 */
export function splitPresets(presets: readonly unknown[], keys: [string, number][]): { text: string; details: unknown[] } {
  const details: unknown[] = [];
  const holes: string[] = [];
  const lines: string[] = [];
  for (const preset of presets) {
    const own: string[] = [];
    const strip = (value: unknown, path: (string | number)[]): unknown => {
      if (Array.isArray(value)) return value.map((v, i) => strip(v, [...path, i]));
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (DETAIL_KEYS.has(k) && v !== undefined) {
          own.push([...path, k].join('.'));
          details.push(v);
          out[k] = 0; // placeholder: keeps the key's position
        } else {
          out[k] = strip(v, [...path, k]);
        }
      }
      return out;
    };
    lines.push(asciiJson(strip(preset, [])));
    holes.push(own.join(','));
  }
  const header: Header = { keys: keys.map(([k]) => k), at: keys.map(([, i]) => i), holes };
  return { text: `${[asciiJson(header), ...lines].join('\n')}\n`, details };
}

/**
 * JSON with every non-ASCII character written as a \u escape. Read back, ASCII text becomes a
 * one-byte string in V8, half the memory of the two-byte string one "×" would otherwise cause.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The presets of one `.jsonl` text as an array whose elements are parsed on first access (a Proxy:
 * nothing is allocated per preset until it is read); the array carries its lookup keys under
 * LOOKUP. `loadDetails` reads the details file, once, when some prose is first read.
 */
export function lazyPresets<T>(text: string, loadDetails: () => unknown[]): T[] {
  const firstBreak = text.indexOf('\n');
  const header = JSON.parse(firstBreak < 0 ? text : text.slice(0, firstBreak)) as Header;
  const count = header.holes.length;
  // Where each preset's line starts, found on first need.
  let starts: number[] | undefined;
  const line = (i: number): string => {
    if (!starts) {
      starts = [];
      for (let at = firstBreak + 1; starts.length < count; at = text.indexOf('\n', at) + 1) starts.push(at);
    }
    const start = starts[i] as number;
    const end = text.indexOf('\n', start);
    return text.slice(start, end < 0 ? text.length : end);
  };
  let details: unknown[] | undefined;
  // Offset in the details array of each preset's first hole.
  let offsets: number[] | undefined;
  const parse = (i: number): T => {
    const preset = JSON.parse(line(i)) as T;
    const holes = header.holes[i] ? (header.holes[i] as string).split(',') : [];
    if (holes.length > 0) {
      offsets ??= header.holes.reduce<number[]>((acc, h, k) => (acc.push(k === 0 ? 0 : (acc[k - 1] as number) + countHoles(header.holes[k - 1] as string)), acc), []);
      const first = offsets[i] as number;
      for (const [j, dotted] of holes.entries()) {
        const path = dotted.split('.');
        let parent = preset as Record<string, unknown>;
        for (let k = 0; k < path.length - 1; k++) parent = parent[path[k] as string] as Record<string, unknown>;
        const key = path[path.length - 1] as string;
        lazyField(parent, key, () => {
          details ??= loadDetails();
          return details[first + j];
        });
      }
    }
    return preset;
  };
  // Unparsed elements hold this placeholder; the traps parse them when read.
  const UNREAD = Symbol('unread');
  const target: unknown[] = new Array(count).fill(UNREAD);
  Object.defineProperty(target, LOOKUP, { value: new Map(header.keys.map((k, i) => [k, header.at[i] as number])) as LookupKeys, enumerable: false });
  const read = (key: string | symbol): unknown => {
    if (typeof key === 'string' && target[key as unknown as number] === UNREAD) target[key as unknown as number] = parse(Number(key));
    return undefined;
  };
  return new Proxy(target, {
    get(t, key, receiver) {
      read(key);
      return Reflect.get(t, key, receiver);
    },
    getOwnPropertyDescriptor(t, key) {
      read(key);
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
  }) as T[];
}

function countHoles(list: string): number {
  return list ? list.split(',').length : 0;
}
