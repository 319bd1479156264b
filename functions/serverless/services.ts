import { loadConfig, type ServerConfig } from '../config.ts';
import type { MailTransport } from '../delivery/mail.ts';
import { scrub, type Logger } from '../lib/log.ts';
import { runMaintenance } from '../maintenance.ts';
import type { RateLimit } from '../offers/rate-limit.ts';
import { wireServices, type Services } from '../services.ts';
import type { OfferStore } from '../storage/types.ts';
import { builtInContent } from './content.ts';

/**
 * What Cloudflare and Netlify share: services from the platform's environment and its parts, and
 * the scheduled run that replaces Node's long-running worker. A serverless instance lives for a
 * request or a trigger; nothing here keeps running in the background.
 */

/** Only the string values of a platform's environment (a Worker's env also holds its bindings). */
export function stringEnv(env: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/**
 * No mail transport configured: jobs are not lost, they wait and are retried (and go to dead
 * letter after DELIVERY_MAX_ATTEMPTS, with the retries in the log). There is no .eml folder to
 * fall back to on these platforms.
 */
export function unconfiguredMail(setting: string): MailTransport {
  return {
    name: 'none',
    send: async () => ({ ok: false, retry: true, detail: `no mail transport configured (set ${setting})` }),
    close: () => {},
  };
}

export interface PlatformParts {
  store: OfferStore;
  mail: MailTransport;
  rateLimiter: RateLimit;
  log: Logger;
  workerId: string;
}

/**
 * The services of one isolate or function instance. LINK_SECRET is required here: there is no
 * DATA_DIR to keep a generated one in, and every instance must sign and check the action links in
 * mails with the same secret.
 */
export function serverlessServices(config: ServerConfig, parts: PlatformParts): Services {
  if (!config.linkSecret) {
    throw new Error(
      'LINK_SECRET must be set as a secret of the platform (at least 32 characters, e.g. openssl rand -base64 32): it signs the action links in mails',
    );
  }
  return wireServices(config, { ...builtInContent(), ...parts, linkSecret: config.linkSecret });
}

/** The platform's environment as the portal's configuration (same names and defaults as on Node). */
export const serverlessConfig = (env: object): ServerConfig => loadConfig(stringEnv(env));

/**
 * A positive whole number from the environment: the serverless-only settings
 * DELIVERY_MAX_PER_RUN and DELIVERY_RUN_BUDGET_MS.
 */
export function positiveSetting(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

export interface ScheduledRunOptions {
  /** Jobs per run at most: a platform limits the requests one invocation may make. */
  maxJobs: number;
  /** No new batch starts after this many milliseconds: the platform ends long invocations. */
  budgetMs: number;
  now?: () => number;
}

/**
 * One scheduled run (Cloudflare Cron Trigger, Netlify Scheduled Function), the same steps as
 * `npm run deliver`: the offers' scheduled steps (follow-ups, after-care, stale; first, so that
 * their mails go out in this run), then the delivery of what is due, in batches, within the
 * platform's limits, then the maintenance (the schedule again, the retention purge, the daily
 * digest of held offers; the digest sends at most once a day however often the trigger fires).
 * What is left waits for the next run; a run cut off mid-batch loses its lease, and the next run
 * takes the jobs over (at least once, as on Node).
 */
export async function scheduledRun(services: Services, options: ScheduledRunOptions) {
  const { now = Date.now } = options;
  const started = now();
  await services.lifecycle.runSchedule(new Date(started)).catch((error: unknown) => {
    // As in runMaintenance: a failing step is logged, the delivery still runs.
    services.log('maintenance.error', { part: 'schedule', detail: scrub(error) });
  });
  const batches = Math.max(1, Math.ceil(options.maxJobs / 8));
  let batch = 0;
  const result = await services.worker.drain(() => batch++ >= batches || now() - started > options.budgetMs);
  await runMaintenance(services.maintenance, new Date(now()));
  const due = await services.worker.due().catch((error: unknown) => {
    services.log('delivery.run_error', { detail: scrub(error) });
    return -1;
  });
  services.log('delivery.run', { ...result, due, ms: now() - started });
  return { ...result, due };
}
