#!/usr/bin/env node
// Build: (1) validate the bundled presets and compile them to JSON data files (dist/data/), (2) bundle
// the CLI as CommonJS (dist/cli/), (3) bundle the library entry as ES modules (dist/lib/).
//
// The CLI is CommonJS because Node 20 starts a CommonJS file measurably faster than an ES module (an
// empty .mjs costs ~5-7% over `node -e 0`, an empty .cjs nothing). It is one file holding gpucost's
// own code and commander; modules the source loads with import() run on first use, and the large
// third-party packages they need (zod, yaml, vega, simple-ascii-chart) are separate files under
// dist/cli/vendor/, required only then. docs/benchmarks.md has the measurements behind this.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, 'node_modules', '.cache', 'gpucost');
const dist = join(root, 'dist');
const generated = join(root, 'src/presets/generated');

async function runTs(entry, exportName, ...args) {
  const outfile = join(tmp, `${exportName}.mjs`);
  await build({ entryPoints: [join(root, entry)], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  const mod = await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
  return mod[exportName](...args);
}

/** The bundles read the preset data files from dist/data/ (src/presets/builtin-data.ts reads ./generated/). */
function presetData(format, toData = '../data') {
  const body =
    format === 'cjs'
      ? `import{readFileSync}from'node:fs';import{join}from'node:path';export function readPresetData(n){return readFileSync(join(__dirname,${JSON.stringify(toData)},n),'utf8')}`
      : `import{readFileSync}from'node:fs';export function readPresetData(n){return readFileSync(new URL(${JSON.stringify(`${toData}/`)}+n,import.meta.url),'utf8')}`;
  return {
    name: 'preset-data',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]presets[\\/]builtin-data\.ts$/ }, () => ({ contents: body, loader: 'js' }));
    },
  };
}

/**
 * commander requires node:child_process at load time, for subcommands that are separate executables
 * (which gpucost has none of); loading it costs `net`, `dgram` and the streams, several milliseconds.
 * Give commander a child_process that loads the real one only if it is ever called.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "module.exports={spawn:(...a)=>require('node:child_process').spawn(...a)};",
      loader: 'js',
    }));
  },
};

/**
 * commander's help formatter (lib/help.js) is needed only for --help and usage errors: the bundle
 * gets a stand-in that loads it, from dist/cli/vendor/commander-help.cjs, on first use.
 */
const lazyCommanderHelp = {
  name: 'lazy-commander-help',
  setup(b) {
    b.onResolve({ filter: /help\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) && !args.pluginData?.real
        ? { path: 'commander-help', namespace: 'lazy-commander-help' }
        : undefined,
    );
    b.onResolve({ filter: /^\.\/vendor\/commander-help\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-commander-help' }, () => ({
      contents:
        "let real;const load=()=>real??=require('./vendor/commander-help.cjs');" +
        'function Help(){return new(load().Help)()}' +
        'module.exports={Help,stripColor:(s)=>load().stripColor(s)};',
      loader: 'js',
    }));
  },
};

/**
 * cli-table3 measures text with the `string-width` package, whose emoji regular expression takes
 * longer to compile than the rest of an estimate takes to run. The bundle gives it
 * src/report/render/string-width.ts instead: the same widths for what gpucost prints (checked
 * against the package in tests/report/string-width.test.ts), without the regular expression.
 */
