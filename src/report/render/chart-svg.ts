/**
 * Standalone SVG and HTML charts of a report's `charts`, drawn by Vega (https://vega.github.io/vega/)
 * in headless mode. Vega loads only for these formats.
 */
import { parse, View } from 'vega';
import { GpucostError } from '../../errors.js';
import { formatValue } from '../format.js';
import { type Chart, cellKind, cellValue, type Report, type Table } from '../model.js';

const WIDTH = 640;
const HEIGHT = 320;

/** The Vega specification of one chart: one coloured line with points per series. */
export function vegaSpec(chart: Chart): Record<string, unknown> {
  const values = chart.series.flatMap((s) => s.points.map(([x, y]) => ({ series: s.name, x, y })));
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: WIDTH,
    height: HEIGHT,
    padding: 12,
    background: 'white',
    title: { text: chart.title, anchor: 'start', fontSize: 16 },
    data: [{ name: 'points', values }],
    scales: [
      { name: 'x', type: chart.xLog ? 'log' : 'linear', base: 2, domain: { data: 'points', field: 'x' }, range: 'width', nice: false },
      { name: 'y', type: chart.yLog ? 'log' : 'linear', domain: { data: 'points', field: 'y' }, range: 'height', nice: true },
      { name: 'color', type: 'ordinal', domain: { data: 'points', field: 'series' }, range: 'category' },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: chart.xLabel, grid: true, format: chart.xLog ? 'd' : '~s' },
      { orient: 'left', scale: 'y', title: chart.yLabel, grid: true, format: chart.yKind === 'usd' ? '$~s' : '~s' },
    ],
    legends: [{ fill: 'color', stroke: 'color', title: 'GPU', orient: 'right' }],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'series', data: 'points', groupby: 'series' } },
        marks: [
          {
            type: 'line',
            from: { data: 'series' },
            encode: { enter: { x: { scale: 'x', field: 'x' }, y: { scale: 'y', field: 'y' }, stroke: { scale: 'color', field: 'series' }, strokeWidth: { value: 2 } } },
          },
          {
            type: 'symbol',
            from: { data: 'series' },
            encode: { enter: { x: { scale: 'x', field: 'x' }, y: { scale: 'y', field: 'y' }, fill: { scale: 'color', field: 'series' }, size: { value: 40 } } },
          },
        ],
      },
    ],
  };
}

async function chartSvg(chart: Chart): Promise<string> {
  const view = new View(parse(vegaSpec(chart) as never), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function charts(report: Report): Chart[] {
  if (!report.charts || report.charts.length === 0) {
    throw new GpucostError('E_USAGE', 'this command draws no chart', 'use --format svg or html with gpucost compare');
  }
  return report.charts;
}

/** One SVG document; several charts are stacked vertically. */
export async function renderSvg(report: Report): Promise<string> {
  const parts = await Promise.all(charts(report).map(chartSvg));
  if (parts.length === 1) return `${parts[0]}\n`;
  const height = (HEIGHT + 120) * parts.length;
  const body = parts.map((svg, i) => `<g transform="translate(0,${i * (HEIGHT + 120)})">${svg}</g>`).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH + 220}" height="${height}">\n${body}\n</svg>\n`;
}

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

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
export async function renderHtml(report: Report): Promise<string> {
  const svgs = await Promise.all(charts(report).map(chartSvg));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(report.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}figure{margin:0 0 2rem}li{margin:.2rem 0}
table{border-collapse:collapse;margin:0 0 2rem}th,td{border:1px solid #ccc;padding:.25rem .5rem}td.n{text-align:right}</style></head>
<body><h1>${esc(report.title)}</h1>
${svgs.map((s) => `<figure>${s}</figure>`).join('\n')}
${report.tables.map(htmlTable).join('\n')}
${report.warnings.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${esc(w.message)}</li>`).join('')}</ul>` : ''}
<h2>Assumptions</h2><ul>${report.assumptions.map((a) => `<li>${esc(a.name)}: ${esc(a.value)} <small>(${esc(a.origin)})</small></li>`).join('')}</ul>
</body></html>
`;
}
