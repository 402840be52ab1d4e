import { GpucostError } from '../../errors.js';
import type { Report } from '../model.js';

/** The report's one-line answers (--brief); a command without them says so rather than print nothing. */
export function renderBrief(report: Report): string {
  if (!report.brief) throw new GpucostError('E_USAGE', 'this command has no brief form', 'use --format table, or --brief with estimate, compare or plan');
  return report.brief.map((line) => `${line}\n`).join('');
}