const lightStringWidth = {
  name: 'light-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      /[\\/]node_modules[\\/]cli-table3[\\/]/.test(args.importer) ? { path: 'string-width', namespace: 'light-string-width' } : undefined,
    );
    // cli-table3 calls require('string-width') as a function: hand it the module's default export.
    b.onLoad({ filter: /.*/, namespace: 'light-string-width' }, () => ({
      contents: `module.exports = require(${JSON.stringify(join(root, 'src/report/render/string-width.ts'))}).default;`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * cli-table3 merges its options into every cell through two helpers that allocate on each call: a
 * rest-argument array filtered into another (`firstDefined`), and a split, capitalise and join of
 * each of the 16 border-character names (`setOption`). A table of 80 cells allocates about 0.6 MB
 * there, which costs a garbage collection at start-up. The bundle replaces the two helpers with ones
 * that return the same values without allocating (names converted once). The build stops if
 * cli-table3's text no longer matches, and tests/e2e/bin.test.ts compares the bundle's tables with
 * the source's, cell for cell.
 */
const CLI_TABLE3_CELL_HELPERS = [
  [
    `function firstDefined(...args) {
  return args.filter((v) => v !== undefined && v !== null).shift();
}`,
    `function firstDefined(a, b, c, d) {
  return a != null ? a : b != null ? b : c != null ? c : d != null ? d : undefined;
}`,
  ],
  [
    `function setOption(objA, objB, nameB, targetObj) {
  let nameA = nameB.split('-');
  if (nameA.length > 1) {
    nameA[1] = nameA[1].charAt(0).toUpperCase() + nameA[1].substr(1);
    nameA = nameA.join('');
    targetObj[nameA] = firstDefined(objA[nameA], objA[nameB], objB[nameA], objB[nameB]);
  } else {
    targetObj[nameB] = firstDefined(objA[nameB], objB[nameB]);
  }
}`,
    `const camelNames = new Map();
function setOption(objA, objB, nameB, targetObj) {
  let nameA = camelNames.get(nameB);
  if (nameA === undefined) {
    const parts = nameB.split('-');
    nameA = parts.length > 1 ? parts[0] + parts[1].charAt(0).toUpperCase() + parts[1].substr(1) + parts.slice(2).join('') : '';
    camelNames.set(nameB, nameA);
  }
  if (nameA !== '') {
    targetObj[nameA] = firstDefined(objA[nameA], objA[nameB], objB[nameA], objB[nameB]);
  } else {
    targetObj[nameB] = firstDefined(objA[nameB], objB[nameB]);
  }
}`,
  ],
];
/**
 * cli-table3 lays out every table with a general algorithm for row and column spans that checks each
 * cell against every cell of the rows above it (`conflictExists`): about 10,000 calls for the
 * estimate table, enough for V8 to compile the checker with its optimising compiler near the end of
 * the run, which the process then waits for. gpucost's tables never span. When every row is as long
 * as the first and every cell spans one row and one column, the general algorithm gives each cell its
 * row and column index and adds nothing; the bundle does just that, and keeps the general path for
 * every other table. tests/e2e/bin.test.ts compares the bundle's tables with the source's.
 */
const CLI_TABLE3_LAYOUT = [
  [
    `  function makeTableLayout(rows) {
    let cellRows = generateCells(rows);
    layoutTable(cellRows);`,
    `  function layoutPlainGrid(cellRows) {
    const width = cellRows.length > 0 ? cellRows[0].length : 0;
    for (let y = 0; y < cellRows.length; y++) {
      const row = cellRows[y];
      if (row.length !== width) return false;
      for (let x = 0; x < width; x++) if (row[x].rowSpan !== 1 || row[x].colSpan !== 1) return false;
    }
    for (let y = 0; y < cellRows.length; y++) {
      const row = cellRows[y];
      for (let x = 0; x < width; x++) {
        row[x].y = y;
        row[x].x = x;
      }
    }
    return true;
  }

  function makeTableLayout(rows) {
    let cellRows = generateCells(rows);
    if (layoutPlainGrid(cellRows)) return cellRows;
    layoutTable(cellRows);`,
  ],
];

/**
 * cli-table3 measures text with `strlen`: strip colour codes with a regular expression, split into
 * lines, and measure each line twice inside a reduce callback. It is called several times per cell,
 * so in larger tables (reproduce, backtest, an estimate with warnings) V8 compiled it with its
 * optimising compiler, which the process then waited for at exit. The bundle's string-width (ours,
 * src/report/render/string-width.ts) already skips escape sequences, colour codes included, and
 * caches its answers, so this `strlen` measures each line once with it: the same widths.
 */
const CLI_TABLE3_UTILS = [
  [
    `function strlen(str) {
  let code = codeRegex();
  let stripped = ('' + str).replace(code, '');
  let split = stripped.split('\\n');
  return split.reduce(function (memo, s) {
    return stringWidth(s) > memo ? stringWidth(s) : memo;
  }, 0);
}`,
    `function strlen(str) {
  const text = '' + str;
  if (text.indexOf('\\n') === -1) return stringWidth(text);
  let widest = 0;
  for (const line of text.split('\\n')) widest = Math.max(widest, stringWidth(line));
  return widest;
}`,
  ],
];

/** The replacements above, by cli-table3 source file. */
const CLI_TABLE3_PATCHES = { 'cell.js': CLI_TABLE3_CELL_HELPERS, 'layout-manager.js': CLI_TABLE3_LAYOUT, 'utils.js': CLI_TABLE3_UTILS };
const lightTableCells = {
  name: 'light-table-cells',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]cli-table3[\\/]src[\\/](cell|layout-manager|utils)\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const [from, to] of CLI_TABLE3_PATCHES[basename(args.path)]) {
        if (!text.includes(from)) throw new Error(`cli-table3 changed: ${args.path} no longer has ${from.split('\n')[0]}; review light-table-cells in scripts/build.mjs`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

/**
 * cli-table3 colours borders and headers with @colors/colors, which it requires (inside a try, with
 * uncoloured text as the fallback) only when the table's style lists colours. gpucost colours with
 * chalk and always passes empty style lists, so the bundle leaves @colors/colors out (8.7 kB read
 * and deserialised on every run): a module that throws, which sends cli-table3 to its fallback.
 */
const withoutColorsPackage = {
  name: 'without-colors-package',
  setup(b) {
    b.onResolve({ filter: /^@colors\/colors(\/safe)?$/ }, (args) =>
      /[\\/]node_modules[\\/]cli-table3[\\/]/.test(args.importer) ? { path: 'colors', namespace: 'without-colors-package' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'without-colors-package' }, () => ({
      contents: "throw new Error('@colors/colors is left out of the gpucost bundle (scripts/build.mjs)');",
      loader: 'js',
    }));
  },
};

/**
 * chalk detects colour support at load time (its supports-color reads the terminal through
 * node:tty, which pulls in net and the streams). gpucost decides colour itself and gives chalk an
 * explicit level, so the bundle uses chalk's own browser build of that module, which loads nothing.
 */
const chalkWithoutDetection = {
  name: 'chalk-without-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, (args) =>
      /[\\/]node_modules[\\/]chalk[\\/]/.test(args.importer) ? { path: join(root, 'node_modules/chalk/source/vendor/supports-color/browser.js') } : undefined,
    );
  },
};

const common = { bundle: true, platform: 'node', target: 'node20', minify: true, logLevel: 'warning', legalComments: 'linked' };
// import() of a file left out of a bundle becomes require(): the loader compiles the main file with vm.Script,
// which has no import() of its own, and CommonJS needs none.
const cjs = { ...common, format: 'cjs', outExtension: { '.js': '.cjs' }, sourcemap: 'linked', supported: { 'dynamic-import': false } };

/**
 * Third-party packages that only some commands need. The CLI bundle leaves them out and `require`s
 * prebuilt copies from dist/cli/vendor/ where they are used, so the default path neither reads nor
 * compiles them. They share no state with gpucost's own code (no classes gpucost checks with
 * instanceof), so bundling each on its own duplicates nothing that matters.
 */
const VENDOR = ['zod', 'yaml', 'simple-ascii-chart'];

/** `import('zod')` and the like become `require('<toVendor>/zod.cjs')`. */
function vendorExternal(toVendor) {
  return {
    name: 'vendor-external',
    setup(b) {
      const filter = new RegExp(`^(${VENDOR.map((v) => v.replace(/[-/]/g, '\\$&')).join('|')})$`);
      b.onResolve({ filter }, (args) => ({ path: `${toVendor}/${args.path}.cjs`, external: true }));
    },
  };
}

/**
 * Modules the source loads with import() that are not needed by the commands people run most go
 * to files of their own under dist/cli/lazy/, so the main file (read, and deserialised from the
 * code cache, on every run) stays small. Each lazy file is its own bundle: modules it shares with
 * the main file are copies there, which is why errors.ts recognises its errors by a brand rather
 * than by class identity. The table, JSON and CSV renderers stay in the main file.
 */
const KEEP_IN_MAIN = new Set(['src/report/render/table.ts', 'src/report/render/json.ts', 'src/report/render/csv.ts']);
const lazyName = (file) => file.replace(/^src\//, '').replace(/\.ts$/, '').replaceAll('/', '-');

function lazyExternal(staticFiles, toLazy, found, self) {
  return {
    name: 'lazy-external',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData?.lazy) return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { lazy: true } });
        const file = relative(root, resolved.path).replaceAll('\\', '/');
        // In a lazy file, a static import of another lazy module refers to that module's file too.
        const shared = self !== undefined && file !== self && found.has(file);
        if (args.kind !== 'dynamic-import' && !shared) return undefined;
        if (!file.startsWith('src/') || staticFiles.has(file) || KEEP_IN_MAIN.has(file)) return undefined;
        found.add(file);
        return { path: `${toLazy}/${lazyName(file)}.cjs`, external: true };
      });
    },
  };
}

