/**
 * Terminal renderer: the only module that imports chalk and cli-table3. (The bundle gives cli-table3
 * a light `string-width`, src/report/render/string-width.ts, for start-up time; see scripts/build.mjs.)
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Report, Table as ReportTable } from '../model.js';
import { type TextTable, textTable } from './cells.js';
import { MIN_TEXT_WIDTH, fitColumns as fitToWidth, wrapText } from './fit-columns.js';
import type { RenderOptions } from './options.js';

export function renderTable(report: Report, options: RenderOptions): string {
  const c = new Chalk({ level: options.color === true ? 1 : 0 });
  const width = options.width ?? 100;
  const fit = options.fit === true;
  const heading = (text: string): string[] => (fit ? wrapText(text, width) : [text]).map((l) => c.bold(l));
  const out: string[] = [...heading(report.title), ''];

  for (const t of report.tables) {
    if (t.title) out.push(...heading(t.title));
    out.push(fit ? renderFitted(t, c, width) : renderOne(t, c, width), '');
  }
  if (report.assumptions.length > 0 && fit) {
    out.push(c.bold('Assumptions'), renderAssumptionsFitted(report, c, width), '');
  } else if (report.assumptions.length > 0) {
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
  const { labels, cells } = textTable(t);
  const fit = fitColumns({ ...t, columns: t.columns.map((col, i) => ({ ...col, label: labels[i] ?? col.label })) }, cells, width);
  // A table whose columns have no labels (a list of named values) gets no header row.
  const hasHead = t.columns.some((col) => col.label !== '');
  const table = new Table({
    head: hasHead ? labels.map((label) => c.bold(label)) : [],
    style: { head: [], border: [] },
    // Rules between rows only when cells wrap, to keep wrapped rows apart.
    ...(fit.wordWrap ? {} : { chars: COMPACT_ROWS }),
    colAligns: t.columns.map((col) => (col.kind === 'text' ? 'left' : 'right')),
    ...fit,
  });
  for (const row of cells) table.push(row);
  const text = table.toString();
  if (fit.wordWrap || !hasHead) return text;
  return withHeaderRule(text, 1);
}

/**
 * cli-table3 draws the rule under the header with the row-rule characters, which compact tables
 * remove: put it back after the header's `headLines` lines, made from the top border.
 */
function withHeaderRule(drawn: string, headLines: number): string {
  const lines = drawn.split('\n');
  const top = lines[0] ?? '';
  lines.splice(1 + headLines, 0, top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤'));
  return lines.join('\n');
}

/**
 * A table made to fit `width` (RenderOptions.fit): cells pre-wrapped to the widths fitColumns
 * chose, the columns it left out named on a line under the table.
 */
function renderFitted(t: ReportTable, c: ChalkInstance, width: number): string {
  const text = textTable(t);
  const hasHead = t.columns.some((col) => col.label !== '');
  const fitted = fitToWidth(columnTexts(t, text), width, (n) => n + 1);
  const wrapped = wrapCells(text, fitted.keep, fitted.widths);
  const rowsWrap = wrapped.cells.some((row) => row.some((cell) => cell.includes('\n')));
  const table = new Table({
    head: hasHead
      ? wrapped.labels.map((label) =>
          label
            .split('\n')
            .map((l) => c.bold(l))
            .join('\n'),
        )
      : [],
    style: { head: [], border: [] },
    ...(rowsWrap ? {} : { chars: COMPACT_ROWS }),
    colAligns: fitted.keep.map((i) => (t.columns[i]?.kind === 'text' ? 'left' : 'right')),
    colWidths: fitted.widths,
  });
  for (const row of wrapped.cells) table.push(row);
  let drawn = table.toString();
  if (!rowsWrap && hasHead) drawn = withHeaderRule(drawn, Math.max(1, ...wrapped.labels.map((l) => l.split('\n').length)));
  if (fitted.dropped.length === 0) return drawn;
  const names = fitted.dropped.map((i) => text.labels[i] || t.columns[i]?.key);
  const note = `Left out to fit ${width} columns: ${names.join(', ')} (--wide or --format csv/json shows ${names.length === 1 ? 'it' : 'them'}).`;
  return `${drawn}\n${wrapText(note, width)
    .map((l) => c.dim(l))
    .join('\n')}`;
}

/** The assumptions (name, value, origin) without borders, fitted as a table is. */
function renderAssumptionsFitted(report: Report, c: ChalkInstance, width: number): string {
  const text: TextTable = { labels: ['', '', ''], cells: report.assumptions.map((a) => [`  ${a.name}`, a.value, a.origin]) };
  const columns = text.labels.map((label, i) => ({ label, texts: text.cells.map((r) => r[i] ?? ''), isText: true }));
  // Three columns two spaces apart, no borders.
  const fitted = fitToWidth(columns, width, (n) => 2 * (n - 1));
  const wrapped = wrapCells(text, fitted.keep, fitted.widths);
  const t = new Table({ head: [], style: { head: [], border: [], compact: true }, chars: PLAIN_CHARS, colWidths: fitted.widths });
  for (const row of wrapped.cells) t.push(row.map((cell, i) => (fitted.keep[i] === 2 ? c.dim(cell) : cell)));
  return t.toString();
}

function columnTexts(t: ReportTable, text: TextTable): { label: string; texts: string[]; isText: boolean; dropOrder?: number }[] {
  return t.columns.map((col, i) => ({
    label: text.labels[i] ?? '',
    texts: text.cells.map((row) => row[i] ?? ''),
    isText: col.kind === 'text',
    ...(col.dropOrder === undefined ? {} : { dropOrder: col.dropOrder }),
  }));
}

/** Labels and cells of the kept columns, each wrapped to its width less the padding. */
function wrapCells(text: TextTable, keep: number[], widths: number[]): TextTable {
  const wrapOne = (s: string, k: number): string => wrapText(s, Math.max(1, (widths[k] ?? 3) - 2)).join('\n');
  return {
    labels: keep.map((i, k) => wrapOne(text.labels[i] ?? '', k)),
    cells: text.cells.map((row) => keep.map((i, k) => wrapOne(row[i] ?? '', k))),
  };
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
