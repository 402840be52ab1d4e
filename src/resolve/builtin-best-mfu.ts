/** The best measured MFU per GPU and precision in the bundled throughput set, compiled at build time (./best-mfu.ts). */
import table from '../presets/generated/best-mfu.json' with { type: 'json' };
import type { BestMeasuredMfu } from './best-mfu.js';

export function builtinBestMfu(gpu: string, precision: string): BestMeasuredMfu | null {
  return (table as BestMeasuredMfu[]).find((b) => b.gpu === gpu && b.precision === precision) ?? null;
}
