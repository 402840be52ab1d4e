/**
 * Text that came from outside gpucost (preset and config files, flags, file names) on its way to a
 * terminal, or to a file a terminal may show. Control characters (C0 other than newline and tab,
 * DEL, C1) can move the cursor, rewrite the window title or hide what came before; bidirectional
 * overrides and isolates reorder what is shown (Boucher and Anderson 2021, "Trojan Source",
 * https://trojansource.codes/). Each becomes a visible \u escape (errors.ts printable, newlines and
 * tabs kept), so the text stays readable and inert.
 */
import { printable, unicodeEscape } from '../errors.js';
/** What JSON.stringify leaves raw inside strings although a terminal acts on it (C0 it escapes itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return printable(text, true);
}

/**
 * `value` with escapeControls applied to every string in it (plain objects and arrays are walked);
 * the same object when nothing needed escaping, so clean reports cost one pass and no copies.
 */
export function escapeControlsDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = escapeControlsDeep(value[i]);
      if (v !== value[i]) {
        copy ??= value.slice();
        copy[i] = v;
      }
    }
    return (copy ?? value) as T;
  }
  if (value === null || typeof value !== 'object' || !isPlain(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const cleanKey = escapeControls(k);
    const cleanValue = escapeControlsDeep(v);
    if (cleanKey !== k || cleanValue !== v) {
      copy ??= { ...(value as Record<string, unknown>) };
      if (cleanKey !== k) delete copy[k];
      copy[cleanKey] = cleanValue;
    }
  }
  return (copy ?? value) as T;
}

function isPlain(o: object): boolean {
  const proto = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

/** JSON text with those characters as \u escapes: the same value when parsed, inert when shown. */
export function escapeJsonControls(json: string): string {
  return json.replace(UNSAFE_IN_JSON, unicodeEscape);
}
