import { getViteConfig } from 'astro/config';
import { configDefaults } from 'vitest/config';

/**
 * Projects: fast unit tests (schemas, content, handlers), the built site and the server, fault
 * drills, PostgreSQL, and browser tests that need the built site. `npm test` builds first, then
 * runs them all.
 */
export default getViteConfig({
  test: {
    // One worker per core. Vitest's default for `vitest run` is one less than the cores: on the
    // 2-core reference machine that was one file at a time (vitest 523 s; with two, 451 s). More
    // workers than cores gain nothing: with two files running, both cores are busy throughout.
    maxWorkers: '100%',
    // A passing run lists each file with its time, not each test: portal and browser tests all
    // take longer than vitest's 300 ms "slow" mark, which listed some 200 of them. Timings are the
    // bench's business; a test slower than this still shows up.
    slowTestThreshold: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'functions/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
          // A guard against a hang, not a speed goal: property-based tests take seconds on a busy machine.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'site',
          include: ['tests/site/**/*.test.ts', 'tests/server/**/*.test.ts'],
          environment: 'node',
          // These start portal processes and command-line tools: seconds, not milliseconds.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'fault',
          include: ['tests/fault/**/*.test.ts'],
          // The drill of several instances needs PostgreSQL: its own project below.
          exclude: [...configDefaults.exclude, 'tests/fault/two-instances.test.ts'],
          environment: 'node',
          testTimeout: 400_000,
        },
      },
      {
        // Two portal instances and `npm run deliver` on one PostgreSQL database through faults
        // (issue 10); the same PostgreSQL globalSetup as the `postgres` project (one server per run).
        extends: true,
        test: {
          name: 'fault-postgres',
          include: ['tests/fault/two-instances.test.ts'],
          environment: 'node',
          testTimeout: 400_000,
          hookTimeout: 60_000,
          globalSetup: ['tests/support/postgres-server.ts'],
          provide: { storageEngine: 'postgres' },
        },
      },
      {
        // The PostgreSQL engine. Its globalSetup starts one throwaway server per run (or uses
        // TEST_DATABASE_URL), see tests/support/postgres-server.ts; only this project pays for it.
        // A suite that tests the store, queue, intake or worker through `storageEngine` from
        // tests/support/postgres.ts is listed here AND in its SQLite project, so it runs once per
        // engine.
        extends: true,
        test: {
          name: 'postgres',
          include: [
            'tests/postgres/**/*.test.ts',
            'functions/storage/store.test.ts',
            'functions/delivery/worker.test.ts',
            'functions/lifecycle/lifecycle.test.ts',
            'functions/report/report.test.ts',
            'functions/report/weekly.test.ts',
            'tests/server/intake.test.ts',
            'tests/server/report.test.ts',
            // The Netlify build's functions against PostgreSQL (they store nowhere else).
            'tests/netlify/**/*.test.ts',
            'tests/server/health.test.ts',
            'tests/server/migrate.test.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          environment: 'node',
          globalSetup: ['tests/support/postgres-server.ts'],
          provide: { storageEngine: 'postgres' },
        },
      },
      {
        // The Cloudflare build in Cloudflare's runtime (workerd through `wrangler dev`, local D1).
        // The suite builds into dist-cloudflare/ itself, so it never touches the Node build in dist/.
        extends: true,
        test: {
          name: 'cloudflare',
          include: ['tests/cloudflare/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 400_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // No `fileParallelism: false` here: vitest would run this project on its own after all
          // the others, one file after another. Each browser file has its own Chromium and portal
          // on a free port, so two can run side by side like any other files.
        },
      },
    ],
  },
});
