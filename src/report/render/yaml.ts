import { stringify } from 'yaml';
import type { Report } from '../model.js';

/** The JSON contract as YAML (same keys and values). */
export function renderYaml(report: Report): string {
  return stringify(JSON.parse(JSON.stringify(report.json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))), {
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
}
