// The folder layout is the design: these rules keep the dependency direction honest.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
}

const all = files(src).map((f) => ({ file: relative(src, f), imports: imports(f) }));

describe('architecture', () => {
  it('src/core is pure: no node:, chalk, yaml, zod, commander, nor anything outside core', () => {
    for (const { file, imports: list } of all.filter((f) => f.file.startsWith('core/'))) {
      for (const i of list) {
        expect(i.startsWith('./') || i.startsWith('../core/'), `${file} imports ${i}`).toBe(true);
      }
    }
  });

  it('only report/render/table.ts imports chalk and cli-table3', () => {
    for (const { file, imports: list } of all) {
      if (file === 'report/render/table.ts') continue;
      expect(list.filter((i) => i === 'chalk' || i === 'cli-table3'), file).toEqual([]);
    }
  });

  it('report and presets never import the CLI', () => {
    for (const { file, imports: list } of all.filter((f) => /^(report|presets|resolve|core)\//.test(f.file))) {
      expect(list.filter((i) => i.includes('/cli/')), file).toEqual([]);
    }
  });

  it('zod and yaml are imported only by modules the CLI loads lazily', () => {
    const allowed = new Set(['presets/schema.ts', 'presets/load.ts', 'presets/json-schema.ts', 'report/render/yaml.ts']);
    for (const { file, imports: list } of all) {
      if (allowed.has(file)) continue;
      expect(list.filter((i) => i === 'zod' || i === 'yaml'), file).toEqual([]);
    }
  });

  it('the default CLI path reaches neither zod nor yaml through static imports', () => {
    // Follow value imports (not `import type`, not dynamic import()) from the CLI entry.
    const seen = new Set<string>();
    const reached: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(src, file), 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1] ?? '';
        if (!spec.startsWith('.')) {
          reached.push(`${file} → ${spec}`);
          continue;
        }
        if (spec.endsWith('.json')) continue;
        visit(relative(src, join(src, file, '..', spec.replace(/\.js$/, '.ts'))));
      }
    };
    visit('cli/node-main.ts');
    expect(reached.filter((r) => /→ (zod|yaml)$/.test(r))).toEqual([]);
    expect(seen.has('presets/load.ts')).toBe(false);
  });

  it('bin/gpucost.js is a small shim', () => {
    const shim = readFileSync(join(src, '..', 'bin', 'gpucost.js'), 'utf8').trim().split('\n');
    expect(shim.length).toBeLessThanOrEqual(3);
  });
});
