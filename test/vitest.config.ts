import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts', 'runtime/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
