/**
 * Writes docs/layout-ranking.md: the Ultra-Scale Playbook's whole layout sweep
 * (presets/throughput/ultrascale-playbook-sweep.csv) beside gpucost's step-time and memory models.
 * Usage: npm run validate:sweep
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { builtinRegistry } from '../src/presets/builtin.js';
import { builtinThroughputSets } from '../src/presets/builtin-throughput.js';
import { renderMarkdown } from '../src/report/render/markdown.js';
import { sweepReportOf } from '../src/report/sweep.js';

export const SWEEP_FILE = 'presets/throughput/ultrascale-playbook-sweep.csv';
const set = builtinThroughputSets().find((s) => s.id === 'ultrascale-playbook');
if (!set) throw new Error('the ultrascale-playbook throughput set is missing');
const report = sweepReportOf(readFileSync(SWEEP_FILE, 'utf8'), SWEEP_FILE, set, builtinRegistry());
writeFileSync('docs/layout-ranking.md', renderMarkdown(report));
