// Two test tiers chosen by path: `unit` (beside the code, no I/O, fast) and `integration` (servers, databases,
// child processes). Integration tests that need PostgreSQL skip themselves when DATABASE_URL is unset.
import { defineConfig } from 'vitest/config';

const shared = ['**/node_modules/**', '**/dist/**', '**/data/**', '**/.data/**', '**/.tmp/**'];

export default defineConfig({
  test: {
    allowOnly: false,
    passWithNoTests: true,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['engine/**/*.test.ts', '*/**/*.test.ts'],
          exclude: [...shared, '**/*.integration.test.ts', 'test/**'],
          environment: 'node',
          sequence: { groupOrder: 0 },
          testTimeout: 5_000,
          hookTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'test/integration/**/*.test.ts',
            'test/conformance/**/*.test.ts',
            'test/durability/**/*.test.ts',
            'test/process/**/*.test.ts',
            'test/kubernetes/**/*.test.ts',
            'test/demo/**/*.test.ts',
            'test/browser/**/*.test.ts',
            '**/*.integration.test.ts',
          ],
          exclude: shared,
          environment: 'node',
          // Runs after the unit project (its own group, so it can have its own worker count).
          sequence: { groupOrder: 1 },
          // Engines, PGlite databases and child processes take a while to start; keep them in few workers.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
    ],
  },
});
