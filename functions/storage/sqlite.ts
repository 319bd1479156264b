import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { loadMigrations } from './migrations.ts';
import { createSqliteStore, type Row, type SqliteDriver, type SqlValue } from './sqlite-store.ts';
import type { OfferStore } from './types.ts';

/**
 * The embedded storage engine: one SQLite file in DATA_DIR (Node's built-in `node:sqlite`, no
 * native build), WAL journal.
 *
 * Two connections: the intake's commits are fully synced (`synchronous = FULL`) before a
 * landlord is told "received"; the delivery worker's bookkeeping uses `synchronous = NORMAL`,
 * which survives a crashed process and can lose only the last "delivered" marks in a power cut
 * (a duplicate, never a loss), and so does not hold up the intake's commits.
 *
 * `secure_delete` overwrites erased personal data in the file instead of leaving it in free
 * pages; the purge checkpoints the WAL so that no old copy stays there either.
 */

export const databaseFile = (dataDir: string) => join(dataDir, 'offers.sqlite');

/** The data folder, readable by the portal's user only. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // mkdir's mode applies only to folders it creates; an existing folder is tightened too.
  chmodSync(dataDir, 0o700);
}

/** Database files readable by the portal's user only (the WAL and shared-memory files too). */
function tightenFiles(dataDir: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    const file = databaseFile(dataDir) + suffix;
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

function connect(dataDir: string, synchronous: 'FULL' | 'NORMAL'): DatabaseSync {
  const db = new DatabaseSync(databaseFile(dataDir), { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${synchronous}`);
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA secure_delete = ON');
  return db;
}

/**
 * Applies the migrations this database has not seen yet, each in its own transaction; returns
 * how many, and names each applied one to `onApplied` (for `npm run migrate`).
 */
export function migrateSqlite(db: DatabaseSync, onApplied: (name: string) => void = () => {}): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => Number(r.version)),
  );
  let count = 0;
  for (const step of loadMigrations('sqlite')) {
    if (applied.has(step.version)) continue;
    // Rebuilding a table that others reference needs foreign keys off (SQLite's documented way);
    // the pragma is ignored inside a transaction, so it is set around it, and checked before commit.
    db.exec('PRAGMA foreign_keys = OFF');
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process (an instance starting, `npm run migrate`) may have applied this step
      // between the read above and this write lock: look again under the lock.
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(step.version)) {
        db.exec('COMMIT');
        continue;
      }
      db.exec(step.sql);
      const broken = db.prepare('PRAGMA foreign_key_check').all();
      if (broken.length > 0) throw new Error(`migration ${step.name} breaks ${broken.length} foreign keys`);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        step.version,
        new Date().toISOString(),
      );
      db.exec('COMMIT');
      onApplied(step.name);
      count++;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    } finally {
      db.exec('PRAGMA foreign_keys = ON');
    }
  }
  return count;
}

/** node:sqlite behind the driver interface of sqlite-store.ts; a batch is one IMMEDIATE transaction. */
export function nodeDriver(db: DatabaseSync): SqliteDriver {
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const values = (params: readonly SqlValue[] = []) => params as SQLInputValue[];
  return {
    async all(sql, params) {
      return prepare(sql).all(...values(params)) as Row[];
    },
    async get(sql, params) {
      return prepare(sql).get(...values(params)) as Row | undefined;
    },
    async run(sql, params) {
      return { changes: Number(prepare(sql).run(...values(params)).changes) };
    },
    async batch(list) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const results = list.map(({ sql, params }) => {
          const statement = prepare(sql);
          // RETURNING statements give rows; the others say how many rows they changed.
          if (/\bRETURNING\b/i.test(sql)) {
            const rows = statement.all(...values(params)) as Row[];
            return { rows, changes: rows.length };
          }
          return { rows: [], changes: Number(statement.run(...values(params)).changes) };
        });
        db.exec('COMMIT');
        return results;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}

/** Opens (and creates, and migrates) the offer database in `dataDir`. */
export function openSqliteStore(dataDir: string): OfferStore {
  ensureDataDir(dataDir);
  const db = connect(dataDir, 'FULL');
  migrateSqlite(db);
  tightenFiles(dataDir);
  // The worker's connection is opened when first needed: the intake alone never needs it.
  let workerDb: DatabaseSync | undefined;
  let workerDriver: SqliteDriver | undefined;
  const lazyQueue: SqliteDriver = {
    all: (sql, params) => worker().all(sql, params),
    get: (sql, params) => worker().get(sql, params),
    run: (sql, params) => worker().run(sql, params),
    batch: (list) => worker().batch(list),
  };
  function worker(): SqliteDriver {
    if (!workerDriver) {
      workerDb = connect(dataDir, 'NORMAL');
      workerDriver = nodeDriver(workerDb);
    }
    return workerDriver;
  }
  return createSqliteStore({
    engine: 'sqlite',
    main: nodeDriver(db),
    queue: lazyQueue,
    // The WAL still holds the pages as they were before the erasure: write them back, empty it.
    afterErasure: async () => void db.exec('PRAGMA wal_checkpoint(TRUNCATE)'),
    async close() {
      if (workerDb?.isOpen) workerDb.close();
      if (db.isOpen) db.close();
    },
  });
}

/**
 * `npm run migrate` on SQLite: creates the database if needed and applies what is missing, while
 * the portal may run (each step waits for the file's write lock like any writer). Returns the
 * applied steps and the version the database is at now.
 */
export function migrateSqliteFile(dataDir: string): { applied: string[]; version: number } {
  ensureDataDir(dataDir);
  const db = connect(dataDir, 'FULL');
  try {
    const applied: string[] = [];
    migrateSqlite(db, (name) => applied.push(name));
    tightenFiles(dataDir);
    const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as Row;
    return { applied, version: Number(row.version ?? 0) };
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of the live database (SQLite's online backup API), while the portal runs:
 * what `npm run backup -- FILE` writes. Copying the folder by hand is not consistent while a WAL
 * is in use.
 */
export async function backupSqlite(dataDir: string, file: string): Promise<number> {
  const { backup } = await import('node:sqlite');
  const db = connect(dataDir, 'NORMAL');
  try {
    const pages = await backup(db, file);
    chmodSync(file, 0o600);
    return pages;
  } finally {
    db.close();
  }
}
