import { describe, expect, it } from 'vitest';
import type { Column, Report, Table } from '../../src/report/model.js';
import { renderTable } from '../../src/report/render/table.js';

function report(table: Table): Report {
  return { title: 't', tables: [table], primary: table, assumptions: [], warnings: [], notes: [], json: {} };
}

const longText = 'a description long enough that it has to wrap somewhere';
const table: Table = {
  columns: [
    { key: 'name', label: 'name', kind: 'text' },
    { key: 'text', label: 'text', kind: 'text' },
    { key: 'n', label: 'n', kind: 'number' },
  ],
  rows: [
    { name: 'first', text: longText, n: 1 },
    { name: 'second', text: 'short', n: 22 },
  ],
};

const boxLines = (text: string): string[] => text.split('\n').filter((l) => /^[┌├│└]/.test(l));

describe('table renderer layout', () => {
  it('a table that fits is drawn without rules between rows, with one under the header', () => {
    const lines = boxLines(renderTable(report(table), { color: false, width: 200 }));
    expect(lines.map((l) => l[0]).join('')).toBe('┌│├││└');
    expect(new Set(lines.map((l) => [...l].length)).size).toBe(1);
  });

  it('a table wider than the terminal wraps its text columns to fit, rows kept apart by rules', () => {
    const width = 50;
    const lines = boxLines(renderTable(report(table), { color: false, width }));
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
    expect(lines.filter((l) => l.startsWith('├')).length).toBe(2);
    expect(lines.length).toBeGreaterThan(6);
  });

  it('a table that cannot fit even wrapped is left on one line per row', () => {
    const wide: Table = {
      columns: [
        ...Array.from({ length: 12 }, (_, i): Column => ({ key: `c${i}`, label: `column ${i}`, kind: 'number' })),
        { key: 't', label: 'text', kind: 'text' },
      ],
      rows: [Object.fromEntries([...Array.from({ length: 12 }, (_, i) => [`c${i}`, 123456 * i]), ['t', longText]])],
    };
    const lines = boxLines(renderTable(report(wide), { color: false, width: 60 }));
    expect(lines.map((l) => l[0]).join('')).toBe('┌│├│└');
    expect(lines[3]).toContain(longText);
  });

  it('columns without labels give no header row', () => {
    const unlabelled: Table = { ...table, columns: table.columns.map((c) => ({ ...c, label: '' })) };
    const lines = boxLines(renderTable(report(unlabelled), { color: false, width: 200 }));
    expect(lines.map((l) => l[0]).join('')).toBe('┌││└');
    expect(lines[1]).toContain('first');
  });
});

describe('table renderer fitting a terminal (fit)', () => {
  const ranked: Table = {
    columns: [
      { key: 'name', label: 'name', kind: 'text' },
      { key: 'a', label: 'first to go', kind: 'number', dropOrder: 1 },
      { key: 'b', label: 'second to go', kind: 'number', dropOrder: 2 },
      { key: 'url', label: 'url', kind: 'text' },
    ],
    rows: [{ name: 'x', a: 1, b: 2, url: 'https://example.com/a/very/long/path/that/cannot/wrap/between/words' }],
  };

  it('drops columns in dropOrder, says so under the table, then breaks long words', () => {
    const text = renderTable(report(ranked), { color: false, width: 40, fit: true });
    for (const l of text.split('\n')) expect([...l].length).toBeLessThanOrEqual(40);
    expect(text).toContain('Left out to fit 40 columns: first to go,');
    expect(text).toContain('second to go');
    expect(text).toMatch(/│ https:\/\/example\.com\//);
  });

  it('keeps every column when the table fits', () => {
    const text = renderTable(report(ranked), { color: false, width: 200, fit: true });
    expect(text).not.toContain('Left out');
    expect(text).toContain('first to go');
  });
});
