// Three test tiers, chosen by file suffix alone (README "Tests", docs/adr/0007-code-conventions.md):
//
//   unit         *.test.ts beside the code: no sockets, no child processes, no databases, no file writes
//                (test/support/unit-io-guard.ts makes each of those throw).
//   integration  *.integration.test.ts: servers, databases, sockets, child processes, browsers. Beside the code
//                or under test/ (integration, conformance, durability, kubernetes, deploy, demo, browser, fuzz).
//   process      *.process.test.ts under test/process/: the real diagrams and forms on the engine.
//
// Integration tests that need a server (PostgreSQL, RabbitMQ, the Kubernetes API server) skip themselves when its
// variable is unset. `npm run test:unit|test:integration|test:process` runs one tier.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowFilesFirst from './test/support/slow-files-first.js';

const shared = ['**/node_modules/**', '**/dist/**', '**/data/**', '**/.data/**', '**/.tmp/**'];

// Integration and process files are mostly CPU (PGlite is PostgreSQL in WebAssembly) but wait part of the time (on
// PostgreSQL, timers, child processes): one file alone keeps a core about 83% busy, and 8 mid-sized files took
// 30-34 s with 2 workers, 24-25 s with 3 and 24 s with 4 (same CPU). The longest files wait most of the time: the
// browser, demo and Kubernetes files (test/support/slow-files-first.ts) keep a core about 5-30% busy each for one
// to three minutes, and they start first. With one file more than cores (3 on 2 cores) they held every worker for
// the suite's first 100 s while a core stood idle; so three more than cores (5 on 2 cores), leaving room for
// CPU-bound files beside them. SPE_TEST_WORKERS overrides it (e.g. 1 to debug one file at a time).
const slowWorkers = Number(process.env.SPE_TEST_WORKERS) || Math.max(2, availableParallelism() + 3);

export default defineConfig({
  test: {
    allowOnly: false,
    passWithNoTests: true,
    // The browser, demo and Kubernetes files start first rather than last (test/support/slow-files-first.ts).
    sequence: { sequencer: SlowFilesFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...shared, '**/*.integration.test.ts', '**/*.process.test.ts'],
          setupFiles: ['test/support/unit-io-guard.ts'],
          environment: 'node',
          // One module graph per worker for all unit files instead of a fresh one per file: the files import much
          // the same code, and loading it again per file was most of the tier's time (326 s → 18 s wall, 55 s →
          // 9 s of CPU under load). So a unit test must not depend on module state another file left behind (none
          // uses vi.mock or fake timers); the I/O guard above still runs before every file.
          isolate: false,
          sequence: { groupOrder: 0 },
          testTimeout: 5_000,
          hookTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          exclude: shared,
          environment: 'node',
          // After the unit project (its own group, so it has its own worker count).
          sequence: { groupOrder: 1 },
          // Engines, databases and child processes take a while to start.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: slowWorkers,
          // As in the unit tier, a worker keeps its modules from one file to the next (README "Tests"): loading the
          // platform, the engine and PGlite again and warming the JIT up again was 1-1.5 s of CPU per file (6
          // process files: 63.7 s of CPU isolated, 38.6 s not). A file must stop what it starts in its after* hooks;
          // the in-memory PGlite of db/testing/test-databases.ts stays for the worker's next file.
          isolate: false,
        },
      },
      {
        test: {
          name: 'process',
          include: ['**/*.process.test.ts'],
          exclude: shared,
          environment: 'node',
          // The same group (and worker settings) as the integration project: their files share the workers, so
          // the process files fill a worker the integration tier's last long file leaves idle, instead of waiting.
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: slowWorkers,
          isolate: false,
        },
      },
    ],
  },
});
