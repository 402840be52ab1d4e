/**
 * One line chart of a report as an <svg> element: title, axes with grid lines, a line with point
 * markers per series, and a legend. The margins are sized from the estimated widths of the labels
 * placed in them (text.ts), so that long GPU names and tick labels stay inside the picture.
 */
import { formatQuantity } from '../../../core/quantity.js';
import { formatDurationShort } from '../../format.js';
import type { Chart, ValueKind } from '../../model.js';
import { type Axis, type AxisKind, makeAxis, placeable, position } from './scale.js';
import { ASCENT, DESCENT, escapeXml, num, textElement, textWidth } from './text.js';

/**
 * Okabe and Ito's colours, told apart with the common colour-vision deficiencies, ordered for
 * contrast on white (their yellow, the faintest, comes last).
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'];
/** Marker shapes cycle on a different period from the colours, so series stay apart past eight. */
const SHAPES = 3;

const PAD = 12;
const PLOT_WIDTH = 560;
const PLOT_HEIGHT = 280;
const SIZE = { title: 16, axisTitle: 12, tick: 11, legend: 12 };
const TICK_LENGTH = 5;
/** Between a label and what it labels. */
const GAP = 6;
const LEGEND_GAP = 24;
const LEGEND_ROW = 18;
const SWATCH = 18;
/** Every chart gpucost draws has one series per GPU (see `Chart`). */
const LEGEND_TITLE = 'GPU';
const INK = { grid: '#e3e3e3', axis: '#888', label: '#444' };

/** Height of one line of text at `size`: what sits between two stacked labels. */
const lineHeight = (size: number): number => (ASCENT + DESCENT) * size;
/** Baseline that centres a line of text vertically on `y`. */
const centredBaseline = (y: number, size: number): number => y + ((ASCENT - DESCENT) / 2) * size;

export interface Series {
  name: string;
  colour: string;
  shape: number;
  points: [number, number][];
  markersOnly: boolean;
}

export interface Layout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  x: Axis;
  y: Axis;
  xLabels: string[];
  yLabels: string[];
  legendLeft: number;
}

/** A chart with its layout decided, ready to draw. */
export interface PlannedChart {
  chart: Chart;
  series: Series[];
  layout: Layout;
}

/**
 * Lays out the charts of one report. They share the plot's left edge, so that their x axes line
 * up when stacked. Points a log axis cannot place (zero, negative) and non-finite values are left
 * out, as in the terminal chart: the line joins the points either side. A series left with no
 * point keeps its legend entry, so a series has the same colour in every chart of the report.
 */
export function planCharts(charts: Chart[]): PlannedChart[] {
  const prepared = charts.map((chart) => ({ chart, series: placeableSeries(chart) }));
  const left = Math.max(...prepared.map(({ chart, series }) => measure(chart, series).plot.left));
  return prepared.map(({ chart, series }) => ({ chart, series, layout: measure(chart, series, left) }));
}

function placeableSeries(chart: Chart): Series[] {
  const [xKind, yKind] = axisKinds(chart);
  return chart.series.map((s, i) => ({
    name: s.name,
    colour: PALETTE[i % PALETTE.length] as string,
    shape: i % SHAPES,
    points: s.points.filter(([x, y]) => placeable(xKind, x) && placeable(yKind, y)),
    markersOnly: s.markersOnly === true,
  }));
}

const axisKinds = (chart: Chart): [AxisKind, AxisKind] => [chart.xLog ? (chart.xLogBase === 10 ? 'log10' : 'log2') : 'linear', chart.yLog ? 'log10' : 'linear'];

/** The chart as a standalone <svg>; `placement` adds attributes (x, y) for nesting it in a larger one. */
export function drawChart({ chart, series, layout: at }: PlannedChart, placement = ''): string {
  const body = [
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${num(at.width)}" height="${num(at.height)}" fill="white"/>`,
    grid(at),
    axes(at),
    ...series.map((s) => seriesMarks(s, at)),
    legend(series, at, chart.legendTitle ?? LEGEND_TITLE),
    labels(chart, at),
  ];
  const size = `width="${num(at.width)}" height="${num(at.height)}" viewBox="0 0 ${num(at.width)} ${num(at.height)}"`;
  return `<svg xmlns="http://www.w3.org/2000/svg"${placement ? ` ${placement}` : ''} ${size} font-family="sans-serif" role="img">\n${body.join('\n')}\n</svg>`;
}

