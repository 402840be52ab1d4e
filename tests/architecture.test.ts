// The folder layout is the design: these rules keep the dependency direction honest.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

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
  it('no Intl number formatting (its first call costs tens of milliseconds): core/grouping.ts instead', () => {
    for (const f of files(src)) {
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(/toLocaleString|Intl\.NumberFormat/.test(code), relative(src, f)).toBe(false);
    }
  });

  it('src/core is pure: no node:, chalk, yaml, zod, commander, nor anything outside core', () => {
    for (const { file, imports: list } of all.filter((f) => f.file.startsWith('core/'))) {
      for (const i of list) {
        expect(i.startsWith('./') || i.startsWith('../core/'), `${file} imports ${i}`).toBe(true);
      }
    }
  });

  it('only report/render/table.ts imports chalk and cli-table3', () => {
    for (const { file, imports: list } of all) {
      if (file === 'report/render/table.ts') {
        expect(list).toEqual(expect.arrayContaining(['chalk', 'cli-table3']));
        continue;
      }
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

  it('bin/ is CommonJS although the package is ES modules (a .js entry starts faster as CommonJS)', () => {
    const binPackage = JSON.parse(readFileSync(join(src, '..', 'bin', 'package.json'), 'utf8')) as { type?: string };
    expect(binPackage.type).toBe('commonjs');
    const pkg = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin.gpucost).toBe('./bin/gpucost.js');
  });
});

describe('the built CLI (npm test builds it first)', () => {
  const root = join(src, '..');
  const cliFile = join(root, 'dist', 'cli', 'gpucost.cjs');

  /** Runs the bundled CLI in a fresh process; returns the files it required and the Node internals it loaded. */
  function loaded(args: string[]): { files: string[]; natives: string[]; status: number | null } {
    const script = `
      const before = new Set(process.moduleLoadList);
      process.argv = [process.argv[0], 'gpucost', ...${JSON.stringify(args)}];
      require(${JSON.stringify(cliFile)}).main().then(() => {
        const natives = process.moduleLoadList.filter((m) => !before.has(m));
        require('node:fs').writeSync(2, JSON.stringify({ files: Object.keys(require.cache), natives }));
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    const json = JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('{"files"'))) as { files: string[]; natives: string[] };
    return { ...json, status: r.status };
  }

  it.each([
    [['estimate']],
    [['estimate', '--format', 'json']],
    [['compare']],
    [['compare', '--format', 'csv']],
    [['--version']],
  ])('%j loads only the main file (through its loader) and none of zod, yaml, vega, tty, net, streams or child_process', (args) => {
    const { files, natives, status } = loaded(args);
    expect(status).toBe(0);
    expect(files.map((f) => relative(root, f))).toEqual([join('dist', 'cli', 'gpucost.cjs')]);
    expect(natives.filter((m) => /\b(tty|net|stream|child_process|zlib|http)\b/.test(m))).toEqual([]);
  });

  it.each(['table', 'data'])('the %s code cache made at build time is accepted by this Node.js, and a damaged one is only ignored', (kind) => {
    const script = `
      const { load } = require(${JSON.stringify(cliFile)});
      const { script } = load(${JSON.stringify(kind)});
      process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected }));`;
    const ok = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(ok.stdout)).toEqual({ rejected: false });
    // A copy of what an estimate loads (the loader, the main file and its caches, the preset data;
    // the test above checks it loads nothing else) with the cache overwritten by noise still runs,
    // compiling as usual.
    const copy = mkdtempSync(join(tmpdir(), 'gpucost-cache-'));
    try {
      const cli = join(root, 'dist', 'cli');
      for (const f of readdirSync(cli).filter((f) => f === 'gpucost.cjs' || f.startsWith('main-'))) cpSync(join(cli, f), join(copy, 'cli', f));
      cpSync(join(root, 'dist', 'data'), join(copy, 'data'), { recursive: true });
      const cache = readdirSync(join(copy, 'cli')).find((f) => f.endsWith(`.${kind}.cache`));
      expect(cache).toBeDefined();
      writeFileSync(join(copy, 'cli', cache as string), Buffer.alloc(4096, 7));
      const args = kind === 'data' ? ['estimate', '--format', 'json'] : ['estimate'];
      const run = `process.argv = [process.argv[0], 'gpucost', ...${JSON.stringify(args)}]; require(${JSON.stringify(join(copy, 'cli', 'gpucost.cjs'))}).main();`;
      const r = spawnSync(process.execPath, ['-e', run], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(kind === 'data' ? /"schemaVersion": 2/ : /Wall-clock/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('the loader takes the data cache for JSON, CSV and the other data formats, however the flag is spelled, else the table one', async () => {
    const { cacheKind } = (await import(cliFile)) as { cacheKind: (argv: string[]) => string };
    const kind = (...args: string[]) => cacheKind(['node', 'gpucost', ...args]);
    expect(kind('estimate')).toBe('table');
    expect(kind('compare', '--gpus', '8,16')).toBe('table');
    expect(kind('estimate', '--format', 'table')).toBe('table');
    expect(kind('estimate', '--format', 'json')).toBe('data');
    expect(kind('compare', '-f', 'csv')).toBe('data');
    expect(kind('compare', '--format=yaml')).toBe('data');
    expect(kind('compare', '-fmarkdown')).toBe('data');
    expect(kind('estimate', '--format')).toBe('table');
  });

  it('a run file does load yaml and zod, from dist/cli/vendor/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-arch-'));
    writeFileSync(join(dir, 'plan.yaml'), 'model: gpt3-13b\ngpu: h100\ngpus: 64\n');
    const { files, status } = loaded(['estimate', '--config', join(dir, 'plan.yaml'), '--format', 'json']);
    expect(status).toBe(0);
    expect(files.map((f) => relative(root, f).replaceAll('\\', '/')).sort()).toEqual([
      'dist/cli/gpucost.cjs',
      'dist/cli/lazy/presets-load.cjs',
      'dist/cli/lazy/presets-schema.cjs',
      'dist/cli/vendor/yaml.cjs',
      'dist/cli/vendor/zod.cjs',
    ]);
  });
});

describe('errors are recognised across module copies', () => {
  it('instanceof checks the brand, so a copy of errors.ts in a lazily loaded bundle still matches', async () => {
    const { GpucostError, PresetError } = await import('../src/errors.js');
    // A second, independent copy of the module, as a separately bundled chunk would have.
    vi.resetModules();
    const copy = await import('../src/errors.js');
    expect(copy.GpucostError).not.toBe(GpucostError);
    const preset = new copy.PresetError([{ file: 'f', line: 1, col: 1, field: '', message: 'm', severity: 'error' }]);
    expect(preset instanceof PresetError).toBe(true);
    expect(preset instanceof GpucostError).toBe(true);
    expect(new copy.GpucostError('E_INPUT', 'x') instanceof PresetError).toBe(false);
    expect(new Error('x') instanceof GpucostError).toBe(false);
    expect(preset instanceof Error).toBe(true);
  });
});
