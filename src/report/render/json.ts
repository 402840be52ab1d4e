import type { Report } from '../model.js';

/** The JSON contract. Non-finite numbers (which JSON cannot carry) become null. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report.json, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
