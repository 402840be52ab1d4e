import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that change the module registry (vi.resetModules, vi.mock, vi.doMock) or other state a
 * later file would see: each runs with a module registry of its own. Add any such file here.
 */
const ISOLATED = ['tests/architecture.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['tests/setup.ts'],
    // Deterministic output: no colour from the environment, fixed locale-independent formatting.
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
    pool: 'threads',
    testTimeout: 20_000,
    projects: [
      // Every other file shares one module registry (isolate: false): src/ is loaded and compiled once
      // instead of once per file. Measured on 2 cores: vitest's CPU time 24 s → 14 s. The files pass in
      // any order (`npx vitest run --sequence.shuffle`); none mocks modules or changes globals.
      { extends: true, test: { name: 'shared', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ISOLATED], isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
    ],
  },
});