/** Where everything goes: the plot's edges, and the canvas around it grown to fit every label. */
function measure(chart: Chart, series: Series[], minLeft = 0): Layout {
  const [xKind, yKind] = axisKinds(chart);
  const x = makeAxis(
    xKind,
    series.flatMap((s) => s.points.map((p) => p[0])),
  );
  const y = makeAxis(
    yKind,
    series.flatMap((s) => s.points.map((p) => p[1])),
  );
  const xLabels = tickLabels(x.ticks, chart.xLogBase === 10 ? valueText('number') : countText);
  const yLabels = tickLabels(y.ticks, valueText(chart.yKind));
  const widest = (texts: string[], size: number, bold = false): number => Math.max(0, ...texts.map((t) => textWidth(t, size, bold)));
  // x tick labels are centred on their ticks: the outermost hang half their width past the plot.
  const xOverhang = widest(xLabels, SIZE.tick) / 2;
  const left = Math.max(minLeft, PAD + lineHeight(SIZE.axisTitle) + GAP + widest(yLabels, SIZE.tick) + GAP / 2 + TICK_LENGTH, PAD + xOverhang);
  const top = PAD + lineHeight(SIZE.title) + 2 * GAP;
  const plot = { left, top, right: left + PLOT_WIDTH, bottom: top + PLOT_HEIGHT };
  const legendLeft = plot.right + Math.max(LEGEND_GAP, xOverhang + GAP);
  const legendWidth = Math.max(
    textWidth(chart.legendTitle ?? LEGEND_TITLE, SIZE.legend, true),
    SWATCH +
      GAP +
      widest(
        series.map((s) => s.name),
        SIZE.legend,
      ),
  );
  const width = PAD + Math.max(legendLeft + legendWidth, plot.left + textWidth(chart.title, SIZE.title, true), PAD + textWidth(chart.xLabel, SIZE.axisTitle));
  const height =
    PAD +
    Math.max(
      xTitleBaseline(plot.bottom) + DESCENT * SIZE.axisTitle,
      legendRowsTop(plot.top) + series.length * LEGEND_ROW,
      PAD + textWidth(chart.yLabel, SIZE.axisTitle),
    );
  return { width, height, plot, x, y, xLabels, yLabels, legendLeft };
}

const xTickBaseline = (bottom: number): number => bottom + TICK_LENGTH + GAP / 2 + ASCENT * SIZE.tick;
const xTitleBaseline = (bottom: number): number => xTickBaseline(bottom) + DESCENT * SIZE.tick + GAP + ASCENT * SIZE.axisTitle;
const legendRowsTop = (top: number): number => top + lineHeight(SIZE.legend) + GAP;

/** A centre that keeps text of width `w` at least PAD from both ends of a side `length` long. */
const clampCentre = (centre: number, w: number, length: number): number => Math.min(Math.max(centre, PAD + w / 2), length - PAD - w / 2);

type Format = (value: number, digits: number) => string;

/** The fewest significant digits (three at least) that give every tick a different label. */
function tickLabels(ticks: number[], format: Format): string[] {
  for (let digits = 3; digits <= 12; digits += 1) {
    const labels = ticks.map((v) => format(v, digits));
    if (new Set(labels).size === labels.length) return labels;
  }
  return ticks.map((v) => format(v, 15));
}

/** GPU counts as written up to 9999 (8, 512, 4096), then 16.4k, 1.05M. */
const countText: Format = (v, digits) => (Number.isInteger(v) && Math.abs(v) < 1e4 ? String(v) : formatQuantity(v, digits));

function valueText(kind: ValueKind): Format {
  switch (kind) {
    case 'usd':
      return (v, digits) => `${v < 0 ? '-' : ''}$${formatQuantity(Math.abs(v), digits)}`;
    case 'duration':
    case 'duration-short':
      return (v) => formatDurationShort(v);
    case 'fraction':
    case 'deviation':
      return (v, digits) => `${formatQuantity(v * 100, digits)}%`;
    default:
      return (v, digits) => formatQuantity(v, digits);
  }
}

const xAt = (at: Layout, v: number): number => position(at.x, v, at.plot.left, at.plot.right);
const yAt = (at: Layout, v: number): number => position(at.y, v, at.plot.bottom, at.plot.top);

function line(x1: number, y1: number, x2: number, y2: number): string {
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}"/>`;
}

