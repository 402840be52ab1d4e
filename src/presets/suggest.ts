/** "Did you mean" suggestions: exact-but-for-punctuation, prefix and containment matches, then edit distance. */

/**
 * Damerau-Levenshtein distance, optimal-string-alignment variant: insert, delete, substitute and
 * swap of two neighbours each cost 1 ("lamma" → "llama" is one edit, "h1000" → "h100" one).
 * Wagner & Fischer 1974 for the table; Damerau 1964 for the transposition
 * (https://en.wikipedia.org/wiki/Damerau%E2%80%93Levenshtein_distance).
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((rows[i - 1]?.[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (rows[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      cur.push(d);
    }
    rows.push(cur);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/** Case and punctuation do not tell presets apart for a typist: "Llama-3 70B" ~ "llama3-70b". */
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * How near `c` is to `input`, lower is nearer, or undefined when too far to suggest: the same
 * but for punctuation (0), `input` begins `c` (1: "a100-80" → a100-80gb, "h10" → h100), one
 * contains the other (2), else 3 + the edit distance relative to the longer string, kept within
 * a third of it (at least 2 edits).
 */
function score(input: string, c: string): number | undefined {
  const [a, b] = [squash(input), squash(c)];
  if (a === '' || b === '') return undefined;
  if (a === b) return 0;
  if (a.length >= 2 && b.startsWith(a)) return 1 + (b.length - a.length) / (b.length * 10);
  if (a.length >= 3 && (b.includes(a) || a.includes(b))) return 2;
  const d = editDistance(a, b);
  const longer = Math.max(a.length, b.length);
  return d <= Math.max(2, Math.floor(longer / 3)) ? 3 + d / longer : undefined;
}

/**
 * Candidates nearest to `input`, best first, at most `limit`. `canonical` maps a candidate (an
 * alias) to its preset id: each id is suggested once, by its nearest name, written "alias (id)"
 * when that is an alias ("a10080gb" → "a100-80gb (a100-sxm4-80gb)").
 */
export function closest(input: string, candidates: readonly string[], limit = 3, canonical: (c: string) => string = (c) => c): string[] {
  const best = new Map<string, { name: string; s: number }>();
  for (const name of candidates) {
    const s = score(input, name);
    if (s === undefined) continue;
    const id = canonical(name);
    const prev = best.get(id);
    if (prev === undefined || s < prev.s || (s === prev.s && name === id)) best.set(id, { name, s });
  }
  return [...best]
    .sort(([x, a], [y, b]) => a.s - b.s || a.name.length - b.name.length || x.localeCompare(y))
    .slice(0, limit)
    .map(([id, { name }]) => (name === id ? id : `${name} (${id})`));
}
