import { randomUUID } from 'node:crypto';
import type { Offer } from '../../src/schemas/offer.ts';
import { endStages, type Actor, type EventAction, type Stage } from '../lifecycle/model.ts';
import { newReference } from '../offers/reference.ts';
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
 * The store in the SQLite dialect, over a small asynchronous driver: Node's `node:sqlite` file
 * (sqlite.ts) and Cloudflare's D1 (d1.ts) run the very same statements. D1 has no interactive
 * transactions, only atomic batches, so every write that must be atomic is one batch of
 * statements that need no decision in between (an INSERT … SELECT that only inserts when the
 * previous statement did its part, an UPDATE … WHERE that only matches once).
 */
export type SqlValue = string | number | null;
export interface Statement {
  sql: string;
  params?: readonly SqlValue[];
}
export type Row = Record<string, SqlValue>;

export interface SqliteDriver {
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  get(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Runs the statements atomically, in order; returns each one's rows (RETURNING) and changes. */
  batch(statements: readonly Statement[]): Promise<Array<{ rows: Row[]; changes: number }>>;
}

export interface SqliteStoreParts {
  engine: 'sqlite' | 'd1';
  /** The intake's connection (fully synced commits in node:sqlite). */
  main: SqliteDriver;
  /** The worker's bookkeeping (node:sqlite: a second connection; D1: the same binding). */
  queue: SqliteDriver;
  /** Work after a purge that erased something (node:sqlite: empty the WAL). */
  afterErasure?: () => Promise<void>;
  close(): Promise<void>;
}

const str = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

function toOffer(row: Row): StoredOffer {
  return {
    id: Number(row.id),
    reference: String(row.reference),
    submissionId: String(row.submission_id),
    receivedAt: String(row.received_at),
    locale: String(row.locale),
    status: row.status as OfferStatus,
    holdReason: str(row.hold_reason),
    stadtbezirk: str(row.stadtbezirk),
    carrierId: str(row.carrier_id),
    routingReason: String(row.routing_reason),
    payload: row.payload === null ? null : (JSON.parse(String(row.payload)) as Offer),
    erasedAt: str(row.erased_at),
    stage: (row.stage as Stage | null) ?? 'open',
    takenOnBy: str(row.taken_on_by),
    followUps: Number(row.follow_ups ?? 0),
    lastFollowUpAt: str(row.last_follow_up_at),
    followUpAnswered: Number(row.follow_up_answered ?? 0),
    placedAt: str(row.placed_at),
    aftercareRequestedAt: str(row.aftercare_requested_at),
    endedAt: str(row.ended_at),
  };
}

function toEvent(row: Row, prefix = ''): OfferEvent {
  return {
    id: Number(row[`${prefix}id`]),
    seq: Number(row[`${prefix}seq`]),
    at: String(row[`${prefix}at`]),
    actor: row[`${prefix}actor`] as Actor,
    actorId: str(row[`${prefix}actor_id`]),
    action: row[`${prefix}action`] as EventAction,
    stage: (row[`${prefix}stage`] as Stage | null) ?? 'open',
    details: JSON.parse(String(row[`${prefix}details`] ?? '{}')) as OfferEvent['details'],
  };
}

/**
 * One INSERT per delivery that adds the job to the event matching `where` (an alias `e` for the
 * event, `o` for its offer), so that a batch can add jobs to an event an earlier statement of the
 * same batch wrote, or to none when that statement did nothing.
 */
function jobInserts(
  where: { sql: string; params: readonly SqlValue[] },
  deliveries: readonly DeliveryTarget[],
  at: string,
) {
  return deliveries.map((d): Statement => ({
    sql: `INSERT INTO delivery_jobs (offer_id, event_id, channel, recipient_kind, recipient_id, target, next_attempt_at)
            SELECT e.offer_id, e.id, ?, ?, ?, ?, ? FROM offer_events e JOIN offers o ON o.id = e.offer_id
            WHERE ${where.sql}
            ON CONFLICT (event_id, channel, recipient_kind, recipient_id) DO NOTHING`,
    params: [d.channel, d.recipientKind, d.recipientId, d.target, at, ...where.params],
  }));
}

/** A reference drawn twice (1 in 5·10^11 per pair) violates its UNIQUE constraint. */
const isReferenceCollision = (error: unknown) => /UNIQUE constraint failed: offers\.reference/.test(String(error));

export function createSqliteStore(parts: SqliteStoreParts): OfferStore {
  const { main, queue: q } = parts;

  const queue: DeliveryQueue = {
    async claim({ now, leaseMs, limit, worker }) {
      const t = now.toISOString();
      const jobs = await q.all(
        `UPDATE delivery_jobs SET lease_until = ?, claimed_by = ?, attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM delivery_jobs
           WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
           ORDER BY next_attempt_at, id LIMIT ?)
         RETURNING id, offer_id, event_id, channel, recipient_kind, recipient_id, target, attempts`,
        [new Date(now.getTime() + leaseMs).toISOString(), worker, t, t, limit],
      );
      if (jobs.length === 0) return [];
      const eventIds = [...new Set(jobs.map((j) => Number(j.event_id)))];
      const rows = new Map(
        (
          await q.all(
            `SELECT e.id AS e_id, e.seq AS e_seq, e.at AS e_at, e.actor AS e_actor, e.actor_id AS e_actor_id,
                    e.action AS e_action, e.details AS e_details, e.stage AS e_stage,
                    o.reference, o.received_at, o.locale, o.stadtbezirk, o.carrier_id, o.routing_reason, o.payload,
                    o.stage, o.taken_on_by, o.aftercare_comment
             FROM offer_events e JOIN offers o ON o.id = e.offer_id WHERE e.id IN (${eventIds.map(() => '?').join(',')})`,
            eventIds,
          )
        ).map((o) => [Number(o.e_id), o]),
      );
      return jobs
        .map((r): ClaimedJob => {
          const o = rows.get(Number(r.event_id))!;
          return {
            id: Number(r.id),
            offerId: Number(r.offer_id),
            channel: r.channel as ClaimedJob['channel'],
            recipientKind: r.recipient_kind as ClaimedJob['recipientKind'],
            recipientId: String(r.recipient_id),
            target: String(r.target),
            attempts: Number(r.attempts),
            event: toEvent(o, 'e_'),
            offer: {
              stage: (o.stage as Stage | null) ?? 'open',
              takenOnBy: str(o.taken_on_by),
              reference: String(o.reference),
              receivedAt: String(o.received_at),
              locale: String(o.locale),
              stadtbezirk: str(o.stadtbezirk),
              carrierId: str(o.carrier_id),
              routingReason: String(o.routing_reason),
              payload: o.payload === null ? null : (JSON.parse(String(o.payload)) as Offer),
              aftercareComment: str(o.aftercare_comment),
            },
          };
        })
        .sort((a, b) => a.id - b.id);
    },
    async record(results: readonly JobResult[]) {
      if (results.length === 0) return;
      // One batch: one disk sync for the whole batch of outcomes, not one per job.
      await q.batch(
        results.map((r) =>
          r.state === 'delivered'
            ? {
                sql: `UPDATE delivery_jobs SET status = 'delivered', delivered_at = ?, finished_at = ?, lease_until = NULL,
                      claimed_by = NULL, last_error = NULL WHERE id = ?`,
                params: [r.at.toISOString(), r.at.toISOString(), r.id],
              }
            : r.state === 'retry'
              ? {
                  sql: `UPDATE delivery_jobs SET next_attempt_at = ?, lease_until = NULL, claimed_by = NULL, last_error = ?
                        WHERE id = ?`,
                  params: [r.nextAttemptAt.toISOString(), r.detail, r.id],
                }
              : {
                  sql: `UPDATE delivery_jobs SET status = 'dead', finished_at = ?, lease_until = NULL, claimed_by = NULL,
                        last_error = ? WHERE id = ?`,
                  params: [r.at.toISOString(), r.detail, r.id],
                },
        ),
      );
    },
    async release(worker) {
      const { changes } = await q.run(
        `UPDATE delivery_jobs SET lease_until = NULL, claimed_by = NULL, attempts = max(attempts - 1, 0)
         WHERE status = 'pending' AND claimed_by = ?`,
        [worker],
      );
      return changes;
    },
    async dueCount(now) {
      const t = now.toISOString();
      const row = await q.get(
        `SELECT count(*) AS n FROM delivery_jobs
         WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)`,
        [t, t],
      );
      return Number(row?.n ?? 0);
    },
    async unalertedDead() {
      const rows = await q.all(
        `SELECT j.id, j.channel, j.recipient_kind, j.recipient_id, j.last_error, j.attempts, o.reference
         FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id
         WHERE j.status = 'dead' AND j.alerted_at IS NULL ORDER BY j.id`,
      );
      return rows.map((r) => ({
        id: Number(r.id),
        reference: String(r.reference),
        channel: r.channel as 'email' | 'webhook',
        recipientKind: r.recipient_kind as 'coordinator' | 'carrier' | 'landlord',
        recipientId: String(r.recipient_id),
        attempts: Number(r.attempts),
        lastError: str(r.last_error),
      }));
    },
    async markAlerted(ids, at) {
      if (ids.length === 0) return;
      await q.batch(
        ids.map((id) => ({
          sql: 'UPDATE delivery_jobs SET alerted_at = ? WHERE id = ?',
          params: [at.toISOString(), id],
        })),
      );
    },
    async counts() {
      const rows = await main.all(
        'SELECT status, channel, count(*) AS jobs FROM delivery_jobs GROUP BY status, channel ORDER BY status, channel',
      );
      return rows.map((r) => ({ status: r.status as 'pending', channel: r.channel as 'email', jobs: Number(r.jobs) }));
    },
    async list(status, limit = 500) {
      const rows = await main.all(
        `SELECT j.id, o.reference, j.channel, j.recipient_kind, j.recipient_id, j.attempts, j.next_attempt_at,
                substr(j.last_error, 1, 80) AS last_error
         FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id WHERE j.status = ? ORDER BY j.id LIMIT ?`,
        [status, limit],
      );
      return rows.map((r) => ({
        id: Number(r.id),
        reference: String(r.reference),
        channel: r.channel as 'email',
        recipient: r.recipient_kind as 'coordinator',
        who: String(r.recipient_id),
        attempts: Number(r.attempts),
        nextAttempt: String(r.next_attempt_at),
        lastError: str(r.last_error),
      }));
    },
    async retryDead(id, now) {
      const sql = `UPDATE delivery_jobs SET status = 'pending', attempts = 0, next_attempt_at = ?, alerted_at = NULL,
                   finished_at = NULL WHERE status = 'dead'`;
      const { changes } =
        id === 'all'
          ? await main.run(sql, [now.toISOString()])
          : await main.run(`${sql} AND id = ?`, [now.toISOString(), id]);
      return changes;
    },
    async health(now) {
      const row = await main.get(
        `SELECT sum(status = 'pending') AS pending, sum(status = 'dead') AS dead,
                min(CASE WHEN status = 'pending' THEN next_attempt_at END) AS oldest
         FROM delivery_jobs`,
      );
      const oldest = row?.oldest ? Date.parse(String(row.oldest)) : undefined;
      return {
        pending: Number(row?.pending ?? 0),
        dead: Number(row?.dead ?? 0),
        oldestPendingSeconds: oldest === undefined ? 0 : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
      };
    },
  };

  async function byReference(reference: string) {
    const row = await main.get('SELECT * FROM offers WHERE reference = ?', [reference]);
    return row ? toOffer(row) : undefined;
  }

  return {
    engine: parts.engine,
    queue,
    async saveOffer(offer) {
      const receivedAt = offer.receivedAt.toISOString();
      const { figures } = offer;
      for (let attempt = 0; ; attempt++) {
        const reference = newReference();
        const token = randomUUID();
        try {
          // The offer only if its submission id is new; its jobs only if the row is ours.
          await main.batch([
            {
              sql: `INSERT INTO offers (reference, submission_id, content_hash, received_at, locale, status, hold_reason,
                                        stadtbezirk, carrier_id, routing_reason, rooms, living_space, cold_rent, total_rent, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (submission_id) DO NOTHING`,
              params: [
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
              ],
            },
            // Event 1, the submission: only for the row this batch wrote.
            {
              sql: `INSERT INTO offer_events (offer_id, seq, at, actor, action, token)
                    SELECT id, 1, ?, 'landlord', 'submitted', ? FROM offers WHERE submission_id = ? AND reference = ?`,
              params: [receivedAt, token, offer.submissionId, reference],
            },
            ...jobInserts(
              { sql: `e.token = ? AND o.status = 'received'`, params: [token] },
              offer.deliveries,
              receivedAt,
            ),
          ]);
          const row = (await main.get('SELECT * FROM offers WHERE submission_id = ?', [offer.submissionId]))!;
          if (row.reference === reference) return { outcome: 'created', offer: toOffer(row) } as const;
          const same = row.content_hash === null || row.content_hash === offer.contentHash;
          return { outcome: same ? 'duplicate' : 'conflict', offer: toOffer(row) } as const;
        } catch (error) {
          if (attempt < 5 && isReferenceCollision(error)) continue;
          throw error;
        }
      }
    },
    findByReference: byReference,
    async countOffers() {
      return Number((await main.get('SELECT count(*) AS n FROM offers'))?.n ?? 0);
    },
    async jobsOf(offerId) {
      const rows = await main.all('SELECT * FROM delivery_jobs WHERE offer_id = ? ORDER BY id', [offerId]);
      return rows.map((r) => ({
        id: Number(r.id),
        channel: r.channel as 'email',
        recipientKind: r.recipient_kind as 'coordinator',
        recipientId: String(r.recipient_id),
        target: String(r.target),
        status: r.status as 'pending',
        attempts: Number(r.attempts),
      }));
    },
    async landlordConfirmationsSince(email, since) {
      const row = await main.get(
        `SELECT count(*) AS n FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id
         WHERE j.recipient_kind = 'landlord' AND j.target = ? COLLATE NOCASE AND j.channel = 'email'
           AND o.received_at >= ?`,
        [email, since.toISOString()],
      );
      return Number(row?.n ?? 0);
    },
    async heldOffers() {
      const rows = await main.all(
        `SELECT reference, received_at, hold_reason, json_extract(payload, '$.stadtteil') AS stadtteil, rooms
         FROM offers WHERE status = 'held' AND erased_at IS NULL ORDER BY received_at`,
      );
      return rows.map((r) => ({
        reference: String(r.reference),
        receivedAt: String(r.received_at),
        reason: str(r.hold_reason),
        stadtteil: str(r.stadtteil),
        rooms: r.rooms === null ? null : Number(r.rooms),
      }));
    },
    async releaseHeld(reference, deliveries, now) {
      // The status change matches once. The jobs go to released offers only (held ones keep their
      // hold reason as history); a second release adds nothing (one job per recipient and channel).
      const [released] = await main.batch([
        {
          sql: `UPDATE offers SET status = 'received' WHERE reference = ? AND status = 'held' AND erased_at IS NULL`,
          params: [reference],
        },
        ...jobInserts(
          {
            sql: `o.reference = ? AND e.seq = 1 AND o.status = 'received' AND o.hold_reason IS NOT NULL`,
            params: [reference],
          },
          deliveries,
          now.toISOString(),
        ),
      ]);
      return released!.changes > 0 ? ('released' as const) : ('not_held' as const);
    },
    async purge({ offerCutoff, heldCutoff, now }) {
      const at = now.toISOString();
      const [erased] = await main.batch([
        // Offers whose life ended before the cutoff (withdrawn ones at once) and whose every
        // delivery is final; held offers that nobody released in time.
        {
          sql: `UPDATE offers SET payload = NULL, content_hash = NULL, routing_reason = '', aftercare_comment = NULL,
                       erased_at = ?
                WHERE erased_at IS NULL AND (
                  (status = 'held' AND received_at < ?)
                  OR (status = 'received' AND (stage = 'withdrawn' OR ended_at < ?)
                      AND NOT EXISTS (SELECT 1 FROM delivery_jobs j WHERE j.offer_id = offers.id AND j.status = 'pending')))
                RETURNING id, reference, status`,
          params: [at, heldCutoff.toISOString(), offerCutoff.toISOString()],
        },
        // Addresses in the jobs are personal data too; webhook URLs and staff addresses are not.
        {
          sql: `UPDATE delivery_jobs SET target = CASE recipient_kind WHEN 'landlord' THEN '' ELSE target END,
                       last_error = NULL
                WHERE offer_id IN (SELECT id FROM offers WHERE erased_at = ?)`,
          params: [at],
        },
      ]);
      const rows = erased!.rows;
      if (rows.length > 0) await parts.afterErasure?.();
      return {
        erased: rows.length,
        heldErased: rows.filter((r) => r.status === 'held').length,
        references: rows.map((r) => String(r.reference)).sort(),
      };
    },
    async applyEvent(input) {
      const at = input.now.toISOString();
      const token = randomUUID();
      const fx = input.effects ?? {};
      const ended = input.to !== undefined && endStages.has(input.to);
      // Back from an end (a stale offer taken on after all): its life goes on, retention waits.
      const revived = input.to !== undefined && !ended;
      const stages = input.from.map(() => '?').join(',');
      const [change] = await main.batch([
        {
          sql: `UPDATE offers SET
                  stage = coalesce(?, stage), event_seq = event_seq + 1, transition_token = ?,
                  taken_on_by = coalesce(?, taken_on_by),
                  placed_at = CASE WHEN ? THEN ? ELSE placed_at END,
                  follow_ups = follow_ups + ?,
                  last_follow_up_at = CASE WHEN ? THEN ? ELSE last_follow_up_at END,
                  follow_up_answered = coalesce(?, follow_up_answered),
                  aftercare_requested_at = CASE WHEN ? THEN ? ELSE aftercare_requested_at END,
                  aftercare_comment = coalesce(?, aftercare_comment),
                  ended_at = CASE WHEN ? THEN ? WHEN ? THEN NULL ELSE ended_at END
                WHERE reference = ? AND status = 'received' AND erased_at IS NULL AND stage IN (${stages})
                  ${input.answersFollowUp === undefined ? '' : 'AND follow_up_answered < ?'}`,
          params: [
            input.to ?? null,
            token,
            fx.takenOnBy ?? null,
            fx.placed ? 1 : 0,
            at,
            fx.followUpSent ? 1 : 0,
            fx.followUpSent ? 1 : 0,
            at,
            input.answersFollowUp ?? null,
            fx.aftercareRequested ? 1 : 0,
            at,
            fx.aftercareComment ?? null,
            ended ? 1 : 0,
            at,
            revived ? 1 : 0,
            input.reference,
            ...input.from,
            ...(input.answersFollowUp === undefined ? [] : [input.answersFollowUp]),
          ],
        },
        {
          sql: `INSERT INTO offer_events (offer_id, seq, at, actor, actor_id, action, details, stage, token)
                SELECT id, event_seq, ?, ?, ?, ?, ?, stage, ? FROM offers WHERE transition_token = ?`,
          params: [
            at,
            input.actor,
            input.actorId ?? null,
            input.action,
            JSON.stringify(input.details ?? {}),
            token,
            token,
          ],
        },
        ...jobInserts({ sql: 'e.token = ?', params: [token] }, input.deliveries, at),
      ]);
      const offer = await byReference(input.reference);
      if (!offer) return { outcome: 'unknown' };
      if (change!.changes === 0) return { outcome: 'not_allowed', offer };
      const event = await main.get('SELECT * FROM offer_events WHERE token = ?', [token]);
      return { outcome: 'done', event: toEvent(event!), offer };
    },
    async eventsOf(offerId) {
      return (await main.all('SELECT * FROM offer_events WHERE offer_id = ? ORDER BY seq', [offerId])).map((r) =>
        toEvent(r),
      );
    },
    async lifecycleDue({ now, followUpIntervalMs, maxFollowUps, aftercareAfterMs, aftercareAnswerMs, limit }) {
      const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
      const open = `status = 'received' AND erased_at IS NULL AND stage = 'open'`;
      const select = async (where: string, params: SqlValue[]) =>
        (await main.all(`SELECT * FROM offers WHERE ${where} ORDER BY id LIMIT ?`, [...params, limit])).map(toOffer);
      return {
        followUp: await select(`${open} AND follow_ups < ? AND coalesce(last_follow_up_at, received_at) <= ?`, [
          maxFollowUps,
          before(followUpIntervalMs),
        ]),
        // Unanswered after the last question: one interval later. Confirmed after it: the offer
        // stays with staff as long again as all the questions took, then its life ends too.
        stale: await select(
          `${open} AND follow_ups >= ? AND last_follow_up_at <= ?
             AND (follow_up_answered < follow_ups OR last_follow_up_at <= ?)`,
          [maxFollowUps, before(followUpIntervalMs), before(followUpIntervalMs * (maxFollowUps + 1))],
        ),
        aftercare: await select(
          `status = 'received' AND erased_at IS NULL AND stage = 'placed' AND aftercare_requested_at IS NULL AND placed_at <= ?`,
          [before(aftercareAfterMs)],
        ),
        aftercareExpired: await select(
          `status = 'received' AND erased_at IS NULL AND stage = 'placed' AND aftercare_requested_at <= ?`,
          [before(aftercareAnswerMs)],
        ),
      };
    },
    async reportData(from, to) {
      const offers = await main.all(
        `SELECT id, received_at, status, stage, stadtbezirk, carrier_id, taken_on_by FROM offers
         WHERE received_at >= ? AND received_at < ? ORDER BY id`,
        [from.toISOString(), to.toISOString()],
      );
      const events = await main.all(
        `SELECT e.offer_id, e.at, e.actor, e.actor_id, e.action, e.details FROM offer_events e
         JOIN offers o ON o.id = e.offer_id WHERE o.received_at >= ? AND o.received_at < ? ORDER BY e.offer_id, e.seq`,
        [from.toISOString(), to.toISOString()],
      );
      return {
        offers: offers.map((o) => ({
          id: Number(o.id),
          receivedAt: String(o.received_at),
          status: o.status as OfferStatus,
          stage: (o.stage as Stage | null) ?? 'open',
          stadtbezirk: str(o.stadtbezirk),
          carrierId: str(o.carrier_id),
          takenOnBy: str(o.taken_on_by),
        })),
        events: events.map((e) => ({
          offerId: Number(e.offer_id),
          at: String(e.at),
          actor: e.actor as Actor,
          actorId: str(e.actor_id),
          action: e.action as EventAction,
          details: JSON.parse(String(e.details ?? '{}')) as Record<string, string | number | boolean>,
        })),
      };
    },
    async marker(name) {
      const row = await main.get('SELECT value FROM markers WHERE name = ?', [name]);
      return row ? String(row.value) : undefined;
    },
    async setMarker(name, value) {
      await main.run(
        'INSERT INTO markers (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
        [name, value],
      );
    },
    async ping() {
      await main.get('SELECT 1 AS ok');
    },
    close: () => parts.close(),
  };
}
