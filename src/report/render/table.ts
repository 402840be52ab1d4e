/**
 * Terminal renderer: the only module that imports chalk and cli-table3. (The bundle gives cli-table3
 * a light `string-width`, src/report/render/string-width.ts, for start-up time; see scripts/build.mjs.)
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { formatValue } from '../format.js';
import { type Report, type Table as ReportTable, cellKind, cellValue } from '../model.js';
import type { RenderOptions } from './options.js';

export function renderTable(report: Report, options: RenderOptions): string {
  const c = new Chalk({ level: options.color === true ? 1 : 0 });
  const width = options.width ?? 100;
  const out: string[] = [c.bold(report.title), ''];

  for (const t of report.tables) {
    if (t.title) out.push(c.bold(t.title));
    out.push(renderOne(t, c, width), '');
  }
  if (report.assumptions.length > 0) {
    out.push(c.bold('Assumptions'));
    const cells = report.assumptions.map((a) => [`  ${a.name}`, a.value, a.origin]);
    const plain: ReportTable = {
      columns: [
        { key: 'n', label: '', kind: 'text' },
        { key: 'v', label: '', kind: 'text' },
        { key: 'o', label: '', kind: 'text' },
      ],
      rows: [],
    };
    const t = new Table({ head: [], style: { head: [], border: [], compact: true }, chars: PLAIN_CHARS, ...fitColumns(plain, cells, width) });
    for (const [n, v, o] of cells) t.push([n ?? '', v ?? '', c.dim(o ?? '')]);
    out.push(t.toString(), '');
  }
  if (report.warnings.length > 0) {
    out.push(c.yellow.bold('Warnings'));
    for (const w of report.warnings) out.push(...wrap(w.message, width - 4).map((l, i) => c.yellow(`${i === 0 ? '  ! ' : '    '}${l}`)));
    out.push('');
  }
  for (const n of report.notes) {
    out.push(c.bold(n.title));
    for (const paragraph of n.text.split('\n')) out.push(...wrap(paragraph, width - 2).map((l) => `  ${l}`));
    out.push('');
  }
  // Trailing spaces go line by line; only lines that have them are copied.
  let text = '';
  for (const chunk of out) {
    for (const line of chunk.includes('\n') ? chunk.split('\n') : [chunk]) text += `${line.endsWith(' ') ? line.trimEnd() : line}\n`;
  }
  return `${text.trimEnd()}\n`;
}

function renderOne(t: ReportTable, c: ChalkInstance, width: number): string {
  const cells = t.rows.map((row) =>
    t.columns.map((col) => {
      const cell = row[col.key] ?? null;
      const unit = cell !== null && typeof cell === 'object' ? cell.unit : undefined;
      return formatValue(cellValue(cell), cellKind(cell, col), unit);
    }),
  );
  const fit = fitColumns(t, cells, width);
  // A table whose columns have no labels (a list of named values) gets no header row.
  const hasHead = t.columns.some((col) => col.label !== '');
  const table = new Table({
    head: hasHead ? t.columns.map((col) => c.bold(col.label)) : [],
    style: { head: [], border: [] },
    // Rules between rows only when cells wrap, to keep wrapped rows apart.
    ...(fit.wordWrap ? {} : { chars: COMPACT_ROWS }),
    colAligns: t.columns.map((col) => (col.kind === 'text' ? 'left' : 'right')),
    ...fit,
  });
  for (const row of cells) table.push(row);
  const text = table.toString();
  if (fit.wordWrap || !hasHead) return text;
  // cli-table3 draws the rule under the header with the row-rule characters removed above: put it
  // back, made from the top border (the header is one line when nothing wraps).
  const lines = text.split('\n');
  const top = lines[0] ?? '';
  lines.splice(2, 0, top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤'));
  return lines.join('\n');
}

/**
 * When the natural table is wider than the terminal, wrap text columns (never numbers): the widest
 * are capped first, at one level chosen so the table fits (but never below MIN_TEXT_WIDTH). A table
 * that would not fit even then is left unwrapped.
 */
function fitColumns(t: ReportTable, cells: string[][], width: number): { colWidths?: (number | null)[]; wordWrap?: boolean } {
  const natural = t.columns.map((col, i) => cells.reduce((m, r) => Math.max(m, (r[i] ?? '').length), col.label.length) + 2);
  const isText = (i: number): boolean => t.columns[i]?.kind === 'text';
  const borders = natural.length + 1;
  if (natural.reduce((a, b) => a + b, 0) + borders <= width) return {};
  const fixed = natural.reduce((sum, w, i) => (isText(i) ? sum : sum + w), 0) + borders;
  const budget = width - fixed;
  const used = (cap: number): number => natural.reduce((sum, w, i) => (isText(i) ? sum + Math.min(w, cap) : sum), 0);
  let cap = natural.reduce((m, w) => Math.max(m, w), 0);
  while (cap > MIN_TEXT_WIDTH && used(cap) > budget) cap -= 1;
  // Wrapping that cannot make the table fit only makes it taller: leave it as it is.
  if (used(cap) > budget) return {};
  // Never narrower than the longest word: ids and URLs are not cut.
  const longestWord = t.columns.map((col, i) =>
    isText(i) ? cells.reduce((m, r) => Math.max(m, longestWordLength(r[i] ?? '')), longestWordLength(col.label)) + 2 : 0,
  );
  return { colWidths: natural.map((w, i) => (isText(i) ? Math.min(w, Math.max(cap, longestWord[i] ?? 0)) : null)), wordWrap: true };
}

const MIN_TEXT_WIDTH = 12;

/**
 * Length of the longest run of non-whitespace characters (what split(/\s+/) would give), without
 * splitting. A regular expression finds the runs: a loop over every character ran often enough in a
 * wide table for V8 to compile it with its optimising compiler, which the process waits for at exit.
 */
function longestWordLength(text: string): number {
  let longest = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) longest = Math.max(longest, WORD.lastIndex - m.index);
  return longest;
}
const WORD = /\S+/g;

const COMPACT_ROWS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** Greedy word wrap. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

const PLAIN_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};
