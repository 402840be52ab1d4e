/** Terminal line charts of a report's `charts` (simple-ascii-chart), loaded only for --plot. */
import { wrapText } from './fit-columns.js';
import { plot } from 'simple-ascii-chart';
import { formatQuantity } from '../../core/quantity.js';
import { formatUsd } from '../format.js';
import type { Chart } from '../model.js';

const COLORS = ['ansiBlue', 'ansiRed', 'ansiGreen', 'ansiMagenta', 'ansiCyan', 'ansiYellow'] as const;
/** Each series gets its own glyph, so the chart reads without colour too. */
const GLYPHS = ['●', '×', '▲', '■', '+', '◆'];
const ANSI = { ansiBlue: 34, ansiRed: 31, ansiGreen: 32, ansiMagenta: 35, ansiCyan: 36, ansiYellow: 33 } as const;
const HEIGHT = 14;
/** Interpolated points per series: one per character column, so lines look continuous. */
const SAMPLES = 60;

/** `fit`: the title wraps at `width` (RenderOptions.fit); without it, it is one line however long. */
export function renderTextCharts(charts: Chart[], options: { color: boolean; width: number; fit?: boolean }): string {
  return charts.map((c) => renderOne(c, options)).join('\n\n');
}

function renderOne(chart: Chart, { color, width, fit }: { color: boolean; width: number; fit?: boolean }): string {
  const fx = (x: number): number => (chart.xLog ? Math.log2(x) : x);
  const fy = (y: number): number => (chart.yLog ? Math.log10(y) : y);
  // Points a log axis cannot place (zero, negative, infinite) are left out rather than drawn.
  const placeable = (x: number, y: number): boolean => Number.isFinite(fx(x)) && Number.isFinite(fy(y));
  const series = chart.series
    .filter((s) => !s.svgOnly)
    .map((s) => ({ ...s, points: s.points.filter(([x, y]) => placeable(x, y)) }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return '';
  // A scatter (markersOnly) keeps its points as they are; a line is filled in between them.
  const lines = series.map((s) => {
    const points = s.points.map(([x, y]) => [fx(x), fy(y)] as [number, number]);
    return s.markersOnly ? points : densify(points);
  });
  const yText = (v: number): string => {
    const y = chart.yLog ? 10 ** v : v;
    return chart.yKind === 'usd' ? formatUsd(y) : formatQuantity(y, 3);
  };
  const xText = (v: number): string => {
    const x = Math.round(chart.xLog ? 2 ** v : v);
    return x < 10_000 ? String(x) : formatQuantity(x, 3);
  };
  const all = lines.flat();
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  // The plot library does not tell the formatter which series a point belongs to, so points are
  // recognised by their coordinates (where series overlap, the first one's glyph shows).
  const seriesIndex = new Map<string, number>();
  lines.forEach((l, i) => l.forEach(([x, y]) => seriesIndex.has(`${x},${y}`) || seriesIndex.set(`${x},${y}`, i)));
  const glyph = (i: number): string => GLYPHS[i % GLYPHS.length] as string;
  const text = plot(lines, {
    width: Math.max(20, Math.min(width - 20, SAMPLES)),
    height: HEIGHT,
    customXAxisTicks: ticks(
      xs.reduce((a, b) => Math.min(a, b), Infinity),
      xs.reduce((a, b) => Math.max(a, b), -Infinity),
      8,
    ),
    customYAxisTicks: ticks(
      ys.reduce((a, b) => Math.min(a, b), Infinity),
      ys.reduce((a, b) => Math.max(a, b), -Infinity),
      6,
    ),
    mode: 'point',
    lineFormatter: ({ x, y, plotX, plotY }) => ({ x: plotX, y: plotY, symbol: glyph(seriesIndex.get(`${x},${y}`) ?? 0) }),
    ...(color ? { color: series.map((_, i) => COLORS[i % COLORS.length] as (typeof COLORS)[number]) } : {}),
    formatter: (v: number, { axis }: { axis: 'x' | 'y' }) => (axis === 'x' ? xText(v) : yText(v)),
  });
  const legend = series.map((s, i) => {
    const mark = color ? `\u001b[${ANSI[COLORS[i % COLORS.length] as (typeof COLORS)[number]]}m${glyph(i)}\u001b[0m` : glyph(i);
    return `  ${mark} ${s.name}`;
  });
  const title = `${chart.title}: ${chart.yLabel}${chart.yLog ? ' (log scale)' : ''}`;
  // Where simple-ascii-chart would put its own title: after the blank line it starts with.
  const [first = '', ...rest] = text.split('\n').map((l) => l.trimEnd());
  const chartLines = first === '' ? ['', ...(fit ? wrapText(title, width) : [title]), ...rest] : [title, first, ...rest];
  return `${[...chartLines, ...legend].join('\n')}\n`;
}

/**
 * Tick positions on whole units of the (log) axis — powers of 2 or 10 — thinned to at most `max`;
 * when the range spans less than one unit, its two ends.
 */
function ticks(lo: number, hi: number, max: number): number[] {
  const first = Math.ceil(lo - 1e-9);
  const last = Math.floor(hi + 1e-9);
  if (last <= first) return [lo, ...(last === first ? [first] : []), hi];
  const step = Math.max(1, Math.ceil((last - first + 1) / max));
  const out: number[] = [];
  for (let t = first; t <= last; t += step) out.push(t);
  return out;
}

/** Straight segments between the given points (straight on the chart's own, possibly log, axes). */
function densify(points: [number, number][]): [number, number][] {
  if (points.length < 2) return points;
  const first = points[0] as [number, number];
  const last = points[points.length - 1] as [number, number];
  const out: [number, number][] = [];
  for (let i = 0; i <= SAMPLES; i++) {
    const x = first[0] + ((last[0] - first[0]) * i) / SAMPLES;
    const j = Math.max(0, points.findIndex((p) => p[0] >= x) - 1);
    const [x0, y0] = points[j] as [number, number];
    const [x1, y1] = (points[j + 1] ?? points[j]) as [number, number];
    out.push([x, x1 === x0 ? y0 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0)]);
  }
  return out;
}
