import { openSqliteStore } from './sqlite.ts';
import type { OfferStore } from './types.ts';

/**
 * The storage engine the configuration asks for: PostgreSQL when DATABASE_URL is set (several
 * instances, a managed database), SQLite in DATA_DIR otherwise (the embedded default).
 */
export async function openStore(options: { dataDir: string; databaseUrl?: string }): Promise<OfferStore> {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new Error(`DATABASE_URL must start with postgres:// (got ${url.protocol}//)`);
    }
    const { openPostgresStore } = await import('./postgres.ts');
    return openPostgresStore(options.databaseUrl);
  }
  return openSqliteStore(options.dataDir);
}
