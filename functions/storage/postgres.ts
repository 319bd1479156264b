import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import type { Offer } from '../../src/schemas/offer.ts';
import { endStages, type Actor, type EventAction, type Stage } from '../lifecycle/model.ts';
import { newReference } from '../offers/reference.ts';
import { loadMigrations, type Migration } from './migrations.ts';
import type {
  ClaimedJob,
  DeliveryQueue,
  DeliveryTarget,
  JobResult,
  OfferEvent,
  OfferStatus,
  OfferStore,
  StoredOffer,
} from './types.ts';

/**
 * The storage engine for several instances: PostgreSQL (`DATABASE_URL=postgres://…`), through
 * postgres.js. Same interface and behaviour as the SQLite store (sqlite.ts); what differs is how
 * instances share the work:
 * - migrations run under a transaction-level advisory lock, so instances that start together
 *   apply each step once;
 * - a submission id is unique by constraint (INSERT … ON CONFLICT), not by read-then-write;
 * - jobs are claimed with `FOR UPDATE SKIP LOCKED` under a lease: any number of workers take
 *   disjoint jobs, and a dead worker's claims are taken over when its lease expires.
 */
type Sql = postgres.Sql;
type Row = Record<string, unknown>;

/** An arbitrary but fixed key for the migration lock (pg_advisory_xact_lock takes a bigint). */
const migrationLock = 7_310_420_118;

const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));
const isoOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : iso(value));

/**
 * Applies the migrations this database has not seen yet: all in one transaction, one instance at
 * a time. Returns how many; `onApplied` hears each name once the transaction has committed.
 * `migrations` are the built-in ones on Netlify (no migration files there), else the files.
 */
