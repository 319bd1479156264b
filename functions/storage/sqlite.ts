import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { Offer } from '../../src/schemas/offer.ts';
import { newReference } from '../offers/reference.ts';
import { loadMigrations } from './migrations.ts';
import type {
  ClaimedJob,
  DeliveryQueue,
  DeliveryTarget,
  JobResult,
  OfferStatus,
  OfferStore,
  StoredOffer,
} from './types.ts';

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
type Row = Record<string, SQLInputValue>;

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

/** Applies the migrations this database has not seen yet, each in its own transaction. */
export function migrateSqlite(db: DatabaseSync): number {
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
      db.exec(step.sql);
      const broken = db.prepare('PRAGMA foreign_key_check').all();
      if (broken.length > 0) throw new Error(`migration ${step.name} breaks ${broken.length} foreign keys`);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        step.version,
        new Date().toISOString(),
      );
      db.exec('COMMIT');
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

function toOffer(row: Row): StoredOffer {
  return {
    id: Number(row.id),
    reference: String(row.reference),
    submissionId: String(row.submission_id),
    receivedAt: String(row.received_at),
    locale: String(row.locale),
    status: row.status as OfferStatus,
    holdReason: (row.hold_reason as string | null) ?? null,
    stadtbezirk: (row.stadtbezirk as string | null) ?? null,
    carrierId: (row.carrier_id as string | null) ?? null,
    routingReason: String(row.routing_reason),
    payload: row.payload === null ? null : (JSON.parse(String(row.payload)) as Offer),
    erasedAt: (row.erased_at as string | null) ?? null,
  };
}

