// gpucost's own SVG charts: every label inside the picture, untrusted names escaped, odd data drawn
// without NaN, and the axes' ticks and labels.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRows } from '../../src/resolve/compare.js';
import { compareReport } from '../../src/report/compare.js';
import type { Chart, Report } from '../../src/report/model.js';
import { renderHtml, renderSvg } from '../../src/report/render/chart-svg.js';
import { drawChart, PALETTE, planCharts } from '../../src/report/render/svg/chart.js';
import { makeAxis, position } from '../../src/report/render/svg/scale.js';
import { ASCENT, DESCENT, escapeXml, textWidth } from '../../src/report/render/svg/text.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { TEST_TODAY } from '../helpers/cli.js';
import { registry } from '../helpers/presets.js';

function chart(series: Chart['series'], extra: Partial<Chart> = {}): Chart {
  return { title: 'Time to train', xLabel: 'GPUs', yLabel: 'days', xLog: true, yLog: true, yKind: 'number', series, ...extra };
}

const draw = (c: Chart): string => drawChart(planCharts([c])[0] as ReturnType<typeof planCharts>[number]);
const reportOf = (...charts: Chart[]): Report => ({
  title: 't',
  tables: [],
  primary: { columns: [], rows: [] },
  assumptions: [],
  warnings: [],
  notes: [],
  json: {},
  charts,
});

const unescape = (s: string): string =>
  s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

const attr = (attrs: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];

interface Box {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The box each <text> covers by the renderer's own width estimate, turned with it when vertical. */
function textBoxes(svg: string): Box[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attrs = '', content = '']) => {
    const [x, y, size] = ['x', 'y', 'font-size'].map((n) => Number(attr(attrs, n)));
    const text = unescape(content);
    const w = textWidth(text, size as number, attr(attrs, 'font-weight') === 'bold');
    const anchor = attr(attrs, 'text-anchor');
    const before = anchor === 'middle' ? w / 2 : anchor === 'end' ? w : 0;
    const [across0, across1] = [ASCENT * (size as number), DESCENT * (size as number)];
    if (attr(attrs, 'transform')?.startsWith('rotate(-90')) {
      // Reads upwards: its run goes along -y, its ascent towards -x.
      return { text, left: (x as number) - across0, right: (x as number) + across1, top: (y as number) - (w - before), bottom: (y as number) + before };
    }
    return { text, left: (x as number) - before, right: (x as number) - before + w, top: (y as number) - across0, bottom: (y as number) + across1 };
  });
}

/** Each chart's own <svg>: its size (from the viewBox) and its content. */
function chartParts(svg: string): { width: number; height: number; body: string }[] {
  return [...svg.matchAll(/<svg ([^>]*role="img"[^>]*)>([\s\S]*?)<\/svg>/g)].map(([, attrs = '', body = '']) => {
    const [, , width, height] = (attr(attrs, 'viewBox') ?? '').split(' ').map(Number);
    return { width: width as number, height: height as number, body };
  });
}

function expectTextInside(svg: string): void {
  const parts = chartParts(svg);
  expect(parts.length).toBeGreaterThan(0);
  for (const { width, height, body } of parts) {
    for (const box of textBoxes(body)) {
      expect(box.left, `left of ${box.text}`).toBeGreaterThanOrEqual(0);
      expect(box.top, `top of ${box.text}`).toBeGreaterThanOrEqual(0);
      expect(box.right, `right of ${box.text}`).toBeLessThanOrEqual(width);
      expect(box.bottom, `bottom of ${box.text}`).toBeLessThanOrEqual(height);
    }
  }
}

const comparison = compareReport(compareRows({ gpuList: ['v100', 'a100', 'h100'], gpusList: [8, 64, 512, 4096], price: 2 }, registry), { plot: true });