function grid(at: Layout): string {
  const { left, top, right, bottom } = at.plot;
  const xs = at.x.ticks.map((v) => line(xAt(at, v), top, xAt(at, v), bottom));
  const ys = at.y.ticks.map((v) => line(left, yAt(at, v), right, yAt(at, v)));
  return `<g stroke="${INK.grid}" stroke-width="1">${[...xs, ...ys].join('')}</g>`;
}

/** The left and bottom axis lines with their tick marks. */
function axes(at: Layout): string {
  const { left, top, right, bottom } = at.plot;
  const xs = at.x.ticks.map((v) => line(xAt(at, v), bottom, xAt(at, v), bottom + TICK_LENGTH));
  const ys = at.y.ticks.map((v) => line(left - TICK_LENGTH, yAt(at, v), left, yAt(at, v)));
  return `<g stroke="${INK.axis}" stroke-width="1">${[line(left, top, left, bottom), line(left, bottom, right, bottom), ...xs, ...ys].join('')}</g>`;
}

/** Circle, square or triangle of about the same area, centred on (x, y). */
function marker(shape: number, x: number, y: number): string {
  if (shape === 0) return `<circle cx="${num(x)}" cy="${num(y)}" r="3.5"/>`;
  if (shape === 1) return `<rect x="${num(x - 3.1)}" y="${num(y - 3.1)}" width="6.2" height="6.2"/>`;
  return `<path d="M${num(x)},${num(y - 4.3)}L${num(x + 4)},${num(y + 2.6)}L${num(x - 4)},${num(y + 2.6)}Z"/>`;
}

function seriesMarks(s: Series, at: Layout): string {
  const points = s.points.map(([x, y]) => [xAt(at, x), yAt(at, y)] as const);
  // A single point has no line, only its marker; nor has a scatter.
  const path =
    points.length > 1 && !s.markersOnly
      ? `<polyline fill="none" stroke="${s.colour}" stroke-width="2" stroke-linejoin="round" points="${points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}"/>`
      : '';
  return `<g fill="${s.colour}">${path}${points.map(([x, y]) => marker(s.shape, x, y)).join('')}</g>`;
}

function legend(series: Series[], at: Layout, heading: string): string {
  const x = at.legendLeft;
  const rows = series.map((s, i) => {
    const centre = legendRowsTop(at.plot.top) + (i + 0.5) * LEGEND_ROW;
    const stroke = s.markersOnly ? '' : line(x, centre, x + SWATCH, centre);
    const sample = `<g fill="${s.colour}" stroke="${s.colour}" stroke-width="2">${stroke}${marker(s.shape, x + SWATCH / 2, centre)}</g>`;
    return sample + textElement(x + SWATCH + GAP, centredBaseline(centre, SIZE.legend), s.name, { size: SIZE.legend });
  });
  const title = textElement(x, at.plot.top + ASCENT * SIZE.legend, heading, { size: SIZE.legend, bold: true });
  return [title, ...rows].join('\n');
}

/** The chart title, the axis titles and the tick labels. */
function labels(chart: Chart, at: Layout): string {
  const { left, top, right, bottom } = at.plot;
  const tick = { size: SIZE.tick, fill: INK.label };
  const xTicks = at.x.ticks.map((v, i) => textElement(xAt(at, v), xTickBaseline(bottom), at.xLabels[i] as string, { ...tick, anchor: 'middle' }));
  const yTicks = at.y.ticks.map((v, i) =>
    textElement(left - TICK_LENGTH - GAP / 2, centredBaseline(yAt(at, v), SIZE.tick), at.yLabels[i] as string, { ...tick, anchor: 'end' }),
  );
  const xTitleX = clampCentre((left + right) / 2, textWidth(chart.xLabel, SIZE.axisTitle), at.width);
  const yTitleY = clampCentre((top + bottom) / 2, textWidth(chart.yLabel, SIZE.axisTitle), at.height);
  return [
    textElement(left, PAD + ASCENT * SIZE.title, chart.title, { size: SIZE.title, bold: true }),
    ...xTicks,
    ...yTicks,
    textElement(xTitleX, xTitleBaseline(bottom), chart.xLabel, { size: SIZE.axisTitle, anchor: 'middle' }),
    textElement(PAD + ASCENT * SIZE.axisTitle, yTitleY, chart.yLabel, { size: SIZE.axisTitle, anchor: 'middle', vertical: true }),
  ].join('\n');
}
