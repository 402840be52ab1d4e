/** GitHub-flavoured Markdown, suited to $GITHUB_STEP_SUMMARY. */
import type { Report, Table } from '../model.js';
import { textTable } from './cells.js';

export function renderMarkdown(report: Report): string {
  const out: string[] = [`## ${escapeInline(report.title)}`, ''];
  for (const t of report.tables) {
    if (t.title) out.push(`### ${escapeInline(t.title)}`, '');
    out.push(markdownTable(t), '');
  }
  if (report.warnings.length > 0) {
    out.push('### Warnings', '');
    for (const w of report.warnings) out.push(`> ⚠️ ${escapeInline(w.message)}`, '>');
    out.pop();
    out.push('');
  }
  if (report.assumptions.length > 0) {
    out.push('<details><summary>Assumptions</summary>', '');
    out.push(
      markdownTable({
        columns: [
          { key: 'name', label: 'Input', kind: 'text' },
          { key: 'value', label: 'Value', kind: 'text' },
          { key: 'origin', label: 'From', kind: 'text' },
        ],
        rows: report.assumptions.map((a) => ({ ...a })),
      }),
      '',
      '</details>',
      '',
    );
  }
  for (const n of report.notes) out.push(`### ${escapeInline(n.title)}`, '', ...n.text.split('\n').map(escapeInline), '');
  return `${out.join('\n').trimEnd()}\n`;
}

function markdownTable(t: Table): string {
  const { labels, cells } = textTable(t);
  const head = `| ${labels.map(escapeCell).join(' | ')} |`;
  const rule = `| ${t.columns.map((c) => (c.kind === 'text' ? '---' : '---:')).join(' | ')} |`;
  const rows = cells.map((row) => `| ${row.map(escapeCell).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

function escapeCell(text: string): string {
  return escapeInline(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function escapeInline(text: string): string {
  return text.replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
