/** "Did you mean" suggestions by edit distance. */

/** Levenshtein edit distance (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, substitution));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * Candidates closest to `input`: containment matches first, then by edit distance, keeping those
 * within a third of the longer string (at least 2 edits). At most `limit`, best first.
 */
export function closest(input: string, candidates: readonly string[], limit = 3): string[] {
  const scored = candidates.map((c) => {
    const contains = c.includes(input) || input.includes(c);
    return { c, d: contains ? 0 : editDistance(input, c), contains };
  });
  return scored
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(Math.max(c.length, input.length) / 3)))
    .sort((x, y) => x.d - y.d || x.c.length - y.c.length || x.c.localeCompare(y.c))
    .slice(0, limit)
    .map(({ c }) => c);
}
