// The layer rule of src/, checked by dependency-cruiser (`npm run lint:deps`, run in CI by .ci/run).
//
// Imports point down only:
//   core  ←  presets  ←  resolve  ←  report  ←  cli
//                                        ↖  api (src/index.ts, src/api/) beside the CLI
// src/errors.ts is a leaf: every layer may import it, and it imports nothing from src/ but the
// warning codes. The CLI uses the API; the API never imports the CLI.
//
// Type-only imports (`import type`, `import { type X }`) count like any other: a type that a lower
// layer needs from a higher one belongs lower down. tsPreCompilationDeps: true keeps them in the
// graph. Dynamic import() counts too.

const LEAVES = ['^src/errors\\.ts$'];
const API = ['^src/api/', '^src/index\\.ts$'];

/** The groups inside which a cycle is looked for (see the no-circular rules). */
const CYCLE_GROUPS = {
  core: '^src/core/',
  presets: '^src/presets/',
  resolve: '^src/resolve/',
  report: '^src/report/',
  'cli-and-api': ['^src/cli/', ...API],
};

/**
 * A rule that files of `layer` import, among src/ files, only files of `allowed` and the leaves.
 * The API has its own rule below, so it is left out here to report each violation once.
 */
function layer(name, allowed) {
  return {
    name: `${name}-imports-down-only`,
    comment: `src/${name}/ may import only ${allowed.map((l) => `src/${l}/`).join(', ')}, and src/errors.ts among src/ files.`,
    severity: 'error',
    from: { path: `^src/${name}/` },
    to: {
      path: '^src/',
      pathNot: [`^src/(${allowed.join('|')})/`, ...LEAVES, ...API],
    },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'api-not-cli',
      comment: 'The library API (src/index.ts, src/api/) is what the CLI uses; it never imports the CLI, which writes to the terminal and reads flags.',
      severity: 'error',
      from: { path: API },
      to: { path: '^src/cli/' },
    },
    // No cycles. A cycle that crosses layers has an upward import, which the layer rules report
    // (once, rather than once per module on the cycle), so these look for cycles inside one layer,
    // inside the CLI and API together, and among any src/ files outside the layers.
    ...Object.entries(CYCLE_GROUPS).map(([name, path]) => ({
      name: `no-circular-${name}`,
      comment: `No module in ${name} reaches itself through imports (type-only imports included).`,
      severity: 'error',
      from: { path },
      to: { circular: true, viaOnly: { path } },
    })),
    {
      name: 'no-circular-elsewhere',
      comment: 'No src/ module outside the layers reaches itself through imports.',
      severity: 'error',
      from: { path: '^src/', pathNot: Object.values(CYCLE_GROUPS).flat() },
      to: { circular: true },
    },
    layer('core', ['core']),
    layer('presets', ['core', 'presets']),
    layer('resolve', ['core', 'presets', 'resolve']),
    layer('report', ['core', 'presets', 'resolve', 'report']),
    {
      name: 'api-not-below',
      comment: 'The library API (src/index.ts, src/api/) sits above report/; only the CLI and the API itself import it.',
      severity: 'error',
      from: { path: '^src/(core|presets|resolve|report)/' },
      to: { path: API },
    },
    {
      name: 'leaves-import-nothing-from-src',
      comment:
        'src/errors.ts is imported by every layer, so it imports no src/ file, except the warning codes (src/core/warnings.ts, which imports nothing) that preset problems carry.',
      severity: 'error',
      from: { path: LEAVES },
      to: { path: '^src/', pathNot: '^src/core/warnings[.]ts$' },
    },
    {
      name: 'core-no-node-builtins',
      comment: 'src/core/ is pure functions: no node: builtins (no I/O, no process).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-packages',
      comment: 'src/core/ imports nothing outside src/: no npm package, no file such as package.json.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: '^src/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'chalk-and-cli-table3-only-in-table-renderer',
      comment: 'Colour and table drawing belong to src/report/render/table.ts alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/report/render/table\\.ts$' },
      to: { path: '(^|/)node_modules/(chalk|cli-table3)/' },
    },
    {
      name: 'build-step-needs-nothing-generated',
      comment:
        'scripts/compile-presets.ts writes src/presets/generated/ from these modules, so on a fresh clone nothing they reach may ' +
        'import a generated file (the preset loader and the best-MFU table of the throughput set).',
      severity: 'error',
      from: { path: ['^src/presets/load-dir\\.ts$', '^src/resolve/best-mfu\\.ts$'] },
      to: { path: '^src/presets/generated/', reachable: true },
    },
    {
      name: 'zod-and-yaml-only-in-lazy-modules',
      comment:
        'zod and yaml cost startup time, so only the modules the CLI loads lazily (run files, user presets, ' +
        'the JSON Schema, the YAML renderer) import them.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/presets/schema\\.ts$', '^src/presets/load\\.ts$', '^src/presets/json-schema\\.ts$', '^src/report/render/yaml\\.ts$'],
      },
      to: { path: '(^|/)node_modules/(zod|yaml)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-dev-dependency-in-src',
      comment:
        'A devDependency is not installed for users: src/ may use one only if scripts/build.mjs bundles it (commander, chalk, cli-table3, simple-ascii-chart); zod and yaml stay outside the bundles and are dependencies.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], pathNot: '^node_modules/(commander|chalk|cli-table3|simple-ascii-chart)/' },
    },
    {
      name: 'no-undeclared-package-in-src',
      comment: 'A package src/ imports is listed in package.json (not only present in node_modules by chance).',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports stay in the graph and count for every rule above.
    tsPreCompilationDeps: true,
    // Resolves TypeScript's `./x.js` specifiers to `./x.ts`, as tsc does with NodeNext.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
