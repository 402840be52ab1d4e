// The catalogue of warning codes is a contract: docs/warnings.md must list exactly its codes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WARNING_CATALOGUE, warning } from '../src/core/warnings.js';

const docs = readFileSync(join(import.meta.dirname, '..', 'docs', 'warnings.md'), 'utf8');
/** [code, severity] of each row of the table in docs/warnings.md. */
const documented = [...docs.matchAll(/^\| `([^`]+)` \| (\w+) \|/gm)].map((m) => [m[1] ?? '', m[2] ?? ''] as const);
const catalogue = Object.entries(WARNING_CATALOGUE);

describe('the warning catalogue', () => {
  it('codes are UPPER_SNAKE and each description is one line', () => {
    for (const [code, { description }] of catalogue) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(description).not.toMatch(/\n/);
      expect(description.length).toBeGreaterThan(10);
    }
  });

  it('docs/warnings.md lists every code once, and no other', () => {
    const codes = documented.map(([code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(catalogue.map(([code]) => code).sort());
  });

  it('docs/warnings.md gives each code the severity of the catalogue', () => {
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(catalogue.map(([code, { severity }]) => [code, severity])));
  });

  it('a warning takes its severity from its code, and has detail only when given some', () => {
    expect(warning('OOM', 'm')).toEqual({ code: 'OOM', severity: 'error', message: 'm' });
    expect(warning('BATCH_ROUNDED', 'm', { toBatch: 2 })).toEqual({ code: 'BATCH_ROUNDED', severity: 'info', message: 'm', detail: { toBatch: 2 } });
  });
});
