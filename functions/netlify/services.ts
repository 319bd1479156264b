import { randomUUID } from 'node:crypto';
import type { ServerConfig } from '../config.ts';
import { createMailTransport } from '../delivery/mail.ts';
import { jsonLogger } from '../lib/log.ts';
import { createRateLimiter } from '../offers/rate-limit.ts';
import type { Services } from '../services.ts';
import { openPostgresStore } from '../storage/postgres.ts';
import { positiveSetting, serverlessConfig, serverlessServices, unconfiguredMail } from '../serverless/services.ts';
import { builtInMigrations } from './migrations.ts';

/**
 * The portal's services in one Netlify Function instance: PostgreSQL through DATABASE_URL (any
 * server), or NETLIFY_DB_URL, which Netlify sets when the site has a Netlify Database, mail through SMTP_URL or SENDGRID_API_KEY, the rate limit in the
 * instance's memory. Built at the first request (or scheduled run) of an instance and kept while
 * Netlify keeps the instance warm; the environment does not change within one.
 */
let built: Promise<{ services: Services; config: ServerConfig }> | undefined;

export function netlifyServices(env: Record<string, string | undefined> = process.env) {
  // A failed start (database unreachable) is not kept: the next request tries again.
  built ??= buildServices(env).catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

async function buildServices(env: Record<string, string | undefined>) {
  const config = serverlessConfig(env);
  const log = jsonLogger;
  const databaseUrl = config.databaseUrl ?? (env.NETLIFY_DB_URL || undefined);
  if (!databaseUrl) {
    throw new Error(
      'DATABASE_URL must be set in the site’s environment variables (postgres://…), or the site needs a Netlify Database (NETLIFY_DB_URL): Netlify Functions keep no files between requests',
    );
  }
  // Checked before connecting, so a missing secret never leaves a pool open.
  if (!config.linkSecret) {
    throw new Error('LINK_SECRET must be set in the site’s environment variables (at least 32 characters)');
  }
  const store = await openPostgresStore(databaseUrl, {
    // Every warm instance holds its own pool: few connections each, so that many instances stay
    // within the server's connection limit (use the pooled connection string where there is one).
    max: positiveSetting(env, 'DATABASE_POOL_MAX', 2),
    migrations: builtInMigrations,
  });
  const services = serverlessServices(config, {
    store,
    // Netlify Functions run on Node: nodemailer's SMTP works as on the server (ports 587 and 465),
    // and so does SendGrid's HTTP API. Neither set: jobs wait in the queue (no .eml folder here).
    mail:
      config.mail.smtpUrl || config.mail.sendgridApiKey
        ? createMailTransport({ ...config.mail, dataDir: config.dataDir, log })
        : unconfiguredMail('SMTP_URL or SENDGRID_API_KEY in the site’s environment variables'),
    // Per instance: Netlify starts more instances under load, each with its own buckets. It damps
    // a single client's bursts; a hard limit across instances is Netlify's rate limiting rules
    // (docs/deploy/netlify.md).
    rateLimiter: createRateLimiter(config.rateLimit),
    log,
    workerId: `netlify:${randomUUID()}`,
  });
  return { services, config };
}
