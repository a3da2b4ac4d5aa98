import { defineConfig } from 'vitest/config';

/** Tests whose figures are wall-clock rates at the sandbox: they run alone, after the rest, so that a busy machine does not bunch their requests. */
const ALONE = ['test/e2e/rate-limits.test.ts', 'test/e2e/leanmote-quota.test.ts'];

export default defineConfig({
  test: {
    // End-to-end tests spawn the built CLI against the sandbox: give them room, but every test stops by itself.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['src/**/*.test.ts', 'tools/**/*.test.ts', 'test/**/*.test.ts', 'integration_tests/**/*.test.ts'], exclude: ALONE },
      },
      { extends: true, test: { name: 'alone', include: ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
