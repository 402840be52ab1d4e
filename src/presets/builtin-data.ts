/**
 * Reads one compiled preset data file as text (scripts/compile-presets.ts writes them to ./generated/).
 * This is the source version, used by the tests and type checks; scripts/build.mjs swaps in one
 * that reads the copies beside the bundle (dist/data/).
 */
import { readFileSync } from 'node:fs';

export function readPresetData(file: string): string {
  return readFileSync(new URL(`./generated/${file}`, import.meta.url), 'utf8');
}
