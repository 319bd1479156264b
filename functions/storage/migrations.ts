import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Schema migrations as numbered SQL files, one folder per dialect with the same numbers:
 * `migrations/sqlite/0003_….sql` and `migrations/postgres/0003_….sql` make the same change.
 * Cloudflare D1 applies the SQLite folder itself (wrangler's `migrations_dir`). Append only: a
 * released file is never edited.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
  const dir = join(import.meta.dirname, 'migrations', dialect);
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}
