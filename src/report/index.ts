/** Renderer registry. Each renderer is loaded only when its format is asked for. */
import type { Report } from './model.js';
import type { RenderOptions } from './render/options.js';
import { escapeControlsDeep, escapeJsonControls } from './safe-text.js';

export const FORMATS = ['table', 'json', 'csv', 'markdown', 'yaml', 'svg', 'html', 'brief'] as const;
export type Format = (typeof FORMATS)[number];
/** Accepted spellings beside the canonical names. */
export const FORMAT_ALIASES: Record<string, Format> = { md: 'markdown', yml: 'yaml', text: 'table' };

type Renderer = (report: Report, options: RenderOptions) => string | Promise<string>;

const loaders: Record<Format, () => Promise<Renderer>> = {
  table: async () => {
    const { renderTable } = await import('./render/table.js');
    return async (report, options) => {
      const text = renderTable(report, options);
      if (!report.charts?.length) return text;
      const { renderTextCharts } = await import('./render/chart-text.js');
      return `${text}\n${renderTextCharts(report.charts, { color: options.color, width: options.width ?? 100, fit: options.fit === true })}`.trimEnd() + '\n';
    };
  },
  json: async () => (await import('./render/json.js')).renderJson,
  csv: async () => (await import('./render/csv.js')).renderCsv,
  markdown: async () => (await import('./render/markdown.js')).renderMarkdown,
  yaml: async () => (await import('./render/yaml.js')).renderYaml,
  svg: async () => (await import('./render/chart-svg.js')).renderSvg,
  html: async () => (await import('./render/chart-svg.js')).renderHtml,
  brief: async () => (await import('./render/brief.js')).renderBrief,
};

/**
 * Every format gets text from presets and configs with its control characters escaped: JSON losslessly
 * (\u escapes parse back to the same string), the others as visible escapes in the data they show.
 */
export async function render(report: Report, format: Format, options: RenderOptions): Promise<string> {
  const renderer = await loaders[format]();
  if (format === 'json') return escapeJsonControls(await renderer(report, options));
  // Only YAML prints report.json; the other formats need not walk it (every compare row's record).
  if (format !== 'yaml') return renderer({ ...escapeControlsDeep({ ...report, json: null }), json: report.json }, options);
  return renderer(escapeControlsDeep(report), options);
}
