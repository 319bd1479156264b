import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { scrub, silentLogger, type Logger } from '../lib/log.ts';
import type { DeliveryQueue, JobResult } from '../storage/types.ts';
import type { MailTransport } from './mail.ts';
import { buildAlertMail, buildMessage, type MessageContext } from './messages.ts';
import { defaultRetryPolicy, nextDelay, shouldRetry, type RetryPolicy } from './policy.ts';
import { sendWebhook, type DeliveryOutcome } from './webhooks.ts';

/**
 * The delivery loop: claims due jobs from the queue under a lease, sends each (mail or signed
 * webhook), and records the outcomes. At-least-once: a worker that dies mid-job loses its lease
 * and another takes the job over; the duplicate carries the same Message-ID / webhook-id.
 * The queue's SQL is the store's (functions/storage/), the messages are built in messages.ts,
 * the retry policy is policy.ts; this file only runs the loop.
 */
export interface WorkerOptions extends MessageContext {
  queue: DeliveryQueue;
  mail: MailTransport;
  now?: () => number;
  random?: () => number;
  leaseMs?: number;
  policy?: RetryPolicy;
  batchSize?: number;
  webhookTimeoutMs?: number;
  log?: Logger;
  /** Names this worker's claims (host:pid:random by default). */
  workerId?: string;
}

export interface RunResult {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

export function createDeliveryWorker(options: WorkerOptions) {
  const {
    queue,
    mail,
    now = Date.now,
    random = Math.random,
    leaseMs = 120_000,
    policy = defaultRetryPolicy,
    batchSize = 8,
    webhookTimeoutMs = 10_000,
    log = silentLogger,
    workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
  } = options;

  async function attempt(job: Parameters<typeof buildMessage>[0]): Promise<DeliveryOutcome> {
    try {
      const message = buildMessage(job, options);
      if (message.kind === 'undeliverable') return { ok: false, retry: false, detail: message.detail };
      if (message.kind === 'mail') return await mail.send(message.mail);
      return await sendWebhook({ ...message, timeoutMs: webhookTimeoutMs, now });
    } catch (error) {
      // A bug or a broken template must not kill the worker; the job is retried and shows up.
      return { ok: false, retry: true, detail: `internal: ${scrub(error)}` };
    }
  }

  /** One alert mail to the coordinator for all jobs that went dead since the last alert. */
  async function alertDeadLetters(): Promise<void> {
    const dead = await queue.unalertedDead();
    if (dead.length === 0) return;
    const outcome = await mail.send(buildAlertMail(dead, options));
    if (outcome.ok) {
      await queue.markAlerted(
        dead.map((d) => d.id),
        new Date(now()),
      );
      log('delivery.alert_sent', { jobs: dead.length });
    } else {
      log('delivery.alert_failed', { jobs: dead.length, detail: scrub(outcome.detail) });
    }
  }

  /** Claims and works off one batch of due jobs. */
  async function runOnce(): Promise<RunResult> {
    const jobs = await queue.claim({ now: new Date(now()), leaseMs, limit: batchSize, worker: workerId });
    const outcomes = await Promise.all(jobs.map(attempt));
    const results = jobs.map((job, i): JobResult => {
      const outcome = outcomes[i]!;
      // Receivers' error texts may quote addresses ("550 <x@y>: unknown"): they are scrubbed before
      // they are stored or logged.
      const detail = scrub(outcome.detail);
      const at = new Date(now());
      const fields = { job: job.id, channel: job.channel, recipient: job.recipientKind, attempt: job.attempts, detail };
      if (outcome.ok) {
        log('delivery.delivered', fields);
        return { id: job.id, state: 'delivered', at, detail };
      }
      if (shouldRetry(policy, job.attempts, outcome.retry)) {
        log('delivery.retry', fields);
        const delay = nextDelay(policy, job.attempts, random, outcome.retryAfterMs);
        return { id: job.id, state: 'retry', nextAttemptAt: new Date(now() + delay), detail };
      }
      log('delivery.dead', fields);
      return { id: job.id, state: 'dead', at, detail };
    });
    await queue.record(results);
    const result = {
      claimed: jobs.length,
      delivered: results.filter((r) => r.state === 'delivered').length,
      retried: results.filter((r) => r.state === 'retry').length,
      dead: results.filter((r) => r.state === 'dead').length,
    };
    if (result.dead > 0) await alertDeadLetters();
    return result;
  }

  /** Works until no job is due right now (jobs waiting for a later retry stay). */
  async function drain(shouldStop: () => boolean = () => false): Promise<RunResult> {
    const total: RunResult = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
    while (!shouldStop()) {
      const r = await runOnce();
      if (r.claimed === 0) break;
      for (const k of Object.keys(total) as Array<keyof RunResult>) total[k] += r[k];
    }
    await alertDeadLetters();
    return total;
  }

  /**
   * Runs in the background (inside `npm start`): polls, and wakes at once on notify(). stop()
   * lets the batch in hand finish, then hands back any claim it still holds.
   */
  function start(intervalMs = 1000) {
    let stopped = false;
    let wake: (() => void) | undefined;
    const loop = async () => {
      while (!stopped) {
        try {
          await drain(() => stopped);
        } catch (error) {
          log('delivery.worker_error', { detail: scrub(error) });
        }
        if (stopped) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    };
    const running = loop();
    return {
      notify: () => wake?.(),
      stop: async () => {
        stopped = true;
        wake?.();
        await running;
        const released = await queue.release(workerId);
        if (released > 0) log('delivery.released', { jobs: released });
      },
    };
  }

  return { runOnce, drain, start, workerId, due: () => queue.dueCount(new Date(now())) };
}
