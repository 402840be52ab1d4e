import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // Deterministic output: no colour from the environment, fixed locale-independent formatting.
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
    pool: 'threads',
    testTimeout: 20_000,
  },
});
