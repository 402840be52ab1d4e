/**
 * The best MFU measured on each GPU at each precision in the throughput validation set
 * (presets/throughput/): what an estimate's utilisation is held against (MFU_ABOVE_PUBLISHED, issue
 * 17). Computed at build time (scripts/compile-presets.ts) so that the CLI reads a small table, not
 * the whole set.
 */
import { flopsPerToken } from '../core/flops.js';
import { paramCounts } from '../core/params.js';
import type { Registry } from '../presets/catalog.js';
import type { ThroughputSet } from '../presets/schema.js';
import { measuredCase } from './throughput-measured.js';

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

export function bestMeasuredMfu(sets: ThroughputSet[], registry: Registry): BestMeasuredMfu[] {
  const best = new Map<string, BestMeasuredMfu>();
  for (const set of sets) {
    for (const row of set.rows) {
      const m = measuredCase(row, registry);
      const mfu6n = (m.mfu * flopsPerToken({ convention: '6nd', params: paramCounts(m.arch).active })) / m.modelFlopsPerToken;
      const key = `${row.gpu}\u0000${row.precision}`;
      const now = best.get(key);
      const source = { title: set.sources[0]?.title ?? set.name, url: set.sources[0]?.url ?? '' };
      if (!now) {
        best.set(key, { gpu: row.gpu, precision: row.precision, rows: 1, mfu: m.mfu, mfu6n, row: row.id, source });
        continue;
      }
      now.rows += 1;
      now.mfu6n = Math.max(now.mfu6n, mfu6n);
      if (m.mfu > now.mfu) Object.assign(now, { mfu: m.mfu, row: row.id, source });
    }
  }
  return [...best.values()].sort((a, b) => (a.gpu === b.gpu ? (a.precision < b.precision ? -1 : 1) : a.gpu < b.gpu ? -1 : 1));
}
