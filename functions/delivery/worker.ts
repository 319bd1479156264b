import type { DatabaseSync } from 'node:sqlite';
import type { Carrier } from '../../src/schemas/carriers.ts';
import type { Offer } from '../../src/schemas/offer.ts';
import type { MailTransport, OutgoingMail } from './mail.ts';
import type { ConfirmationMailInput, MailInput, OfferMailInput, RenderedMail } from '../../src/mail/types.ts';
import { sendWebhook, webhookPayloadVersion, type DeliveryOutcome } from './webhooks.ts';

/**
 * The delivery worker works off the delivery jobs that the intake stored with each offer:
 * at-least-once, with exponential backoff and jitter, a cap, and a dead-letter state after the
 * last attempt. Jobs are claimed with a lease; a worker that dies mid-job loses its lease and
 * another takes the job over. A duplicate from that crash window carries the same Message-ID /
 * webhook-id, so receivers can drop it.
 */

/** The mail templates (src/mail/render.ts), loaded by the caller: Node cannot import TSX itself. */
export interface MailTemplates {
  renderOfferMail(input: OfferMailInput): RenderedMail;
  renderConfirmationMail(input: ConfirmationMailInput): RenderedMail;
}

export interface WorkerOptions {
  db: DatabaseSync;
  mail: MailTransport;
  templates: MailTemplates;
  mailFrom: string;
  /** The coordination office; its name in both languages for the landlord's confirmation. */
  coordinator: { name: { de: string; en: string }; email: string; phone?: string };
  carriers: Carrier[];
  /** The webhook secret of a recipient (WEBHOOK_SECRET_<ID>), never from content/. */
  webhookSecret: (recipientId: string) => string | undefined;
  now?: () => number;
  random?: () => number;
  leaseMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  batchSize?: number;
  webhookTimeoutMs?: number;
  log?: (event: string, fields: Record<string, string | number | boolean | undefined>) => void;
}

interface JobRow {
  id: number;
  offer_id: number;
  channel: 'email' | 'webhook';
  recipient_kind: 'coordinator' | 'carrier' | 'landlord';
  recipient_id: string;
  target: string;
  attempts: number;
}
interface OfferRow {
  reference: string;
  received_at: string;
  locale: string;
  stadtbezirk: string | null;
  carrier_id: string | null;
  routing_reason: string;
  payload: string;
}

