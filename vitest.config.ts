import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // tests/renderer: the renderer's plain logic, type-checked with the renderer (tsconfig.web.json).
    include: ['tests/unit/**/*.test.ts', 'tests/renderer/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    globalSetup: ['tests/helpers/require-build.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests fork real worker processes; two cores are shared between them.
    maxWorkers: 2,
  },
});