describe('labels stay inside the picture', () => {
  it('in the stacked SVG and the HTML page of a comparison', () => {
    expectTextInside(renderSvg(comparison));
    expectTextInside(renderHtml(comparison));
  });

  const long = 'a-very-long-gpu-preset-name-from-a-user-file-WWW-MMM';
  it.each([
    [
      'a long series name',
      chart([
        {
          name: long,
          points: [
            [8, 1],
            [4096, 20],
          ],
        },
      ]),
    ],
    ['wide characters in a series name', chart([{ name: 'Ünïcödé × 训练 🚀', points: [[3, 2]] }])],
    [
      'long tick labels',
      chart(
        [
          {
            name: 'h100',
            points: [
              [1, 1.5e-4],
              [1_048_576, 123_456_789],
            ],
          },
        ],
        { yKind: 'usd' },
      ),
    ],
    ['a title wider than the plot', chart([{ name: 'h100', points: [[8, 1]] }], { title: `WIDE LETTERS ${'M'.repeat(60)}` })],
    ['axis titles longer than the axes', chart([{ name: 'h100', points: [[8, 1]] }], { xLabel: 'x'.repeat(200), yLabel: 'y'.repeat(400) })],
  ])('with %s', (_, c) => {
    const svg = draw(c);
    expectTextInside(svg);
    for (const s of c.series) expect(svg).toContain(`>${escapeXml(s.name)}</text>`);
  });

  it('with more series than the plot is tall', () => {
    const series = Array.from({ length: 40 }, (_, i) => ({
      name: `gpu-${i}`,
      points: [
        [8, i + 1],
        [16, i + 2],
      ] as [number, number][],
    }));
    expectTextInside(draw(chart(series)));
  });

  it('the check can fail: a label past the right edge is caught', () => {
    const svg = draw(
      chart([
        {
          name: 'h100',
          points: [
            [8, 1],
            [16, 2],
          ],
        },
      ]),
    ).replace(/x="([\d.]+)"([^>]*)>h100</, 'x="5000"$2>h100<');
    expect(() => expectTextInside(svg)).toThrow(/right of h100/);
  });
});

describe('untrusted text', () => {
  const hostile = `</text><script>alert("x")</script>&amp;'\u0001`;

  it('series names and titles are escaped in SVG and HTML', () => {
    const c = chart(
      [
        {
          name: hostile,
          points: [
            [8, 1],
            [16, 2],
          ],
        },
      ],
      { title: hostile, xLabel: hostile, yLabel: hostile },
    );
    for (const out of [renderSvg(reportOf(c)), renderHtml({ ...reportOf(c), title: hostile })]) {
      expect(out).not.toContain('<script>');
      expect(out).not.toContain('\u0001');
      expect(out).toContain('&lt;/text&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;&#39;\uFFFD');
      // Every text element still holds exactly one piece of text.
      for (const [, content = ''] of out.matchAll(/<text [^>]*>([^<]*)<\/text>/g)) expect(content).not.toMatch(/[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/);
    }
  });

  it('escapeXml handles all five characters and stray surrogates', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f');
    expect(escapeXml('\uD800x🚀')).toBe('\uFFFDx🚀');
  });
});

/** Point markers drawn: circles, squares and triangles. */
const markers = (svg: string): number => (svg.match(/<circle |<rect x=|<path d=/g) ?? []).length;
/** The SVG up to the legend, whose samples have markers too. */
function plotPart(svg: string): string {
  const legendAt = svg.indexOf('>GPU</text>');
  expect(legendAt).toBeGreaterThan(0);
  return svg.slice(0, legendAt);
}

