import { randomUUID } from 'node:crypto';
import type { ServerConfig } from '../config.ts';
import { sendgridTransport } from '../delivery/sendgrid.ts';
import { jsonLogger } from '../lib/log.ts';
import type { RateLimit } from '../offers/rate-limit.ts';
import type { Services } from '../services.ts';
import { openD1Store } from '../storage/d1.ts';
import { serverlessConfig, serverlessServices, unconfiguredMail } from '../serverless/services.ts';
import type { CloudflareEnv } from './env.ts';

/**
 * The portal's services in a Worker isolate: D1 for storage, SendGrid's HTTP API for mail, the
 * Rate Limiting binding for offer posts. Built at the first request (or cron run) of an isolate
 * and kept for its lifetime; bindings and vars do not change within one.
 */
let built: { services: Services; config: ServerConfig } | undefined;

export function cloudflareServices(env: CloudflareEnv): { services: Services; config: ServerConfig } {
  if (built) return built;
  const config = serverlessConfig(env);
  const log = jsonLogger;
  if (!env.DB) throw new Error('the Worker has no D1 binding "DB" (wrangler.jsonc "d1_databases")');
  if (config.mail.smtpUrl) {
    // Workers can open TCP sockets, but not to port 25, and SMTP libraries expect Node's sockets:
    // mail leaves through SendGrid's HTTP API here.
    log('config.ignored', { setting: 'SMTP_URL', reason: 'no SMTP on Cloudflare; set SENDGRID_API_KEY' });
  }
  const services = serverlessServices(config, {
    store: openD1Store(env.DB),
    mail: config.mail.sendgridApiKey
      ? sendgridTransport({
          apiKey: config.mail.sendgridApiKey,
          dataResidency: config.mail.sendgridDataResidency,
          baseUrl: config.mail.sendgridBaseUrl,
        })
      : unconfiguredMail('SENDGRID_API_KEY with `wrangler secret put`'),
    rateLimiter: bindingRateLimit(env.OFFER_LIMITER, config.rateLimit),
    log,
    workerId: `worker:${randomUUID()}`,
  });
  built = { services, config };
  return built;
}

/**
 * Cloudflare's Rate Limiting binding instead of Node's in-memory buckets: counters shared by all
 * isolates of a location, kept by Cloudflare. Its window is 10 or 60 seconds (wrangler.jsonc
 * "ratelimits"); RATE_LIMIT in the vars says the same for the privacy notice and Retry-After.
 */
export function bindingRateLimit(
  binding: CloudflareEnv['OFFER_LIMITER'],
  setting: { limit: number; windowMs: number },
): RateLimit {
  if (setting.limit === 0) return { take: () => ({ ok: true }) };
  if (!binding) {
    throw new Error(
      'RATE_LIMIT is on, but the Worker has no OFFER_LIMITER binding (wrangler.jsonc "ratelimits"); set RATE_LIMIT=off to run without',
    );
  }
  const retryAfterSeconds = Math.max(1, Math.ceil(setting.windowMs / 1000));
  return {
    async take(key) {
      const { success } = await binding.limit({ key });
      return success ? { ok: true } : { ok: false, retryAfterSeconds };
    },
  };
}