/** Runs `work` in one IMMEDIATE transaction (the write lock is taken at once, not on first write). */
function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** Opens (and creates, and migrates) the offer database in `dataDir`. */
export function openSqliteStore(dataDir: string): OfferStore {
  ensureDataDir(dataDir);
  const db = connect(dataDir, 'FULL');
  migrateSqlite(db);
  tightenFiles(dataDir);
  // The worker's connection is opened when first needed: the intake alone never needs it.
  let workerDb: DatabaseSync | undefined;
  const wdb = () => (workerDb ??= connect(dataDir, 'NORMAL'));

  const insertOffer = db.prepare(`
    INSERT INTO offers (reference, submission_id, content_hash, received_at, locale, status, hold_reason, stadtbezirk,
                        carrier_id, routing_reason, rooms, living_space, cold_rent, total_rent, payload)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (submission_id) DO NOTHING`);
  const referenceTaken = db.prepare('SELECT 1 FROM offers WHERE reference = ?');
  const insertJob = db.prepare(`
    INSERT INTO delivery_jobs (offer_id, channel, recipient_kind, recipient_id, target, next_attempt_at)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const bySubmission = db.prepare('SELECT * FROM offers WHERE submission_id = ?');
  const byReference = db.prepare('SELECT * FROM offers WHERE reference = ?');
  const addJobs = (offerId: number, deliveries: readonly DeliveryTarget[], at: string) => {
    for (const d of deliveries) insertJob.run(offerId, d.channel, d.recipientKind, d.recipientId, d.target, at);
  };

  const queue: DeliveryQueue = {
    async claim({ now, leaseMs, limit, worker }) {
      const t = now.toISOString();
      const rows = wdb()
        .prepare(
          `UPDATE delivery_jobs SET lease_until = ?, claimed_by = ?, attempts = attempts + 1
           WHERE id IN (
             SELECT id FROM delivery_jobs
             WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
             ORDER BY next_attempt_at, id LIMIT ?)
           RETURNING id, offer_id, channel, recipient_kind, recipient_id, target, attempts`,
        )
        .all(new Date(now.getTime() + leaseMs).toISOString(), worker, t, t, limit) as Row[];
      const offerOf = wdb().prepare(
        'SELECT reference, received_at, locale, stadtbezirk, carrier_id, routing_reason, payload FROM offers WHERE id = ?',
      );
      return rows.map((r): ClaimedJob => {
        const o = offerOf.get(r.offer_id) as Row;
        return {
          id: Number(r.id),
          offerId: Number(r.offer_id),
          channel: r.channel as ClaimedJob['channel'],
          recipientKind: r.recipient_kind as ClaimedJob['recipientKind'],
          recipientId: String(r.recipient_id),
          target: String(r.target),
          attempts: Number(r.attempts),
          offer: {
            reference: String(o.reference),
            receivedAt: String(o.received_at),
            locale: String(o.locale),
            stadtbezirk: (o.stadtbezirk as string | null) ?? null,
            carrierId: (o.carrier_id as string | null) ?? null,
            routingReason: String(o.routing_reason),
            payload: o.payload === null ? null : (JSON.parse(String(o.payload)) as Offer),
          },
        };
      });
    },
    async record(results: readonly JobResult[]) {
      if (results.length === 0) return;
      const w = wdb();
      const delivered = w.prepare(
        `UPDATE delivery_jobs SET status = 'delivered', delivered_at = ?, finished_at = ?, lease_until = NULL,
                claimed_by = NULL, last_error = NULL WHERE id = ?`,
      );
      const retry = w.prepare(
        `UPDATE delivery_jobs SET next_attempt_at = ?, lease_until = NULL, claimed_by = NULL, last_error = ? WHERE id = ?`,
      );
      const dead = w.prepare(
        `UPDATE delivery_jobs SET status = 'dead', finished_at = ?, lease_until = NULL, claimed_by = NULL,
                last_error = ? WHERE id = ?`,
      );
      // One transaction per batch: one disk sync, not one per job.
      transaction(w, () => {
        for (const r of results) {
          if (r.state === 'delivered') delivered.run(r.at.toISOString(), r.at.toISOString(), r.id);
          else if (r.state === 'retry') retry.run(r.nextAttemptAt.toISOString(), r.detail, r.id);
          else dead.run(r.at.toISOString(), r.detail, r.id);
        }
      });
    },
    async release(worker) {
      const result = wdb()
        .prepare(
          `UPDATE delivery_jobs SET lease_until = NULL, claimed_by = NULL, attempts = max(attempts - 1, 0)
           WHERE status = 'pending' AND claimed_by = ?`,
        )
        .run(worker);
      return Number(result.changes);
    },
    async dueCount(now) {
      const t = now.toISOString();
      const row = wdb()
        .prepare(
          `SELECT count(*) AS n FROM delivery_jobs
           WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)`,
        )
        .get(t, t) as Row;
      return Number(row.n);
    },
    async unalertedDead() {
      const rows = wdb()
        .prepare(
          `SELECT j.id, j.channel, j.recipient_kind, j.recipient_id, j.last_error, j.attempts, o.reference
           FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id
           WHERE j.status = 'dead' AND j.alerted_at IS NULL ORDER BY j.id`,
        )
        .all() as Row[];
      return rows.map((r) => ({
        id: Number(r.id),
        reference: String(r.reference),
        channel: r.channel as 'email' | 'webhook',
        recipientKind: r.recipient_kind as 'coordinator' | 'carrier' | 'landlord',
        recipientId: String(r.recipient_id),
        attempts: Number(r.attempts),
        lastError: (r.last_error as string | null) ?? null,
      }));
    },
    async markAlerted(ids, at) {
      const mark = wdb().prepare('UPDATE delivery_jobs SET alerted_at = ? WHERE id = ?');
      transaction(wdb(), () => ids.forEach((id) => mark.run(at.toISOString(), id)));
    },
    async counts() {
      return (
        db
          .prepare(
            'SELECT status, channel, count(*) AS jobs FROM delivery_jobs GROUP BY status, channel ORDER BY status, channel',
          )
          .all() as Row[]
      ).map((r) => ({ status: r.status as 'pending', channel: r.channel as 'email', jobs: Number(r.jobs) }));
    },
    async list(status, limit = 500) {
      return (
        db
          .prepare(
            `SELECT j.id, o.reference, j.channel, j.recipient_kind, j.recipient_id, j.attempts, j.next_attempt_at,
                    substr(j.last_error, 1, 80) AS last_error
             FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id WHERE j.status = ? ORDER BY j.id LIMIT ?`,
          )
          .all(status, limit) as Row[]
      ).map((r) => ({
        id: Number(r.id),
        reference: String(r.reference),
        channel: r.channel as 'email',
        recipient: r.recipient_kind as 'coordinator',
        who: String(r.recipient_id),
        attempts: Number(r.attempts),
        nextAttempt: String(r.next_attempt_at),
        lastError: (r.last_error as string | null) ?? null,
      }));
    },
    async retryDead(id, now) {
      const sql = `UPDATE delivery_jobs SET status = 'pending', attempts = 0, next_attempt_at = ?, alerted_at = NULL,
                   finished_at = NULL WHERE status = 'dead'`;
      const result =
        id === 'all'
          ? db.prepare(sql).run(now.toISOString())
          : db.prepare(`${sql} AND id = ?`).run(now.toISOString(), id);
      return Number(result.changes);
    },
    async health(now) {
      const row = db
        .prepare(
          `SELECT sum(status = 'pending') AS pending, sum(status = 'dead') AS dead,
                  min(CASE WHEN status = 'pending' THEN next_attempt_at END) AS oldest
           FROM delivery_jobs`,
        )
        .get() as Row;
      const oldest = row.oldest ? Date.parse(String(row.oldest)) : undefined;
      return {
        pending: Number(row.pending ?? 0),
        dead: Number(row.dead ?? 0),
        oldestPendingSeconds: oldest === undefined ? 0 : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
      };
    },
  };

  return {
    engine: 'sqlite',
    queue,
    async saveOffer(offer) {
      return transaction(db, () => {
        const existing = bySubmission.get(offer.submissionId) as Row | undefined;
        if (existing) {
          const same = existing.content_hash === null || existing.content_hash === offer.contentHash;
          return { outcome: same ? 'duplicate' : 'conflict', offer: toOffer(existing) } as const;
        }
        let reference = newReference();
        while (referenceTaken.get(reference)) reference = newReference();
        const receivedAt = offer.receivedAt.toISOString();
        const { figures } = offer;
        const result = insertOffer.run(
          reference,
          offer.submissionId,
          offer.contentHash,
          receivedAt,
          offer.locale,
          offer.status,
          offer.holdReason ?? null,
          offer.stadtbezirk ?? null,
          offer.carrierId ?? null,
          offer.routingReason,
          figures.rooms,
          figures.livingSpace,
          figures.coldRent,
          figures.totalRent,
          JSON.stringify(offer.payload),
        );
        const offerId = Number(result.lastInsertRowid);
        if (offer.status === 'received') addJobs(offerId, offer.deliveries, receivedAt);
        return { outcome: 'created', offer: toOffer(byReference.get(reference) as Row) } as const;
      });
    },
    async findByReference(reference) {
      const row = byReference.get(reference) as Row | undefined;
      return row ? toOffer(row) : undefined;
    },
    async countOffers() {
      return Number((db.prepare('SELECT count(*) AS n FROM offers').get() as Row).n);
    },
    async jobsOf(offerId) {
      return (db.prepare('SELECT * FROM delivery_jobs WHERE offer_id = ? ORDER BY id').all(offerId) as Row[]).map(
        (r) => ({
          id: Number(r.id),
          channel: r.channel as 'email',
          recipientKind: r.recipient_kind as 'coordinator',
          recipientId: String(r.recipient_id),
          target: String(r.target),
          status: r.status as 'pending',
          attempts: Number(r.attempts),
        }),
      );
    },
    async landlordConfirmationsSince(email, since) {
      const row = db
        .prepare(
          `SELECT count(*) AS n FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id
           WHERE j.recipient_kind = 'landlord' AND j.target = ? COLLATE NOCASE AND j.channel = 'email'
             AND o.received_at >= ?`,
        )
        .get(email, since.toISOString()) as Row;
      return Number(row.n);
    },
    async heldOffers() {
      return (
        db
          .prepare(
            `SELECT reference, received_at, hold_reason, json_extract(payload, '$.stadtteil') AS stadtteil, rooms
             FROM offers WHERE status = 'held' AND erased_at IS NULL ORDER BY received_at`,
          )
          .all() as Row[]
      ).map((r) => ({
        reference: String(r.reference),
        receivedAt: String(r.received_at),
        reason: (r.hold_reason as string | null) ?? null,
        stadtteil: (r.stadtteil as string | null) ?? null,
        rooms: r.rooms === null ? null : Number(r.rooms),
      }));
    },
    async releaseHeld(reference, deliveries, now) {
      return transaction(db, () => {
        const row = byReference.get(reference) as Row | undefined;
        if (!row || row.status !== 'held' || row.erased_at !== null) return 'not_held' as const;
        db.prepare(`UPDATE offers SET status = 'received' WHERE id = ?`).run(row.id);
        addJobs(Number(row.id), deliveries, now.toISOString());
        return 'released' as const;
      });
    },
    async purge({ offerCutoff, heldCutoff, now }) {
      const erased = transaction(db, () => {
        // Received offers whose every job is final, the last one before the cutoff; held offers
        // that nobody released in time.
        const rows = db
          .prepare(
            `SELECT o.id, o.reference, o.status FROM offers o
             WHERE o.erased_at IS NULL AND (
               (o.status = 'held' AND o.received_at < ?)
               OR (o.status = 'received'
                   AND NOT EXISTS (SELECT 1 FROM delivery_jobs j WHERE j.offer_id = o.id AND j.status = 'pending')
                   AND coalesce((SELECT max(j.finished_at) FROM delivery_jobs j WHERE j.offer_id = o.id), o.received_at) < ?))`,
          )
          .all(heldCutoff.toISOString(), offerCutoff.toISOString()) as Row[];
        const eraseOffer = db.prepare(
          `UPDATE offers SET payload = NULL, content_hash = NULL, routing_reason = '', erased_at = ? WHERE id = ?`,
        );
        // Addresses in the jobs are personal data too; webhook URLs and staff addresses are not.
        const eraseJobs = db.prepare(
          `UPDATE delivery_jobs SET target = CASE recipient_kind WHEN 'landlord' THEN '' ELSE target END,
                  last_error = NULL WHERE offer_id = ?`,
        );
        for (const r of rows) {
          eraseOffer.run(now.toISOString(), r.id);
          eraseJobs.run(r.id);
        }
        return rows;
      });
      if (erased.length > 0) {
        // The WAL still holds the pages as they were before: write them back and empty it.
        db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      }
      return {
        erased: erased.length,
        heldErased: erased.filter((r) => r.status === 'held').length,
        references: erased.map((r) => String(r.reference)),
      };
    },
    async marker(name) {
      const row = db.prepare('SELECT value FROM markers WHERE name = ?').get(name) as Row | undefined;
      return row ? String(row.value) : undefined;
    },
    async setMarker(name, value) {
      db.prepare(
        'INSERT INTO markers (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      ).run(name, value);
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (workerDb?.isOpen) workerDb.close();
      if (db.isOpen) db.close();
    },
  };
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