/** Source files reachable from `entry` through static imports only (esbuild's metafile of a dry run). */
async function staticClosure(entry, plugins) {
  const { metafile } = await build({ ...cjs, entryPoints: [entry], write: false, outdir: join(tmp, 'dry'), metafile: true, plugins });
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file) || !metafile.inputs[file]) return;
    seen.add(file);
    for (const i of metafile.inputs[file].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(relative(root, entry).replaceAll('\\', '/'));
  return seen;
}

/** What the loader (scripts/cli-loader.cjs) expects the main file to start with. */
const MODULE_HEAD = '(function (exports, require, module, __filename, __dirname) {';

async function buildCli() {
  const outdir = join(dist, 'cli');
  // One CommonJS file with all of gpucost's own code and commander: every module that the source
  // imports with import() runs (and requires its vendor package) on first use. The content hash in
  // its name ties it to its code cache.
  const entry = join(root, 'src/cli/node-main.ts');
  const basePlugins = [presetData('cjs'), vendorExternal('./vendor'), lazyChildProcess, lazyCommanderHelp, lightStringWidth, lightTableCells, withoutColorsPackage, chalkWithoutDetection];
  const staticFiles = await staticClosure(entry, basePlugins);
  const lazy = new Set();
  const result = await build({
    ...cjs,
    entryPoints: { main: entry },
    entryNames: '[name]-[hash]',
    outdir,
    metafile: true,
    plugins: [...basePlugins, lazyExternal(staticFiles, './lazy', lazy)],
  });
  // Each lazy module, and the lazy modules those import in turn.
  const built = new Set();
  while (built.size < lazy.size) {
    const batch = [...lazy].filter((f) => !built.has(f));
    await Promise.all(
      batch.map((file) => {
        built.add(file);
        return build({
          ...cjs,
          entryPoints: { [lazyName(file)]: join(root, file) },
          outdir: join(outdir, 'lazy'),
          plugins: [presetData('cjs', '../../data'), vendorExternal('../vendor'), lazyExternal(new Set(), '.', lazy, file)],
        });
      }),
    );
  }
  const main = Object.keys(result.metafile.outputs).map((f) => basename(f)).find((f) => f.startsWith('main-') && f.endsWith('.cjs'));
  // The main file holds the module already wrapped as Node wraps CommonJS, so the loader hands V8
  // the text as read instead of building a second ~100 kB string (which also costs a garbage
  // collection on the way). It is still valid CommonJS, but only the loader runs it.
  const mainFile = join(outdir, main);
  const code = readFileSync(mainFile, 'utf8');
  // esbuild writes ASCII only (charset 'ascii', its default), so the loader may read it as latin1,
  // which is faster than decoding UTF-8; refuse to build if that ever stops being true.
  if (/[^\x00-\x7f]/.test(code)) throw new Error(`${main} is not pure ASCII`);
  const mapComment = /\n\/\/# sourceMappingURL=[^\n]*\n?$/.exec(code);
  const body = mapComment ? code.slice(0, mapComment.index) : code;
  writeFileSync(mainFile, `${MODULE_HEAD}\n${body}\n})${mapComment ? mapComment[0] : '\n'}`);
  const loaderTemplate = readFileSync(join(root, 'scripts/cli-loader.cjs'), 'utf8');
  const loader = join(outdir, 'gpucost.cjs');
  writeFileSync(loader, loaderTemplate.replaceAll('__MAIN__', main));
  await Promise.all([
    ...VENDOR.map((name) => build({ ...cjs, entryPoints: { [name]: name }, outdir: join(outdir, 'vendor') })),
    build({ ...cjs, entryPoints: { 'commander-help': join(root, 'node_modules/commander/lib/help.js') }, outdir: join(outdir, 'vendor') }),
  ]);
  // The V8 code caches, one per kind of output, each made by running the bundle in a fresh process
  // of this Node.js (see scripts/cli-loader.cjs).
  for (const kind of ['table', 'data']) {
    const cache = join(outdir, `${main}.${process.version}-${process.arch}.${kind}.cache`);
    const made = spawnSync(process.execPath, [join(root, 'scripts/make-code-cache.cjs'), loader, cache, kind], {
      cwd: tmp,
      env: { ...process.env, NO_COLOR: '1', GPUCOST_PRESETS: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (made.status !== 0) throw new Error(`making the ${kind} code cache failed`);
  }
}

async function buildLibrary() {
  await build({
    ...common,
    splitting: true,
    format: 'esm',
    entryPoints: { index: join(root, 'src/index.ts') },
    outdir: join(dist, 'lib'),
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked',
    // commander is CommonJS and calls require('node:…'); give the ESM chunks a require.
    banner: { js: "import{createRequire as __gpucostRequire}from'node:module';const require=__gpucostRequire(import.meta.url);" },
    plugins: [presetData('esm')],
  });
}

try {
  mkdirSync(tmp, { recursive: true });
  await runTs('scripts/compile-presets.ts', 'compilePresets', root, generated);
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'data'), { recursive: true });
  for (const name of readdirSync(generated)) if (/\.jsonl?$/.test(name)) copyFileSync(join(generated, name), join(dist, 'data', name));
  await Promise.all([buildCli(), buildLibrary()]);
  console.log('bundle: dist/cli/gpucost.cjs (CLI), dist/lib/index.js (library), dist/data/ (presets)');
} catch (e) {
  console.error(`build failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
