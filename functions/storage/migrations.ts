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
  return migrationsFrom(
    Object.fromEntries(readdirSync(dir).map((file) => [file, () => readFileSync(join(dir, file), 'utf8')])),
  );
}

/**
 * The numbered steps among `files` (name → text, or a function that reads it), in order; other
 * files are ignored. Bundles that carry the migrations built in pass them here too.
 */
export function migrationsFrom(files: Record<string, string | (() => string)>): Migration[] {
  return Object.keys(files)
    .map((path) => ({ path, file: path.slice(path.lastIndexOf('/') + 1) }))
    .filter(({ file }) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map(({ path, file }) => {
      const text = files[path]!;
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql: typeof text === 'string' ? text : text(),
      };
    });
}