/** Line vertices and circle centres lie in the plot area. */
function expectMarksInPlot(c: Chart): void {
  const [planned] = planCharts([c]);
  const { left, top, right, bottom } = planned!.layout.plot;
  const svg = plotPart(drawChart(planned!));
  const vertices = [...svg.matchAll(/points="([^"]*)"/g)].flatMap((m) => (m[1] ?? '').split(' ').map((p) => p.split(',').map(Number)));
  const centres = [...svg.matchAll(/<circle cx="([^"]*)" cy="([^"]*)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
  for (const [x, y] of [...vertices, ...centres] as [number, number][]) {
    expect(x).toBeGreaterThanOrEqual(left - 0.01);
    expect(x).toBeLessThanOrEqual(right + 0.01);
    expect(y).toBeGreaterThanOrEqual(top - 0.01);
    expect(y).toBeLessThanOrEqual(bottom + 0.01);
  }
}

describe('odd data', () => {
  it('a series of one point gets a marker and no line', () => {
    const svg = draw(chart([{ name: 'h100', points: [[64, 3]] }]));
    expect(plotPart(svg)).not.toContain('<polyline');
    expect(markers(plotPart(svg))).toBe(1);
  });

  it('equal values (no range) sit mid-axis, on linear and log axes', () => {
    for (const [xLog, yLog] of [
      [false, false],
      [true, true],
    ] as const) {
      const c = chart(
        [
          {
            name: 'h100',
            points: [
              [8, 5],
              [8, 5],
            ],
          },
        ],
        { xLog, yLog },
      );
      const [planned] = planCharts([c]);
      const { x, y } = planned!.layout;
      expect(position(x, 8, 0, 1)).toBeCloseTo(0.5, 6);
      if (!yLog) expect(position(y, 5, 0, 1)).toBeCloseTo(0.5, 6);
      expect(draw(c)).not.toMatch(/NaN|Infinity/);
    }
  });

  it('a log axis over one decade gets 1-2-5 ticks', () => {
    expect(makeAxis('log10', [2, 8]).ticks).toEqual([1, 2, 5, 10]);
    expect(makeAxis('log10', [100, 100]).ticks).toEqual([10, 20, 50, 100, 200, 500, 1000]);
  });

  it('zero and negative values on a log axis are left out; the line joins their neighbours', () => {
    const svg = plotPart(
      draw(
        chart([
          {
            name: 'h100',
            points: [
              [8, 4],
              [16, 0],
              [32, -1],
              [0, 3],
              [64, 1],
            ],
          },
        ]),
      ),
    );
    expect(markers(svg)).toBe(2);
    expect(svg.match(/points="([^"]*)"/)?.[1]?.split(' ')).toHaveLength(2);
  });

  it('a chart with nothing placeable still draws its axes and legend', () => {
    const svg = draw(
      chart([
        { name: 'h100', points: [[8, 0]] },
        { name: 'a100', points: [] },
      ]),
    );
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svg).toContain('>h100</text>');
    expect(svg).toContain('>a100</text>');
  });

  it('a report without charts is refused as before', () => {
    expect(() => renderSvg(reportOf())).toThrow(/draws no chart/);
    expect(() => renderHtml({ ...reportOf(), charts: undefined })).toThrow(/draws no chart/);
  });

  it('any values: no NaN or Infinity, every number at most two decimals, labels inside, markers inside the plot', () => {
    const value = fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: -5, max: 5000 }), fc.constantFrom(0, 1e-320, 1.7e308, -1.7e308));
    const series = fc.array(fc.record({ name: fc.string({ maxLength: 30 }), points: fc.array(fc.tuple(value, value), { maxLength: 6 }) }), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(series, fc.boolean(), fc.boolean(), (s, xLog, yLog) => {
        const c = chart(s, { xLog, yLog });
        const svg = renderSvg(reportOf(c));
        expect(svg).not.toMatch(/NaN|Infinity/);
        expect(svg).not.toMatch(/="-?\d+\.\d{3,}/);
        expectTextInside(svg);
        expectMarksInPlot(c);
      }),
      { numRuns: 150 },
    );
  });
});