export interface RunResult {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

/** The domain of the sender address, for Message-IDs. */
function mailDomain(from: string): string {
  return /@([A-Za-z0-9.-]+)/.exec(from)?.[1] ?? 'localhost';
}

/** Stable Message-ID for one offer and one recipient. */
export function messageIdFor(reference: string, kind: string, recipientId: string, from: string): string {
  return `<${reference}.${kind}.${recipientId}@${mailDomain(from)}>`;
}

/** Stable webhook-id for one offer and one endpoint (the idempotency key of Standard Webhooks). */
export function webhookIdFor(reference: string, recipientId: string): string {
  return `msg_${reference}_${recipientId}`;
}

/** The versioned event body sent to webhooks and attached to staff mails as JSON. */
export function offerEvent(
  row: Pick<OfferRow, 'reference' | 'received_at' | 'stadtbezirk' | 'carrier_id' | 'routing_reason'>,
  offer: Offer,
) {
  const { formStartedAt: _internal, ...publicOffer } = offer;
  return {
    type: 'offer.submitted',
    timestamp: row.received_at,
    data: {
      version: webhookPayloadVersion,
      reference: row.reference,
      receivedAt: row.received_at,
      routing: { stadtbezirk: row.stadtbezirk, carrierId: row.carrier_id, reason: row.routing_reason },
      offer: publicOffer,
    },
  };
}

export function createDeliveryWorker(options: WorkerOptions) {
  const {
    db,
    mail,
    templates,
    mailFrom,
    coordinator,
    carriers,
    webhookSecret,
    now = Date.now,
    random = Math.random,
    leaseMs = 120_000,
    maxAttempts = 12,
    baseDelayMs = 30_000,
    maxDelayMs = 3_600_000,
    batchSize = 8,
    webhookTimeoutMs = 10_000,
    log = () => {},
  } = options;
  const iso = (ms: number) => new Date(ms).toISOString();

  const claim = db.prepare(`
    UPDATE delivery_jobs SET lease_until = ?, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM delivery_jobs
      WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
      ORDER BY next_attempt_at, id LIMIT ?)
    RETURNING id, offer_id, channel, recipient_kind, recipient_id, target, attempts`);
  const offerById = db.prepare(
    'SELECT reference, received_at, locale, stadtbezirk, carrier_id, routing_reason, payload FROM offers WHERE id = ?',
  );
  const markDelivered = db.prepare(
    `UPDATE delivery_jobs SET status = 'delivered', delivered_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?`,
  );
  const markRetry = db.prepare(
    `UPDATE delivery_jobs SET next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE id = ?`,
  );
  const markDead = db.prepare(
    `UPDATE delivery_jobs SET status = 'dead', lease_until = NULL, last_error = ? WHERE id = ?`,
  );
  const unalertedDead = db.prepare(`
    SELECT j.id, j.channel, j.recipient_kind, j.recipient_id, j.last_error, j.attempts, o.reference
    FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id
    WHERE j.status = 'dead' AND j.alerted_at IS NULL ORDER BY j.id`);
  const markAlerted = db.prepare('UPDATE delivery_jobs SET alerted_at = ? WHERE id = ?');
  const dueCount = db.prepare(
    `SELECT count(*) AS n FROM delivery_jobs WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)`,
  );

  /** Exponential backoff with ±20 % jitter, capped; Retry-After wins when the receiver sends one. */
  function nextDelay(attempts: number, retryAfterMs?: number): number {
    if (retryAfterMs !== undefined) return Math.min(maxDelayMs, Math.max(retryAfterMs, 1000));
    const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(exponential * (0.8 + 0.4 * random()));
  }

  function carrierName(id: string | null): string | undefined {
    return carriers.find((c) => c.id === id)?.name;
  }

  function buildMail(job: JobRow, row: OfferRow, offer: Offer): OutgoingMail {
    const input: MailInput = {
      reference: row.reference,
      receivedAt: row.received_at,
      offer,
      stadtbezirk: row.stadtbezirk ?? undefined,
      carrierName: carrierName(row.carrier_id),
      routingReason: row.routing_reason,
    };
    const messageId = messageIdFor(row.reference, job.recipient_kind, job.recipient_id, mailFrom);
    if (job.recipient_kind === 'landlord') {
      const contact = { ...coordinator, name: coordinator.name[offer.locale] };
      const rendered = templates.renderConfirmationMail({ ...input, locale: offer.locale, coordinator: contact });
      return {
        from: mailFrom,
        to: job.target,
        replyTo: { name: contact.name, address: contact.email },
        messageId,
        ...rendered,
      };
    }
    const rendered = templates.renderOfferMail({ ...input, recipient: job.recipient_kind });
    return {
      from: mailFrom,
      to: job.target,
      // One click on "reply" answers the landlord.
      replyTo: { name: offer.name, address: offer.email },
      messageId,
      ...rendered,
      attachments: [
        {
          filename: `wohnungsangebot-${row.reference}.json`,
          contentType: 'application/json',
          content: JSON.stringify(offerEvent(row, offer), null, 2),
        },
      ],
    };
  }

  async function deliver(job: JobRow): Promise<DeliveryOutcome> {
    const row = offerById.get(job.offer_id) as OfferRow | undefined;
    if (!row) return { ok: false, retry: false, detail: 'offer not found' };
    const offer = JSON.parse(row.payload) as Offer;
    if (job.channel === 'email') return mail.send(buildMail(job, row, offer));
    const secret = webhookSecret(job.recipient_id);
    if (!secret)
      return {
        ok: false,
        retry: false,
        detail: `no webhook secret configured (WEBHOOK_SECRET_${job.recipient_id.toUpperCase()})`,
      };
    return sendWebhook({
      url: job.target,
      secret,
      id: webhookIdFor(row.reference, job.recipient_id),
      body: JSON.stringify(offerEvent(row, offer)),
      timeoutMs: webhookTimeoutMs,
      now,
    });
  }

  async function attempt(job: JobRow): Promise<DeliveryOutcome> {
    try {
      return await deliver(job);
    } catch (error) {
      // A bug or a broken template must not kill the worker; the job is retried and shows up.
      return { ok: false, retry: true, detail: `internal: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Records the outcomes of one batch in one transaction: one disk sync, not one per job. */
  function record(jobs: JobRow[], outcomes: DeliveryOutcome[]): Array<'delivered' | 'retried' | 'dead'> {
    db.exec('BEGIN IMMEDIATE');
    try {
      const states = jobs.map((job, i) => {
        const outcome = outcomes[i]!;
        const fields = {
          job: job.id,
          channel: job.channel,
          recipient: job.recipient_kind,
          attempt: job.attempts,
          detail: outcome.detail,
        };
        if (outcome.ok) {
          markDelivered.run(iso(now()), job.id);
          log('delivery.delivered', fields);
          return 'delivered' as const;
        }
        if (outcome.retry && job.attempts < maxAttempts) {
          markRetry.run(iso(now() + nextDelay(job.attempts, outcome.retryAfterMs)), outcome.detail, job.id);
          log('delivery.retry', fields);
          return 'retried' as const;
        }
        markDead.run(outcome.detail, job.id);
        log('delivery.dead', fields);
        return 'dead' as const;
      });
      db.exec('COMMIT');
      return states;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  /** One alert mail to the coordinator for all jobs that went dead since the last alert. */
  async function alertDeadLetters(): Promise<void> {
    const dead = unalertedDead.all() as Array<{
      id: number;
      channel: string;
      recipient_kind: string;
      recipient_id: string;
      last_error: string;
      attempts: number;
      reference: string;
    }>;
    if (dead.length === 0) return;
    const lines = dead.map(
      (d) =>
        `- ${d.reference}: ${d.channel} an ${d.recipient_kind} (${d.recipient_id}) nach ${d.attempts} Versuchen: ${d.last_error}`,
    );
    const text = [
      `${dead.length} Zustellung(en) sind endgültig fehlgeschlagen. Die Angebote selbst sind gespeichert.`,
      '',
      ...lines,
      '',
      'Erneut versuchen: npm run outbox -- retry all',
    ].join('\n');
    const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const outcome = await mail.send({
      from: mailFrom,
      to: coordinator.email,
      subject: `Portal: ${dead.length} Zustellung(en) fehlgeschlagen`,
      text,
      html: `<!doctype html><html lang="de"><body><pre style="white-space:pre-wrap;font-family:sans-serif">${escapeHtml(text)}</pre></body></html>`,
      messageId: `<alert.${dead[0]!.id}-${dead.at(-1)!.id}@${mailDomain(mailFrom)}>`,
    });
    if (outcome.ok) {
      const at = iso(now());
      for (const d of dead) markAlerted.run(at, d.id);
      log('delivery.alert_sent', { jobs: dead.length });
    } else {
      log('delivery.alert_failed', { jobs: dead.length, detail: outcome.detail });
    }
  }

  /** Claims and works off one batch of due jobs. */
  async function runOnce(): Promise<RunResult> {
    const t = now();
    const jobs = claim.all(iso(t + leaseMs), iso(t), iso(t), batchSize) as unknown as JobRow[];
    const outcomes = jobs.length ? record(jobs, await Promise.all(jobs.map(attempt))) : [];
    const result = {
      claimed: jobs.length,
      delivered: outcomes.filter((o) => o === 'delivered').length,
      retried: outcomes.filter((o) => o === 'retried').length,
      dead: outcomes.filter((o) => o === 'dead').length,
    };
    if (result.dead > 0) await alertDeadLetters();
    return result;
  }

  /** Works until no job is due right now (jobs waiting for a later retry stay). */
  async function drain(): Promise<RunResult> {
    const total: RunResult = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
    for (;;) {
      const r = await runOnce();
      if (r.claimed === 0) break;
      for (const k of Object.keys(total) as Array<keyof RunResult>) total[k] += r[k];
    }
    await alertDeadLetters();
    return total;
  }

  /** Runs in the background (inside `npm start`): polls, and wakes at once on notify(). */
  function start(intervalMs = 1000) {
    let stopped = false;
    let wake: (() => void) | undefined;
    let running: Promise<void> = Promise.resolve();
    const loop = async () => {
      while (!stopped) {
        try {
          await drain();
        } catch (error) {
          log('delivery.worker_error', { detail: error instanceof Error ? error.message : String(error) });
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    };
    running = loop();
    return {
      notify: () => wake?.(),
      stop: async () => {
        stopped = true;
        wake?.();
        await running;
      },
    };
  }

  return {
    runOnce,
    drain,
    start,
    due: () => (dueCount.get(iso(now()), iso(now())) as { n: number }).n,
  };
}
