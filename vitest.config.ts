import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores in CI: ORT sessions already use both, so run files one at a time.
    fileParallelism: false,
    reporters: ['default'],
  },
});
