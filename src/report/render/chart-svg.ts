/**
 * Standalone SVG and HTML pages of a report's `charts`. gpucost draws only line charts and scatters on
 * linear or log axes, which its own small SVG writer (./svg/) covers without a charting library.
 */
import { GpucostError } from '../../errors.js';
import { formatValue } from '../format.js';
import { type Chart, cellKind, cellValue, type Report, type Table } from '../model.js';
import { drawChart, type PlannedChart, planCharts } from './svg/chart.js';
import { escapeXml as esc, num } from './svg/text.js';

/** Space between charts stacked in one SVG document. */
const STACK_GAP = 24;

function charts(report: Report): Chart[] {
  if (!report.charts || report.charts.length === 0) {
    throw new GpucostError('E_USAGE', 'this command draws no chart', 'use --format svg or html with gpucost compare or gpucost backtest --throughput');
  }
  return report.charts;
}

/** One SVG document; several charts are stacked vertically, each in a nested <svg> of its own. */
export function renderSvg(report: Report): string {
  const planned = planCharts(charts(report));
  if (planned.length === 1) return `${drawChart(planned[0] as PlannedChart)}\n`;
  let top = 0;
  const parts = planned.map((p) => {
    const svg = drawChart(p, `x="0" y="${num(top)}"`);
    top += p.layout.height + STACK_GAP;
    return svg;
  });
  const width = Math.max(...planned.map((p) => p.layout.width));
  const height = top - STACK_GAP;
  const size = `width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" ${size}>\n<rect width="${num(width)}" height="${num(height)}" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

function htmlTable(t: Table): string {
  const head = t.columns.map((c) => `<th>${esc(c.label)}</th>`).join('');
  const rows = t.rows
    .map((row) => {
      const cells = t.columns.map((c) => {
        const cell = row[c.key] ?? null;
        const unit = cell !== null && typeof cell === 'object' ? cell.unit : undefined;
        const align = c.kind === 'text' ? '' : ' class="n"';
        return `<td${align}>${esc(formatValue(cellValue(cell), cellKind(cell, c), unit))}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** A standalone HTML page: the title, the charts as inline SVG, the tables, warnings and assumptions. */
export function renderHtml(report: Report): string {
  const svgs = planCharts(charts(report)).map((p) => drawChart(p));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(report.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}figure{margin:0 0 2rem}li{margin:.2rem 0}svg{max-width:100%;height:auto}
table{border-collapse:collapse;margin:0 0 2rem}th,td{border:1px solid #ccc;padding:.25rem .5rem}td.n{text-align:right}</style></head>
<body><h1>${esc(report.title)}</h1>
${svgs.map((s) => `<figure>${s}</figure>`).join('\n')}
${report.tables.map(htmlTable).join('\n')}
${report.warnings.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${esc(w.message)}</li>`).join('')}</ul>` : ''}
<h2>Assumptions</h2><ul>${report.assumptions.map((a) => `<li>${esc(a.name)}: ${esc(a.value)} <small>(${esc(a.origin)})</small></li>`).join('')}</ul>
</body></html>
`;
}
