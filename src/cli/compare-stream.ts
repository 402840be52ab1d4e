/**
 * `gpucost compare --format csv` without holding the comparison: each row is computed, turned into
 * its CSV line and written out, so 100,000 GPU counts take a fraction of a second and little memory.
 * The lines are those of the CSV renderer on the full report (tests/cli/compare-stream.test.ts).
 * Used when nothing needs all rows at once: no chart, no gates, not the article's clusters.
 */
import { GpucostError } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import { type CompareRequest, compareRowCount, compareRowStream, isArticleComparison } from '../resolve/compare.js';
import { hasGates } from '../resolve/gates.js';
import { compareMachineCell, compareMachineColumns, compareValues } from '../report/compare.js';
import { outOfRange } from '../report/finite.js';
import { type Cell, cellValue } from '../report/model.js';
import { csvCells, csvHeader, csvMemo } from '../report/render/csv.js';
import type { CommonOptions, Context } from './context.js';
import { type GateOptions, limitsOf } from './gates.js';
import { plotWanted } from './common-options.js';
import { progress } from './progress.js';

/**
 * Most configurations a comparison may have in formats that hold their whole output in memory
 * (JSON takes ~2.6 kB a row, and a JavaScript string at most ~512 M characters). CSV has no limit.
 */
export const MAX_IN_MEMORY_ROWS = 20_000;

/** Refuses a comparison too large for its format, before any work is done. */
export function checkRowCount(req: CompareRequest, opts: CommonOptions): void {
  // The fine-tune comparison's default GPU list counts, as it does in the stream.
  const rows = compareRowCount(req);
  if (rows > MAX_IN_MEMORY_ROWS && (opts.format ?? 'table') !== 'csv') {
    throw new GpucostError(
      'E_INPUT',
      `${rows} configurations are more than --format ${opts.format ?? 'table'} takes (${MAX_IN_MEMORY_ROWS})`,
      'use --format csv, which streams any number of rows, or fewer --gpus',
    );
  }
}

/** Characters of CSV gathered before each write. */
const CHUNK_CHARS = 1 << 16;

export function streamsCsv(req: CompareRequest, opts: CommonOptions & GateOptions & { plot?: boolean | string }): boolean {
  return opts.format === 'csv' && !plotWanted(opts.plot) && !hasGates(limitsOf(opts)) && !isArticleComparison(req);
}

export async function emitCompareCsv(ctx: Context, req: CompareRequest, registry: Registry, opts: CommonOptions): Promise<void> {
  const rows = compareRowStream(req, registry);
  const first = rows.next(); // errors in the request are thrown here, before any output
  const columns = compareMachineColumns(false);
  const bar = progress(ctx.io, 'compare');
  const total = compareRowCount(req);
  let done = 0;
  try {
    await ctx.emitChunks(opts, async (write) => {
      // Lines are joined once per chunk: one flat string is cheaper to encode than a long concatenation.
      const memo = csvMemo();
      let lines: string[] = [csvHeader(columns)];
      let chars = 0;
      for (let row = first; !row.done; row = rows.next()) {
        const values = compareValues(row.value);
        const line = csvCells(columns, (key) => finiteCell(compareMachineCell(values, key), key), memo);
        bar.tick(++done, total);
        lines.push(line);
        chars += line.length;
        if (chars >= CHUNK_CHARS) {
          write(lines.join(''));
          lines = [];
          chars = 0;
          // Signal listeners run only between turns of the event loop; without this a Ctrl-C would
          // wait for the whole stream, which then replaces the file the user meant to keep.
          await new Promise((next) => setImmediate(next));
        }
      }
      write(lines.join(''));
    });
  } finally {
    bar.end();
  }
}

/** A cell of the stream, refused when its number is not finite (as Context.emit refuses a report). */
function finiteCell(cell: Cell, key: string): Cell {
  const v = cellValue(cell);
  if (typeof v === 'number' && !Number.isFinite(v)) throw outOfRange({ path: key, value: v });
  return cell;
}
