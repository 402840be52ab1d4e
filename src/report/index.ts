/** Renderer registry. Each renderer is loaded only when its format is asked for. */
import type { Report } from './model.js';
import type { RenderOptions } from './render/options.js';

export const FORMATS = ['table', 'json', 'csv', 'markdown', 'yaml'] as const;
export type Format = (typeof FORMATS)[number];
/** Accepted spellings beside the canonical names. */
export const FORMAT_ALIASES: Record<string, Format> = { md: 'markdown', yml: 'yaml', text: 'table' };

type Renderer = (report: Report, options: RenderOptions) => string;

const loaders: Record<Format, () => Promise<Renderer>> = {
  table: async () => (await import('./render/table.js')).renderTable,
  json: async () => (await import('./render/json.js')).renderJson,
  csv: async () => (await import('./render/csv.js')).renderCsv,
  markdown: async () => (await import('./render/markdown.js')).renderMarkdown,
  yaml: async () => (await import('./render/yaml.js')).renderYaml,
};

export async function render(report: Report, format: Format, options: RenderOptions): Promise<string> {
  return (await loaders[format]())(report, options);
}
