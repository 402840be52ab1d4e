/** The best measured MFU per GPU and precision in the bundled throughput set, compiled at build time (./best-mfu.ts). */
import table from '../presets/generated/best-mfu.json' with { type: 'json' };

export interface BestMeasuredMfu {
  gpu: string;
  precision: string;
  /** How many measured rows the best is taken over. */
  rows: number;
  /** Best MFU counting 6N + attention FLOPs per token (PaLM's convention). */
  mfu: number;
  /** Best MFU counting 6N FLOPs per token, for estimates that have no architecture to count attention with. */
  mfu6n: number;
  /** The row with the best PaLM-convention MFU, and the source it comes from. */
  row: string;
  source: { title: string; url: string };
}

export function builtinBestMfu(gpu: string, precision: string): BestMeasuredMfu | null {
  return (table as BestMeasuredMfu[]).find((b) => b.gpu === gpu && b.precision === precision) ?? null;
}
