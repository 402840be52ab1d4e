/**
 * Makes `obj[key]` computed by `make` on first read, after which it is a plain data property
 * (enumerable, writable and configurable, as an assignment would have made it). Writing it before
 * it is read stores the value and never calls `make`. Used where building a value costs more than
 * most runs need: a report's JSON and assumptions (report/), the bundled presets' data files and
 * their sources and notes (presets/).
 */
export function lazyField<T extends object, K extends keyof T>(obj: T, key: K, make: () => T[K]): void {
  const settle = (value: T[K]): T[K] => {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(obj, key, { enumerable: true, configurable: true, get: () => settle(make()), set: settle });
}
