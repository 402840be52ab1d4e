/** What the reports of the measured validation sets (throughput, fine-tuning) share. */
import type { Chart, Column } from './model.js';

/** The sources table: one row per set, with its split and first document. */
export const SOURCE_COLUMNS: Column[] = [
  { key: 'id', label: 'set', kind: 'text' },
  { key: 'split', label: 'split', kind: 'text' },
  { key: 'rows', label: 'rows', kind: 'integer' },
  { key: 'source', label: 'source', kind: 'text' },
];

/** The line where predicted equals measured, across the values shown. */
export function agreementLine(low: number, high: number): Chart['series'][number] {
  return {
    name: 'predicted = measured',
    points: [
      [low, low],
      [high, high],
    ],
  };
}
