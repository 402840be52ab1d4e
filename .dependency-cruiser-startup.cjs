// What the CLI's default path loads, checked by dependency-cruiser (`npm run lint:deps`, second run).
//
// zod and yaml (and presets/load.ts, which reads YAML) cost startup time, so the CLI imports them
// with import() only when a run file or user presets need them. This rule follows the imports that
// run at startup from the entry point and fails when one reaches them.
//
// It needs its own run because a reachability rule follows every edge of the graph, and the graph
// of .dependency-cruiser.cjs has the edges that do not load anything at startup: import() (loaded
// later, on demand) and `import type` (erased by the compiler). Here both are left out. An import
// whose names are all inline types (`import { type X } from`) stays: with verbatimModuleSyntax the
// compiler keeps it as a side-effect import, so it does load the module.
const base = require('./.dependency-cruiser.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'default-cli-path-reaches-neither-zod-nor-yaml',
      comment: 'Static imports from the CLI entry reach neither zod, yaml nor presets/load.ts; load them with import() where needed.',
      severity: 'error',
      from: { path: '^src/cli/node-main\\.ts$' },
      to: { path: ['(^|/)node_modules/(zod|yaml)/', '^src/presets/load\\.ts$'], reachable: true },
    },
  ],
  options: {
    ...base.options,
    tsPreCompilationDeps: false,
    exclude: { dynamic: true },
  },
};
