import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { newReference } from './reference.ts';

/**
 * Durable storage of offers and their delivery jobs: one SQLite file (Node's built-in
 * `node:sqlite`, no native build), WAL journal, `synchronous=FULL` so a commit is on disk before
 * the landlord is told "received". Schema changes are numbered migrations in this file.
 */

/** Versioned schema migrations. Append only: a released step is never edited. */
export const migrations: Array<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE offers (
        id             INTEGER PRIMARY KEY,
        reference      TEXT NOT NULL UNIQUE,
        submission_id  TEXT NOT NULL UNIQUE,
        received_at    TEXT NOT NULL,
        locale         TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('received', 'spam')),
        spam_reason    TEXT,
        stadtbezirk    TEXT,
        carrier_id     TEXT,
        routing_reason TEXT NOT NULL,
        payload        TEXT NOT NULL
      );
      CREATE TABLE delivery_jobs (
        id              INTEGER PRIMARY KEY,
        offer_id        INTEGER NOT NULL REFERENCES offers (id),
        channel         TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
        recipient_kind  TEXT NOT NULL CHECK (recipient_kind IN ('coordinator', 'carrier', 'landlord')),
        recipient_id    TEXT NOT NULL,
        target          TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        lease_until     TEXT,
        last_error      TEXT,
        delivered_at    TEXT,
        UNIQUE (offer_id, channel, recipient_kind, recipient_id)
      );
      CREATE INDEX delivery_jobs_due ON delivery_jobs (status, next_attempt_at);
    `,
  },
  {
    // The coordinator gets one alert per batch of dead jobs; this remembers which were reported.
    version: 2,
    sql: `ALTER TABLE delivery_jobs ADD COLUMN alerted_at TEXT;`,
  },
];

export interface DeliveryTarget {
  channel: 'email' | 'webhook';
  recipientKind: 'coordinator' | 'carrier' | 'landlord';
  /** Who: 'coordinator', the carrier id, or 'landlord'. */
  recipientId: string;
  /** Where: an e-mail address or a webhook URL. */
  target: string;
}

export interface NewOffer {
  submissionId: string;
  locale: string;
  receivedAt: Date;
  status: 'received' | 'spam';
  spamReason?: string;
  stadtbezirk?: string;
  carrierId?: string;
  routingReason: string;
  payload: unknown;
  /** Jobs to create in the same transaction; ignored for spam. */
  deliveries: DeliveryTarget[];
}

export interface StoredOffer {
  id: number;
  reference: string;
  submissionId: string;
  receivedAt: string;
  locale: string;
  status: 'received' | 'spam';
  spamReason: string | null;
  stadtbezirk: string | null;
  carrierId: string | null;
  routingReason: string;
  payload: unknown;
}

export interface OfferStore {
  /** Stores the offer once per submission id; `created` is false when it was already there. */
  saveOffer(offer: NewOffer): { offer: StoredOffer; created: boolean };
  findByReference(reference: string): StoredOffer | undefined;
  findBySubmissionId(submissionId: string): StoredOffer | undefined;
  deliveryJobs(offerId: number): Array<DeliveryTarget & { id: number; status: string }>;
  countOffers(): number;
  close(): void;
  readonly db: DatabaseSync;
}

type Row = Record<string, string | number | null>;

function toOffer(row: Row): StoredOffer {
  return {
    id: Number(row.id),
    reference: String(row.reference),
    submissionId: String(row.submission_id),
    receivedAt: String(row.received_at),
    locale: String(row.locale),
    status: row.status as StoredOffer['status'],
    spamReason: (row.spam_reason as string | null) ?? null,
    stadtbezirk: (row.stadtbezirk as string | null) ?? null,
    carrierId: (row.carrier_id as string | null) ?? null,
    routingReason: String(row.routing_reason),
    payload: JSON.parse(String(row.payload)),
  };
}

/** Applies the migrations that this database has not seen yet, each in its own transaction. */
export function migrate(db: DatabaseSync): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => Number(r.version)),
  );
  let count = 0;
  for (const step of migrations) {
    if (applied.has(step.version)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(step.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        step.version,
        new Date().toISOString(),
      );
      db.exec('COMMIT');
      count++;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return count;
}

/**
 * A second connection for the delivery worker's bookkeeping. `synchronous = NORMAL` in WAL mode
 * survives a crashed process and only a power cut can take back the last "delivered" marks,
 * which then means a duplicate, never a loss; it keeps the worker's writes from holding up the
 * intake's fully synced commits.
 */
export function openDeliveryConnection(dataDir: string): DatabaseSync {
  const db = new DatabaseSync(join(dataDir, 'offers.sqlite'), { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}

/** Opens (and creates, and migrates) the offer database in `dataDir`. */
export function openOfferStore(dataDir: string): OfferStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, 'offers.sqlite'), { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL');
  // FULL: the commit is fsynced before we answer, so a power cut cannot take back a "received".
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  migrate(db);

  const insertOffer = db.prepare(`
    INSERT INTO offers (reference, submission_id, received_at, locale, status, spam_reason, stadtbezirk, carrier_id, routing_reason, payload)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (submission_id) DO NOTHING`);
  const referenceTaken = db.prepare('SELECT 1 FROM offers WHERE reference = ?');
  const insertJob = db.prepare(`
    INSERT INTO delivery_jobs (offer_id, channel, recipient_kind, recipient_id, target, next_attempt_at)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const bySubmission = db.prepare('SELECT * FROM offers WHERE submission_id = ?');
  const byReference = db.prepare('SELECT * FROM offers WHERE reference = ?');
  const jobsOf = db.prepare('SELECT * FROM delivery_jobs WHERE offer_id = ? ORDER BY id');

  return {
    db,
    saveOffer(offer) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const existing = bySubmission.get(offer.submissionId) as Row | undefined;
        if (existing) {
          db.exec('COMMIT');
          return { offer: toOffer(existing), created: false };
        }
        let reference = newReference();
        while (referenceTaken.get(reference)) reference = newReference();
        const receivedAt = offer.receivedAt.toISOString();
        const result = insertOffer.run(
          reference,
          offer.submissionId,
          receivedAt,
          offer.locale,
          offer.status,
          offer.spamReason ?? null,
          offer.stadtbezirk ?? null,
          offer.carrierId ?? null,
          offer.routingReason,
          JSON.stringify(offer.payload),
        );
        const offerId = Number(result.lastInsertRowid);
        if (offer.status === 'received') {
          for (const d of offer.deliveries)
            insertJob.run(offerId, d.channel, d.recipientKind, d.recipientId, d.target, receivedAt);
        }
        db.exec('COMMIT');
        return { offer: toOffer(byReference.get(reference) as Row), created: true };
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    findByReference(reference) {
      const row = byReference.get(reference) as Row | undefined;
      return row ? toOffer(row) : undefined;
    },
    findBySubmissionId(submissionId) {
      const row = bySubmission.get(submissionId) as Row | undefined;
      return row ? toOffer(row) : undefined;
    },
    deliveryJobs(offerId) {
      return (jobsOf.all(offerId) as Row[]).map((r) => ({
        id: Number(r.id),
        channel: r.channel as DeliveryTarget['channel'],
        recipientKind: r.recipient_kind as DeliveryTarget['recipientKind'],
        recipientId: String(r.recipient_id),
        target: String(r.target),
        status: String(r.status),
      }));
    },
    countOffers() {
      return Number((db.prepare('SELECT count(*) AS n FROM offers').get() as Row).n);
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}
