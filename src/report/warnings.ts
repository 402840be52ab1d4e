/** Warnings of reports with many rows: the same warning on several rows is said once, naming them. */
import type { Warning } from '../core/warnings.js';
import type { ReportWarning } from './model.js';

type RowRef = NonNullable<ReportWarning['rows']>[number];

/**
 * Each distinct message once, in the order first met, with the rows that gave it: `label` names a
 * row in the message (`prefix` joins the labels), `ref` in JSON. The numbers behind a message can
 * differ from row to row, so a merged warning carries none; each row's own warnings keep them.
 */
export function mergeWarnings<R>(
  rows: readonly R[],
  warningsOf: (row: R) => readonly Warning[],
  row: { label: (row: R) => string; ref: (row: R) => RowRef; prefix: (labels: string[]) => string },
): ReportWarning[] {
  const byMessage = new Map<string, { first: Warning; rows: R[] }>();
  for (const r of rows) {
    for (const w of warningsOf(r)) {
      const group = byMessage.get(w.message);
      // Pushing, not copying: a warning shared by 20,000 rows would otherwise copy its list each time.
      if (group) group.rows.push(r);
      else byMessage.set(w.message, { first: w, rows: [r] });
    }
  }
  return [...byMessage.values()].map(({ first, rows: sharing }) => ({
    code: first.code,
    severity: first.severity,
    message: `${row.prefix(sharing.map(row.label))}: ${first.message}`,
    rows: sharing.map(row.ref),
  }));
}
