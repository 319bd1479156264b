import { createSqliteStore, type Row, type SqliteDriver, type SqlValue } from './sqlite-store.ts';
import type { OfferStore } from './types.ts';

/**
 * Cloudflare D1 behind the driver interface of sqlite-store.ts: the very statements of the
 * node:sqlite store, run by D1. D1 has no interactive transactions; `batch()` runs its statements
 * atomically in one implicit transaction, which is all the store needs (see sqlite-store.ts).
 * Its schema comes from the same SQL files (functions/storage/migrations/sqlite/), applied by
 * `wrangler d1 migrations apply` (wrangler.jsonc, `migrations_dir`).
 *
 * The types below are the part of Cloudflare's D1 API this uses (see `wrangler types` for all of
 * it), so the rest of the code base needs no Workers type definitions.
 */
export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  all<T = Row>(): Promise<{ results: T[]; meta: { changes?: number } }>;
  first<T = Row>(): Promise<T | null>;
  run(): Promise<{ meta: { changes?: number } }>;
}
export interface D1Database {
  prepare(sql: string): D1PreparedStatement;
  batch<T = Row>(statements: D1PreparedStatement[]): Promise<Array<{ results?: T[]; meta: { changes?: number } }>>;
}

/** D1 behind the store's driver interface. */
export function d1Driver(db: D1Database): SqliteDriver {
  const statement = (sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).bind(...params);
  return {
    async all(sql, params) {
      return (await statement(sql, params).all<Row>()).results;
    },
    async get(sql, params) {
      return (await statement(sql, params).first<Row>()) ?? undefined;
    },
    async run(sql, params) {
      return { changes: (await statement(sql, params).run()).meta.changes ?? 0 };
    },
    async batch(list) {
      if (list.length === 0) return [];
      const results = await db.batch<Row>(list.map(({ sql, params }) => statement(sql, params)));
      return results.map((result, i) => {
        const rows = result.results ?? [];
        // As in the node:sqlite driver: a RETURNING statement counts the rows it returned.
        const returning = /\bRETURNING\b/i.test(list[i]!.sql);
        return { rows, changes: returning ? rows.length : (result.meta.changes ?? 0) };
      });
    },
  };
}

/** The offer store on a D1 database binding; the schema is applied by wrangler, not here. */
export function openD1Store(db: D1Database): OfferStore {
  const driver = d1Driver(db);
  return createSqliteStore({
    engine: 'd1',
    main: driver,
    queue: driver,
    // The binding belongs to the Worker's isolate; there is nothing to close.
    close: async () => {},
  });
}
