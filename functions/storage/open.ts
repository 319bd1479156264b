import { openSqliteStore } from './sqlite.ts';
import type { OfferStore } from './types.ts';

/**
 * The storage engine the configuration asks for: SQLite in DATA_DIR, the embedded default.
 */
export async function openStore(options: { dataDir: string; databaseUrl?: string }): Promise<OfferStore> {
  if (options.databaseUrl) throw new Error('DATABASE_URL is set, but PostgreSQL storage is not available yet.');
  return openSqliteStore(options.dataDir);
}
