/** A resolved input and where it came from, shown in every report's assumptions. */
export interface Resolved<T> {
  value: T;
  /** "flag --tflops", "scenario gpt3-article:A6", "preset gpt3-175b", "default", "computed …". */
  origin: string;
}

export const r = <T>(value: T, origin: string): Resolved<T> => ({ value, origin });

/** First defined value in precedence order. */
export function firstOf<T>(...options: [T | undefined, string][]): Resolved<T> | undefined {
  for (const [value, origin] of options) if (value !== undefined) return { value, origin };
  return undefined;
}
