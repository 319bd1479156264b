import { loadConfig } from './config.ts';
import { loadMigrations } from './storage/migrations.ts';
import { databaseFile, migrateSqliteFile } from './storage/sqlite.ts';

/**
 * `npm run migrate`: applies the schema migrations the configured database has not seen yet
 * (PostgreSQL with DATABASE_URL, else SQLite in DATA_DIR), prints what it did, and exits.
 *
 * Every instance also migrates when it starts; this command lets an operator do it on purpose
 * before rolling out a release, and see the result. It is safe while instances run: on
 * PostgreSQL all steps run in one transaction under an advisory lock (instances that start at the
 * same moment wait, then find nothing to do); on SQLite each step is one transaction under the
 * file's write lock. Migrations only add (append-only files, see storage/migrations.ts), so the
 * instances still running the previous release keep working on the new schema.
 */
// Signs no links: a missing LINK_SECRET is the portal's concern, not the schema's.
const config = loadConfig(process.env, { checkLinkSecret: false });
const engine = config.databaseUrl ? 'postgres' : 'sqlite';
let where: string;
let result: { applied: string[]; version: number };
try {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    // The address without user and password: the line may end up in a CI or cron log.
    where = `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
    const { migratePostgresUrl } = await import('./storage/postgres.ts');
    result = await migratePostgresUrl(config.databaseUrl);
  } else {
    where = `SQLite ${databaseFile(config.dataDir)}`;
    result = migrateSqliteFile(config.dataDir);
  }
} catch (error) {
  // PostgreSQL rolls the whole run back; on SQLite the steps before the failing one stay applied.
  const rolledBack = engine === 'postgres' ? ' (nothing was changed)' : '';
  console.error(`migrate: failed${rolledBack}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const known = Math.max(0, ...loadMigrations(engine).map((m) => m.version));
console.log(
  result.applied.length > 0
    ? `migrate: ${where}: applied ${result.applied.join(', ')}; now at version ${result.version}.`
    : `migrate: ${where}: up to date at version ${result.version}, nothing to do.`,
);
if (result.version > known) {
  // Not an error for this command, but whoever runs it should know: a newer release ran here.
  console.log(
    `migrate: note: the database is at version ${result.version}, this release knows up to ${known}: a newer release has migrated it.`,
  );
}