describe('axes and ticks', () => {
  it('GPU counts: powers of two, the data ends as the axis ends', () => {
    const axis = makeAxis('log2', [8, 4096]);
    expect(axis.ticks).toEqual([8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]);
    expect([position(axis, 8, 0, 100), position(axis, 4096, 0, 100)]).toEqual([0, 100]);
  });

  it('thins a long log axis to every few powers, and uses round numbers between two powers', () => {
    expect(makeAxis('log2', [1, 2 ** 40]).ticks).toEqual([1, 2 ** 5, 2 ** 10, 2 ** 15, 2 ** 20, 2 ** 25, 2 ** 30, 2 ** 35, 2 ** 40]);
    expect(makeAxis('log2', [12, 24]).ticks).toEqual([12, 14, 16, 18, 20, 22, 24]);
  });

  it('linear axes widen to nice steps', () => {
    expect(makeAxis('linear', [0.3, 9.2]).ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(makeAxis('linear', [0.1, 0.7]).ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  it('tick labels: counts as written, SI suffixes, dollars', () => {
    const svg = renderSvg(comparison);
    const labels = [...svg.matchAll(/fill="#444">([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(['8', '512', '4096', '1', '10', '1k', '$100k', '$1M', '$10M']));
  });

  it('labels get more digits only where fewer would repeat', () => {
    const svg = draw(
      chart(
        [
          {
            name: 'h100',
            points: [
              [1, 10_000],
              [2, 10_300],
            ],
          },
        ],
        { yLog: false, xLog: false },
      ),
    );
    const labels = [...svg.matchAll(/text-anchor="end" fill="#444">([^<]*)</g)].map((m) => m[1]);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain('10.05k');
  });
});

describe('documents', () => {
  it('stacks several charts in one SVG, their plots sharing a left edge', () => {
    const svg = renderSvg(comparison);
    const nested = [...svg.matchAll(/<svg [^>]*x="0" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    expect(nested).toHaveLength(2);
    const [outerHeight] = [Number(/^<svg [^>]*height="([\d.]+)"/.exec(svg)?.[1])];
    const [[, , h0], [y1, , h1]] = nested as [number[], number[]];
    expect(y1).toBeGreaterThan(h0 as number);
    expect(outerHeight).toBeCloseTo((y1 as number) + (h1 as number), 2);
    const axisStarts = [...svg.matchAll(/<g stroke="#888" stroke-width="1"><line x1="([\d.]+)"/g)].map((m) => m[1]);
    expect(new Set(axisStarts).size).toBe(1);
  });

  it('one series colour per GPU, from the palette, in order', () => {
    const svg = renderSvg(comparison);
    for (const colour of PALETTE.slice(0, 3)) expect(svg).toContain(`stroke="${colour}"`);
    expect(svg).not.toContain(`stroke="${PALETTE[3]}"`);
  });

  it('is the same text on every run', () => {
    expect(renderSvg(comparison)).toBe(renderSvg(comparison));
    expect(renderHtml(comparison)).toContain('<figure><svg');
  });
});

// Issue 19, item 6: --plot FILE writes the picture (SVG or HTML by extension) beside the terminal's
// ASCII version, on compare, plan (the search's frontier) and backtest (predicted against published).
describe('--plot FILE on compare, plan and backtest', () => {
  const inScratch = async (args: string[]) => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpucost-plot-'));
    const io = memoryIo({ env: { NO_COLOR: '1' }, today: TEST_TODAY, cwd });
    const code = await run(args, io);
    return { code, out: io.out, err: io.err, file: (name: string) => readFileSync(join(cwd, name), 'utf8'), cwd };
  };

  it('compare --plot chart.svg: the chart in the terminal and in the file, every label inside it', async () => {
    const r = await inScratch(['compare', '--gpu', 'a100,h100', '--gpus', '8..1024', '--price', '2', '--plot', 'chart.svg']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Time to train: days \(log scale\)/);
    const svg = r.file('chart.svg');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('Time to train');
    expectTextInside(svg);
  });

  it('plan --plot plan.html: time and cost against GPUs per GPU type, the deadline, and the plan marked', async () => {
    const r = await inScratch([
      'plan',
      '--model',
      'llama3-8b',
      '--tokens',
      '2T',
      '--gpu',
      'a100,h100',
      '--deadline',
      '30d',
      '--price',
      '2',
      '--plot',
      'plan.html',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Time to train against GPUs: days/);
    const html = r.file('plan.html');
    for (const label of ['Time to train against GPUs', 'Cost against GPUs', 'deadline', 'a100-sxm4-80gb', 'h100-sxm', 'plan']) expect(html).toContain(label);
    expectTextInside(html);
  });

  it('plan --format svg draws the same frontier without --plot', async () => {
    const r = await inScratch(['plan', '--deadline', '30d', '--format', 'svg']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^<svg/);
    expectTextInside(r.out);
  });

  it('backtest --plot bt.svg: runs on log-log axes with the y = x line; the error band in the picture, not in the terminal', async () => {
    const r = await inScratch(['backtest', '--plot', 'bt.svg']);
    expect(r.code, r.err).toBe(0);
    const svg = r.file('bt.svg');
    for (const label of ['Predicted against published GPU-hours', 'fit runs', 'holdout runs', 'predicted = published', 'range low', 'range high'])
      expect(svg).toContain(label);
    expectTextInside(svg);
    expect(r.out).toContain('predicted = published');
    expect(r.out).not.toContain('range low');
  });

  it('--plot with a file that is neither .svg nor .html is refused before any work, nothing written', async () => {
    const r = await inScratch(['compare', '--plot', 'chart.png']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--plot chart\.png: the chart file must end in \.svg or \.html/);
    expect(readdirSync(r.cwd)).toEqual([]);
  });
});
