/** Adds gate results to a report: a table for people, a `gates` array in JSON, lines for stderr. */
import { RANGE_END_PHRASE } from '../core/enums.js';
import type { GateResult } from '../resolve/gates.js';
import { formatNumber, formatUsd } from './format.js';
import { type Report } from './model.js';

function show(name: GateResult['name'], value: number): string {
  if (name === 'max-cost') return formatUsd(value);
  if (name === 'max-days') return `${formatNumber(value)} days`;
  if (name === 'fail-if-oom') return `${formatNumber(value, 3)} GB per GPU`;
  if (name === 'fail-if-infeasible') return `${value} error-level check(s)`;
  return `${formatNumber(value)} GPU-hours`;
}

export function withGates(report: Report, gates: GateResult[]): Report {
  if (gates.length === 0) return report;
  return {
    ...report,
    json: { ...report.json, gates },
    tables: [
      ...report.tables,
      {
        title: 'Gates',
        columns: [
          { key: 'gate', label: 'gate', kind: 'text' },
          { key: 'row', label: 'configuration', kind: 'text' },
          { key: 'limit', label: 'limit', kind: 'text' },
          { key: 'actual', label: 'actual', kind: 'text' },
          { key: 'result', label: 'result', kind: 'text' },
        ],
        rows: gates.map((g) => ({
          gate: `--${g.name}`,
          row: `${g.gpus} × ${g.gpu}`,
          limit: show(g.name, g.limit),
          actual: `${show(g.name, g.actual)}${g.at === 'high' ? ' (slow end)' : ''}`,
          result: g.passed ? 'pass' : 'FAIL',
        })),
      },
    ],
  };
}

/** One line per violated gate, for stderr. */
export function gateFailureLines(gates: GateResult[]): string[] {
  return gates
    .filter((g) => !g.passed)
    .map((g) =>
      g.name === 'fail-if-oom'
        ? `gpucost: gate failed: --fail-if-oom: ${g.gpus} × ${g.gpu} needs ${show(g.name, g.actual)}, a GPU has ${show(g.name, g.limit)}`
        : g.name === 'fail-if-infeasible'
          ? `gpucost: gate failed: --fail-if-infeasible: ${g.gpus} × ${g.gpu}: ${(g.codes ?? []).join(', ')}`
          : `gpucost: gate failed: --${g.name} ${show(g.name, g.limit)}: ${g.gpus} × ${g.gpu} needs ${show(g.name, g.actual)}${RANGE_END_PHRASE[g.at ?? 'mid']}`,
    );
}
