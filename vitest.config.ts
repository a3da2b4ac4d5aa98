import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts', 'test/**/*.test.ts', 'integration_tests/**/*.test.ts'],
    // End-to-end tests spawn the built CLI against the sandbox: give them room, but every test stops by itself.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