export async function migratePostgres(
  sql: Sql,
  migrations?: readonly Migration[],
  onApplied: (name: string) => void = () => {},
): Promise<number> {
  const names: string[] = [];
  const count = await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${migrationLock})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)`;
    const applied = new Set((await tx`SELECT version FROM schema_migrations`).map((r) => Number(r.version)));
    let count = 0;
    for (const step of migrations ?? loadMigrations('postgres')) {
      if (applied.has(step.version)) continue;
      await tx.unsafe(step.sql);
      await tx`INSERT INTO schema_migrations (version, applied_at) VALUES (${step.version}, now())`;
      names.push(step.name);
      count++;
    }
    return count;
  });
  names.forEach((name) => onApplied(name));
  return count;
}

/** `npm run migrate` on PostgreSQL: applies what is missing (safe beside running instances, see above). */
export async function migratePostgresUrl(url: string): Promise<{ applied: string[]; version: number }> {
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: 'auszugsmanagement-migrate' },
  });
  try {
    const applied: string[] = [];
    await migratePostgres(sql, undefined, (name) => applied.push(name));
    const [row] = await sql`SELECT max(version) AS version FROM schema_migrations`;
    return { applied, version: Number(row?.version ?? 0) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function toOffer(row: Row): StoredOffer {
  return {
    id: Number(row.id),
    reference: String(row.reference),
    submissionId: String(row.submission_id),
    receivedAt: iso(row.received_at),
    locale: String(row.locale),
    status: row.status as OfferStatus,
    holdReason: (row.hold_reason as string | null) ?? null,
    stadtbezirk: (row.stadtbezirk as string | null) ?? null,
    carrierId: (row.carrier_id as string | null) ?? null,
    routingReason: String(row.routing_reason),
    campaign: (row.campaign as string | null) ?? null,
    payload: (row.payload as Offer | null) ?? null,
    erasedAt: isoOrNull(row.erased_at),
    stage: (row.stage as Stage | null) ?? 'open',
    takenOnBy: (row.taken_on_by as string | null) ?? null,
    followUps: Number(row.follow_ups ?? 0),
    lastFollowUpAt: isoOrNull(row.last_follow_up_at),
    followUpAnswered: Number(row.follow_up_answered ?? 0),
    placedAt: isoOrNull(row.placed_at),
    aftercareRequestedAt: isoOrNull(row.aftercare_requested_at),
    endedAt: isoOrNull(row.ended_at),
  };
}

function toEvent(row: Row, prefix = ''): OfferEvent {
  return {
    id: Number(row[`${prefix}id`]),
    seq: Number(row[`${prefix}seq`]),
    at: iso(row[`${prefix}at`]),
    actor: row[`${prefix}actor`] as Actor,
    actorId: (row[`${prefix}actor_id`] as string | null) ?? null,
    action: row[`${prefix}action`] as EventAction,
    stage: (row[`${prefix}stage`] as Stage | null) ?? 'open',
    details: (row[`${prefix}details`] as OfferEvent['details'] | null) ?? {},
  };
}

/** Unique violation on a given constraint (a reference drawn twice: draw again). */
function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string };
  return e.code === '23505' && e.constraint_name === constraint;
}

export interface PostgresStoreOptions {
  /** Connections per instance. */
  max?: number;
  /**
   * The migrations, when the files beside this module are not there at run time (a bundled
   * serverless function carries them built in); read from migrations/postgres/ otherwise.
   */
  migrations?: readonly Migration[];
}

/** Connects, migrates, and returns the store. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<OfferStore> {
  const sql = postgres(url, {
    max: options.max ?? 10,
    transform: { undefined: null },
    onnotice: () => {},
    connection: { application_name: 'auszugsmanagement-portal' },
  });
  await migratePostgres(sql, options.migrations);
  const num = (value: unknown) => Number(value);

  const addJobs = async (
    tx: postgres.TransactionSql,
    offerId: number,
    eventId: number,
    deliveries: readonly DeliveryTarget[],
    at: Date,
  ) => {
    for (const d of deliveries) {
      await tx`
        INSERT INTO delivery_jobs (offer_id, event_id, channel, recipient_kind, recipient_id, target, next_attempt_at)
        VALUES (${offerId}, ${eventId}, ${d.channel}, ${d.recipientKind}, ${d.recipientId}, ${d.target}, ${at})
        ON CONFLICT (event_id, channel, recipient_kind, recipient_id) DO NOTHING`;
    }
  };

  const queue: DeliveryQueue = {
    async claim({ now, leaseMs, limit, worker }) {
      const rows = await sql`
        WITH due AS (
          SELECT id FROM delivery_jobs
          WHERE status = 'pending' AND next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now})
          ORDER BY next_attempt_at, id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        UPDATE delivery_jobs j
        SET lease_until = ${new Date(now.getTime() + leaseMs)}, claimed_by = ${worker}, attempts = j.attempts + 1
        FROM due, offers o, offer_events e
        WHERE j.id = due.id AND o.id = j.offer_id AND e.id = j.event_id
        RETURNING j.id, j.offer_id, j.channel, j.recipient_kind, j.recipient_id, j.target, j.attempts,
                  o.reference, o.received_at, o.locale, o.stadtbezirk, o.carrier_id, o.routing_reason, o.payload,
                  o.stage, o.taken_on_by, o.aftercare_comment, e.id AS e_id, e.seq AS e_seq, e.at AS e_at, e.actor AS e_actor,
                  e.actor_id AS e_actor_id, e.action AS e_action, e.details AS e_details, e.stage AS e_stage`;
      return rows
        .map((r): ClaimedJob => ({
          id: num(r.id),
          offerId: num(r.offer_id),
          channel: r.channel as ClaimedJob['channel'],
          recipientKind: r.recipient_kind as ClaimedJob['recipientKind'],
          recipientId: String(r.recipient_id),
          target: String(r.target),
          attempts: num(r.attempts),
          event: toEvent(r, 'e_'),
          offer: {
            stage: (r.stage as Stage | null) ?? 'open',
            takenOnBy: (r.taken_on_by as string | null) ?? null,
            reference: String(r.reference),
            receivedAt: iso(r.received_at),
            locale: String(r.locale),
            stadtbezirk: (r.stadtbezirk as string | null) ?? null,
            carrierId: (r.carrier_id as string | null) ?? null,
            routingReason: String(r.routing_reason),
            payload: (r.payload as Offer | null) ?? null,
            aftercareComment: (r.aftercare_comment as string | null) ?? null,
          },
        }))
        .sort((a, b) => a.id - b.id);
    },
    async record(results: readonly JobResult[]) {
      if (results.length === 0) return;
      await sql.begin(async (tx) => {
        for (const r of results) {
          if (r.state === 'delivered') {
            await tx`UPDATE delivery_jobs SET status = 'delivered', delivered_at = ${r.at}, finished_at = ${r.at},
                     lease_until = NULL, claimed_by = NULL, last_error = NULL WHERE id = ${r.id}`;
          } else if (r.state === 'retry') {
            await tx`UPDATE delivery_jobs SET next_attempt_at = ${r.nextAttemptAt}, lease_until = NULL, claimed_by = NULL,
                     last_error = ${r.detail} WHERE id = ${r.id}`;
          } else {
            await tx`UPDATE delivery_jobs SET status = 'dead', finished_at = ${r.at}, lease_until = NULL,
                     claimed_by = NULL, last_error = ${r.detail} WHERE id = ${r.id}`;
          }
        }
      });
    },
    async release(worker) {
      const result = await sql`
        UPDATE delivery_jobs SET lease_until = NULL, claimed_by = NULL, attempts = greatest(attempts - 1, 0)
        WHERE status = 'pending' AND claimed_by = ${worker}`;
      return result.count;
    },
    async dueCount(now) {
      const [row] = await sql`
        SELECT count(*) AS n FROM delivery_jobs
        WHERE status = 'pending' AND next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now})`;
      return num(row!.n);
    },
    async unalertedDead() {
      const rows = await sql`
        SELECT j.id, j.channel, j.recipient_kind, j.recipient_id, j.last_error, j.attempts, o.reference
        FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id
        WHERE j.status = 'dead' AND j.alerted_at IS NULL ORDER BY j.id`;
      return rows.map((r) => ({
        id: num(r.id),
        reference: String(r.reference),
        channel: r.channel as 'email' | 'webhook',
        recipientKind: r.recipient_kind as 'coordinator' | 'carrier' | 'landlord',
        recipientId: String(r.recipient_id),
        attempts: num(r.attempts),
        lastError: (r.last_error as string | null) ?? null,
      }));
    },
    async markAlerted(ids, at) {
      if (ids.length === 0) return;
      await sql`UPDATE delivery_jobs SET alerted_at = ${at} WHERE id = ANY(${sql.array([...ids])}::bigint[])`;
    },
    async counts() {
      const rows = await sql`
        SELECT status, channel, count(*) AS jobs FROM delivery_jobs GROUP BY status, channel ORDER BY status, channel`;
      return rows.map((r) => ({ status: r.status as 'pending', channel: r.channel as 'email', jobs: num(r.jobs) }));
    },
    async list(status, limit = 500) {
      const rows = await sql`
        SELECT j.id, o.reference, j.channel, j.recipient_kind, j.recipient_id, j.attempts, j.next_attempt_at,
               left(j.last_error, 80) AS last_error
        FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id WHERE j.status = ${status} ORDER BY j.id LIMIT ${limit}`;
      return rows.map((r) => ({
        id: num(r.id),
        reference: String(r.reference),
        channel: r.channel as 'email',
        recipient: r.recipient_kind as 'coordinator',
        who: String(r.recipient_id),
        attempts: num(r.attempts),
        nextAttempt: iso(r.next_attempt_at),
        lastError: (r.last_error as string | null) ?? null,
      }));
    },
    async retryDead(id, now) {
      const result =
        id === 'all'
          ? await sql`UPDATE delivery_jobs SET status = 'pending', attempts = 0, next_attempt_at = ${now},
                      alerted_at = NULL, finished_at = NULL WHERE status = 'dead'`
          : await sql`UPDATE delivery_jobs SET status = 'pending', attempts = 0, next_attempt_at = ${now},
                      alerted_at = NULL, finished_at = NULL WHERE status = 'dead' AND id = ${id}`;
      return result.count;
    },
    async health(now) {
      const [row] = await sql`
        SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
               count(*) FILTER (WHERE status = 'dead') AS dead,
               min(next_attempt_at) FILTER (WHERE status = 'pending') AS oldest
        FROM delivery_jobs`;
      const oldest = row!.oldest ? new Date(row!.oldest as string | Date).getTime() : undefined;
      return {
        pending: num(row!.pending),
        dead: num(row!.dead),
        oldestPendingSeconds: oldest === undefined ? 0 : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
      };
    },
  };

  return {
    engine: 'postgres',
    queue,
    async saveOffer(offer) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await sql.begin(async (tx) => {
            const { figures } = offer;
            const inserted = await tx`
              INSERT INTO offers (reference, submission_id, content_hash, received_at, locale, status, hold_reason,
                                  stadtbezirk, carrier_id, routing_reason, rooms, living_space, cold_rent, total_rent,
                                  campaign, payload)
              VALUES (${newReference()}, ${offer.submissionId}, ${offer.contentHash}, ${offer.receivedAt}, ${offer.locale},
                      ${offer.status}, ${offer.holdReason ?? null}, ${offer.stadtbezirk ?? null}, ${offer.carrierId ?? null},
                      ${offer.routingReason}, ${figures.rooms}, ${figures.livingSpace}, ${figures.coldRent},
                      ${figures.totalRent}, ${figures.campaign ?? null}, ${tx.json(offer.payload as unknown as postgres.JSONValue)})
              ON CONFLICT (submission_id) DO NOTHING
              RETURNING *`;
            if (inserted.length === 0) {
              // Another request (on this or another instance) stored this submission first.
              const [existing] = await tx`SELECT * FROM offers WHERE submission_id = ${offer.submissionId}`;
              const same = existing!.content_hash === null || existing!.content_hash === offer.contentHash;
              return { outcome: same ? 'duplicate' : 'conflict', offer: toOffer(existing!) } as const;
            }
            const row = inserted[0]!;
            const [event] = await tx`
              INSERT INTO offer_events (offer_id, seq, at, actor, action)
              VALUES (${row.id as number}, 1, ${offer.receivedAt}, 'landlord', 'submitted') RETURNING id`;
            if (offer.status === 'received') {
              await addJobs(tx, num(row.id), num(event!.id), offer.deliveries, offer.receivedAt);
            }
            return { outcome: 'created', offer: toOffer(row) } as const;
          });
        } catch (error) {
          // A reference drawn twice (1 in 5·10^11 per pair): draw again, a few times at most.
          if (attempt < 5 && isUniqueViolation(error, 'offers_reference_key')) continue;
          throw error;
        }
      }
    },
    async findByReference(reference) {
      const [row] = await sql`SELECT * FROM offers WHERE reference = ${reference}`;
      return row ? toOffer(row) : undefined;
    },
    async countOffers() {
      const [row] = await sql`SELECT count(*) AS n FROM offers`;
      return num(row!.n);
    },
    async jobsOf(offerId) {
      const rows = await sql`SELECT * FROM delivery_jobs WHERE offer_id = ${offerId} ORDER BY id`;
      return rows.map((r) => ({
        id: num(r.id),
        channel: r.channel as 'email',
        recipientKind: r.recipient_kind as 'coordinator',
        recipientId: String(r.recipient_id),
        target: String(r.target),
        status: r.status as 'pending',
        attempts: num(r.attempts),
      }));
    },
    async landlordConfirmationsSince(email, since) {
      const [row] = await sql`
        SELECT count(*) AS n FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id
        WHERE j.recipient_kind = 'landlord' AND lower(j.target) = lower(${email}) AND j.channel = 'email'
          AND o.received_at >= ${since}`;
      return num(row!.n);
    },
    async heldOffers() {
      const rows = await sql`
        SELECT reference, received_at, hold_reason, payload->>'stadtteil' AS stadtteil, rooms
        FROM offers WHERE status = 'held' AND erased_at IS NULL ORDER BY received_at`;
      return rows.map((r) => ({
        reference: String(r.reference),
        receivedAt: iso(r.received_at),
        reason: (r.hold_reason as string | null) ?? null,
        stadtteil: (r.stadtteil as string | null) ?? null,
        rooms: r.rooms === null ? null : Number(r.rooms),
      }));
    },
    async releaseHeld(reference, deliveries, now) {
      return sql.begin(async (tx) => {
        const [row] = await tx`
          UPDATE offers SET status = 'received'
          WHERE reference = ${reference} AND status = 'held' AND erased_at IS NULL
          RETURNING id`;
        if (!row) return 'not_held' as const;
        const [event] = await tx`SELECT id FROM offer_events WHERE offer_id = ${row.id as number} AND seq = 1`;
        await addJobs(tx, num(row.id), num(event!.id), deliveries, now);
        return 'released' as const;
      });
    },
    async purge({ offerCutoff, heldCutoff, now }) {
      const erased = await sql.begin(async (tx) => {
        const rows = await tx`
          UPDATE offers o SET payload = NULL, content_hash = NULL, routing_reason = '', aftercare_comment = NULL,
                 erased_at = ${now}
          WHERE o.erased_at IS NULL AND (
            (o.status = 'held' AND o.received_at < ${heldCutoff})
            OR (o.status = 'received' AND (o.stage = 'withdrawn' OR o.ended_at < ${offerCutoff})
                AND NOT EXISTS (SELECT 1 FROM delivery_jobs j WHERE j.offer_id = o.id AND j.status = 'pending')))
          RETURNING o.id, o.reference, o.status`;
        if (rows.length > 0) {
          // Addresses in the jobs are personal data too; webhook URLs and staff addresses are not.
          await tx`
            UPDATE delivery_jobs SET target = CASE recipient_kind WHEN 'landlord' THEN '' ELSE target END,
                   last_error = NULL
            WHERE offer_id = ANY(${sql.array(rows.map((r) => num(r.id)))}::bigint[])`;
        }
        return rows;
      });
      if (erased.length > 0) {
        // Old row versions keep the data until VACUUM reclaims them; do not wait for autovacuum.
        await sql`VACUUM offers, delivery_jobs`;
      }
      return {
        erased: erased.length,
        heldErased: erased.filter((r) => r.status === 'held').length,
        references: erased.map((r) => String(r.reference)).sort(),
      };
    },
    async campaignCounts(from, to) {
      const rows = await sql`
        SELECT campaign, count(*) AS offers FROM offers
        WHERE status <> 'held' AND received_at >= ${from} AND received_at < ${to}
        GROUP BY campaign ORDER BY offers DESC, campaign NULLS LAST`;
      return rows.map((r) => ({ campaign: (r.campaign as string | null) ?? null, offers: num(r.offers) }));
    },
    async applyEvent(input) {
      const fx = input.effects ?? {};
      const ended = input.to !== undefined && endStages.has(input.to);
      const now = input.now;
      const result = await sql.begin(async (tx) => {
        const [row] = await tx`
          UPDATE offers SET
            stage = coalesce(${input.to ?? null}, stage), event_seq = event_seq + 1, transition_token = ${randomUUID()},
            taken_on_by = coalesce(${fx.takenOnBy ?? null}, taken_on_by),
            placed_at = CASE WHEN ${fx.placed ?? false} THEN ${now}::timestamptz ELSE placed_at END,
            follow_ups = follow_ups + ${fx.followUpSent ? 1 : 0},
            last_follow_up_at = CASE WHEN ${fx.followUpSent ?? false} THEN ${now}::timestamptz ELSE last_follow_up_at END,
            follow_up_answered = coalesce(${input.answersFollowUp ?? null}::integer, follow_up_answered),
            aftercare_requested_at = CASE WHEN ${fx.aftercareRequested ?? false} THEN ${now}::timestamptz
                                          ELSE aftercare_requested_at END,
            aftercare_comment = coalesce(${fx.aftercareComment ?? null}, aftercare_comment),
            ended_at = CASE WHEN ${ended} THEN ${now}::timestamptz WHEN ${input.to !== undefined && !ended} THEN NULL
                            ELSE ended_at END
          WHERE reference = ${input.reference} AND status = 'received' AND erased_at IS NULL
            AND stage = ANY(${sql.array([...input.from])}::text[])
            AND (${input.answersFollowUp ?? null}::integer IS NULL OR follow_up_answered < ${input.answersFollowUp ?? 0})
          RETURNING id, event_seq, stage`;
        if (!row) return undefined;
        const [event] = await tx`
          INSERT INTO offer_events (offer_id, seq, at, actor, actor_id, action, details, stage)
          VALUES (${row.id as number}, ${row.event_seq as number}, ${now}, ${input.actor}, ${input.actorId ?? null},
                  ${input.action}, ${tx.json((input.details ?? {}) as postgres.JSONValue)}, ${row.stage as string})
          RETURNING *`;
        await addJobs(tx, num(row.id), num(event!.id), input.deliveries, now);
        return event!;
      });
      const [offerRow] = await sql`SELECT * FROM offers WHERE reference = ${input.reference}`;
      if (!offerRow) return { outcome: 'unknown' };
      if (!result) return { outcome: 'not_allowed', offer: toOffer(offerRow) };
      return { outcome: 'done', event: toEvent(result), offer: toOffer(offerRow) };
    },
    async eventsOf(offerId) {
      return (await sql`SELECT * FROM offer_events WHERE offer_id = ${offerId} ORDER BY seq`).map((r) => toEvent(r));
    },
    async lifecycleDue({ now, followUpIntervalMs, maxFollowUps, aftercareAfterMs, aftercareAnswerMs, limit }) {
      const before = (ms: number) => new Date(now.getTime() - ms);
      const rows = async (query: Promise<Row[]>) => (await query).map(toOffer);
      return {
        followUp: await rows(sql`
          SELECT * FROM offers WHERE status = 'received' AND erased_at IS NULL AND stage = 'open'
            AND follow_ups < ${maxFollowUps} AND coalesce(last_follow_up_at, received_at) <= ${before(followUpIntervalMs)}
          ORDER BY id LIMIT ${limit}`),
        // Unanswered after the last question: one interval later; confirmed: as long again as the questions took.
        stale: await rows(sql`
          SELECT * FROM offers WHERE status = 'received' AND erased_at IS NULL AND stage = 'open'
            AND follow_ups >= ${maxFollowUps} AND last_follow_up_at <= ${before(followUpIntervalMs)}
            AND (follow_up_answered < follow_ups OR last_follow_up_at <= ${before(followUpIntervalMs * (maxFollowUps + 1))})
          ORDER BY id LIMIT ${limit}`),
        aftercare: await rows(sql`
          SELECT * FROM offers WHERE status = 'received' AND erased_at IS NULL AND stage = 'placed'
            AND aftercare_requested_at IS NULL AND placed_at <= ${before(aftercareAfterMs)}
          ORDER BY id LIMIT ${limit}`),
        aftercareExpired: await rows(sql`
          SELECT * FROM offers WHERE status = 'received' AND erased_at IS NULL AND stage = 'placed'
            AND aftercare_requested_at <= ${before(aftercareAnswerMs)}
          ORDER BY id LIMIT ${limit}`),
      };
    },
    async reportData(from, to) {
      const offers = await sql`
        SELECT id, received_at, status, stage, stadtbezirk, carrier_id, taken_on_by, campaign FROM offers
        WHERE received_at >= ${from} AND received_at < ${to} ORDER BY id`;
      const events = await sql`
        SELECT e.offer_id, e.at, e.actor, e.actor_id, e.action, e.details FROM offer_events e
        JOIN offers o ON o.id = e.offer_id WHERE o.received_at >= ${from} AND o.received_at < ${to}
        ORDER BY e.offer_id, e.seq`;
      return {
        offers: offers.map((o) => ({
          id: num(o.id),
          receivedAt: iso(o.received_at),
          status: o.status as OfferStatus,
          stage: (o.stage as Stage | null) ?? 'open',
          stadtbezirk: (o.stadtbezirk as string | null) ?? null,
          carrierId: (o.carrier_id as string | null) ?? null,
          takenOnBy: (o.taken_on_by as string | null) ?? null,
          campaign: (o.campaign as string | null) ?? null,
        })),
        events: events.map((e) => ({
          offerId: num(e.offer_id),
          at: iso(e.at),
          actor: e.actor as Actor,
          actorId: (e.actor_id as string | null) ?? null,
          action: e.action as EventAction,
          details: (e.details as Record<string, string | number | boolean> | null) ?? {},
        })),
      };
    },
    async marker(name) {
      const [row] = await sql`SELECT value FROM markers WHERE name = ${name}`;
      return row ? String(row.value) : undefined;
    },
    async setMarker(name, value) {
      await sql`INSERT INTO markers (name, value) VALUES (${name}, ${value})
                ON CONFLICT (name) DO UPDATE SET value = excluded.value`;
    },
    async swapMarker(name, expected, value) {
      const rows =
        expected === undefined
          ? await sql`INSERT INTO markers (name, value) VALUES (${name}, ${value})
                      ON CONFLICT (name) DO NOTHING RETURNING name`
          : await sql`UPDATE markers SET value = ${value}
                      WHERE name = ${name} AND value = ${expected} RETURNING name`;
      return rows.length === 1;
    },
    async ping() {
      await sql`SELECT 1`;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
