import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { databasePrefix } from './postgres-server.ts';

/** What the globalSetup (./postgres-server.ts) hands the tests: a server, or why there is none. */
export type PostgresInfo = { adminUrl: string; runId: string } | { missing: string };
export type StorageEngine = 'sqlite' | 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresInfo;
    storageEngine: StorageEngine;
  }
}

/**
 * The engine the current vitest project tests: the `postgres` project provides 'postgres', every
 * other project tests SQLite. A suite listed in both projects runs once per engine.
 */
export const storageEngine: StorageEngine = inject('storageEngine') ?? 'sqlite';

const info: PostgresInfo | undefined = inject('postgres');

/**
 * Why PostgreSQL tests cannot run here, or undefined when a server is up. Use it as
 * `describe.skipIf(postgresMissing)(…)`. Locally a missing server is a loud warning (printed once
 * by the globalSetup); under CI=true it is a failure, because a green CI must mean the PostgreSQL
 * store was really tested.
 */
export const postgresMissing: string | undefined = !info
  ? 'this vitest project has no PostgreSQL globalSetup (tests/support/postgres-server.ts)'
  : 'missing' in info
    ? info.missing
    : undefined;

if (storageEngine === 'postgres' && postgresMissing && process.env.CI === 'true') {
  throw new Error(`CI=true and no PostgreSQL: the PostgreSQL tests cannot run. Why: ${postgresMissing}`);
}

/**
 * A new, empty database on the test server, for one test file or one test: returns its
 * `postgres://` URL. Databases of a temporary server vanish with it; on a TEST_DATABASE_URL server
 * the globalSetup drops this run's databases at the end.
 */
export async function freshDatabase(): Promise<string> {
  if (!info || 'missing' in info) throw new Error(`PostgreSQL is not available: ${postgresMissing}`);
  const name = `${databasePrefix(info.runId)}${randomBytes(6).toString('hex')}`;
  const admin = postgres(info.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(info.adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}
