// Rules of the code base that a dependency graph cannot express. The import rules between layers
// (which folder may import which, where chalk, zod and yaml may be imported, what the CLI's default
// path loads) are dependency-cruiser's: .dependency-cruiser.cjs and .dependency-cruiser-startup.cjs,
// run by `npm run lint:deps`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('architecture', () => {
  it('no Intl number formatting (its first call costs tens of milliseconds): core/grouping.ts instead', () => {
    for (const f of files(src)) {
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(/toLocaleString|Intl\.NumberFormat/.test(code), relative(src, f)).toBe(false);
    }
  });

  it('bin/gpucost.js is a small shim', () => {
    const shim = readFileSync(join(src, '..', 'bin', 'gpucost.js'), 'utf8')
      .trim()
      .split('\n');
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
  const cliFile = join(root, 'dist', 'cli.cjs');

  /** Runs the bundled CLI in a fresh process; returns the files it required. */
  function loaded(args: string[]): { files: string[]; status: number | null } {
    const script = `
      process.argv = [process.argv[0], 'gpucost', ...${JSON.stringify(args)}];
      require(${JSON.stringify(cliFile)}).main().then(() => {
        require('node:fs').writeSync(2, JSON.stringify({ files: Object.keys(require.cache) }));
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    const json = JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('{"files"'))) as { files: string[] };
    return { ...json, status: r.status };
  }

  it.each([[['estimate']], [['estimate', '--format', 'json']], [['compare']], [['compare', '--format', 'csv']], [['--version']]])(
    '%j loads only the bundle: neither zod nor yaml',
    (args) => {
      const { files, status } = loaded(args);
      expect(status).toBe(0);
      // The bundle and three JSON files beside it (the preset catalog, the best measured MFU per GPU, package.json):
      // not the throughput set, nothing from node_modules.
      const loadedFiles = files.map((f) => relative(root, f).replaceAll('\\', '/'));
      expect(loadedFiles[0]).toBe('dist/cli.cjs');
      expect(loadedFiles.filter((f) => !/^dist\/(catalog|best-mfu|package)-\w+\.json$/.test(f))).toEqual(['dist/cli.cjs']);
    },
  );

  it('a run file does load yaml and zod, from node_modules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-arch-'));
    writeFileSync(join(dir, 'plan.yaml'), 'model: gpt3-13b\ngpu: h100\ngpus: 64\n');
    const { files, status } = loaded(['estimate', '--config', join(dir, 'plan.yaml'), '--format', 'json']);
    expect(status).toBe(0);
    const packages = new Set(
      files.map((f) => relative(root, f).replaceAll('\\', '/')).map((f) => (f.startsWith('node_modules/') ? f.split('/')[1] : f.split('/')[0])),
    );
    expect([...packages].sort()).toEqual(['dist', 'yaml', 'zod']);
  });
});
