import { GpucostError } from '../errors.js';

/**
 * The first number in a result that is not finite, with its path ("estimates.0.wallClockDays"), or
 * null. A value such as `--mfu 1e-320` divides a finite amount of work by almost nothing: the answer
 * is not a number anyone can budget on, so it is refused rather than printed as Infinity.
 */
export function firstNonFinite(value: unknown): { path: string; value: number } | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { path: path || '(the result)', value: v };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], path ? `${path}.${i}` : String(i)]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i] as [string, unknown];
        stack.push([child, path ? `${path}.${k}` : k]);
      }
    }
  }
  return null;
}

/** A result with a number that is not finite: the inputs were out of range (exit 2, nothing printed). */
export function outOfRange(broken: { path: string; value: number }): GpucostError {
  return new GpucostError(
    'E_INPUT',
    `the inputs give a result out of range: ${broken.path} is ${broken.value}`,
    'a value given is too close to zero or too large (for example --mfu, --tflops or --price); check it',
  );
}

/** `json` itself, when every number in it is finite; else the out-of-range error. */
export function finiteOrThrow<T>(json: T): T {
  const broken = firstNonFinite(json);
  if (broken) throw outOfRange(broken);
  return json;
}
