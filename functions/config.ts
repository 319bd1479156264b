import { resolve } from 'node:path';
import { parseRateLimit } from './offers/rate-limit.ts';
import { secretEnvName } from './delivery/webhooks.ts';
import { parseTrustProxy } from './http/client-address.ts';
import { retentionPeriods, type RetentionPeriods } from '../src/config/retention.ts';

/**
 * Settings of the server side, all from the environment, all with defaults that need no
 * configuration on a developer's machine. The README's configuration table lists the same.
 */
export interface ServerConfig {
  /** TCP port of `npm start`. */
  port: number;
  /** Interface to listen on; loopback by default so a dev machine exposes nothing. */
  host: string;
  /** The built site (`astro build` output: client/ and server/). */
  distDir: string;
  /** The public address (https in production: then HSTS is sent). */
  siteUrl: string;
  /** Folder of the SQLite database and of the .eml mails (mode 0700). */
  dataDir: string;
  /** postgres://… selects PostgreSQL instead of SQLite in dataDir. */
  databaseUrl?: string;
  /** How long personal data is kept (the privacy notice reads the same setting). */
  retention: RetentionPeriods;
  /** Routing table: carriers and their Stadtbezirke. */
  routingFile: string;
  /** Site settings (coordinator's address, rent limits). */
  settingsFile: string;
  /** Campaign codes of the coordination office (`?via=`). */
  campaignsFile: string;
  /** Offers per client and window; limit 0 switches the limit off. */
  rateLimit: { limit: number; windowMs: number };
  /** Number of trusted reverse proxies in front: the client is that many entries from the right of X-Forwarded-For. */
  trustProxy: number;
  /** Limits against slow and greedy clients (node:http's own timeouts and a connection cap). */
  http: {
    /** Time a client has to send the complete request headers. */
    headersTimeoutMs: number;
    /** Time a client has to send the whole request, body included. */
    requestTimeoutMs: number;
    /** How long an idle keep-alive connection stays open. */
    keepAliveTimeoutMs: number;
    /** Open connections at most; more are refused until some close. */
    maxConnections: number;
  };
  /** Origins allowed to post besides the server's own (the public SITE_URL behind a proxy). */
  allowedOrigins: string[];
  mail: {
    /** SMTP_URL selects SMTP; SENDGRID_API_KEY selects SendGrid; neither writes .eml files. */
    smtpUrl?: string;
    sendgridApiKey?: string;
    sendgridBaseUrl?: string;
    sendgridDataResidency?: 'global' | 'eu';
    from: string;
  };
  delivery: {
    /** Run the worker inside `npm start` (DELIVERY_WORKER=off when a cron runs `npm run deliver`). */
    inProcess: boolean;
    baseDelayMs: number;
    maxDelayMs: number;
    maxAttempts: number;
    leaseMs: number;
    webhookTimeoutMs: number;
  };
  /** WEBHOOK_SECRET_<ID> values from the environment, never from content/. */
  webhookSecret: (recipientId: string) => string | undefined;
  /**
   * Signs the action links in mails (LINK_SECRET, at least 32 characters). Unset: generated once
   * into DATA_DIR/link-secret; with DATABASE_URL it must be set (every instance needs the same).
   */
  linkSecret?: string;
  /** The offer's life after submission. */
  lifecycle: {
    /** Days between the "still available?" questions (FOLLOW_UP_DAYS; 0: the first one at once). */
    followUpDays: number;
  };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number (0 or more), got "${raw}"`);
  return value;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

/**
 * What is wrong with LINK_SECRET, if anything: too short, or missing with DATABASE_URL (there is
 * no DATA_DIR shared by the instances to keep a generated one in). The start-up check reports it
 * beside every other problem (functions/preflight.ts).
 */
export function linkSecretProblem(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.LINK_SECRET?.trim();
  if (!value) {
    return env.DATABASE_URL
      ? 'LINK_SECRET must be set with DATABASE_URL: every instance signs and checks the action links with the same secret (e.g. openssl rand -base64 32)'
      : undefined;
  }
  return value.length < 32 ? 'LINK_SECRET must be at least 32 characters (e.g. openssl rand -base64 32)' : undefined;
}

export interface LoadOptions {
  /**
   * False for the start-up check, which reports a LINK_SECRET problem with all the others, and
   * for commands that sign no links (npm run migrate, npm run backup): a bad secret is left unset.
   */
  checkLinkSecret?: boolean;
}

function linkSecret(env: NodeJS.ProcessEnv, check: boolean): string | undefined {
  const problem = linkSecretProblem(env);
  if (problem && check) throw new Error(problem);
  return problem ? undefined : env.LINK_SECRET?.trim() || undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): ServerConfig {
  const port = Number(env.PORT ?? 4321);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const origins = [env.SITE_URL, ...(env.ALLOWED_ORIGINS ?? '').split(',')]
    .map((o) => o?.trim())
    .filter((o): o is string => Boolean(o))
    .map((o) => new URL(o).origin);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    distDir: resolve(env.DIST_DIR ?? 'dist'),
    siteUrl: new URL(env.SITE_URL ?? 'https://auszugsmanagement.example.org').origin,
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    retention: retentionPeriods(env),
    routingFile: resolve(env.ROUTING_FILE ?? 'content/carriers.yaml'),
    settingsFile: resolve(env.SETTINGS_FILE ?? 'content/settings.yaml'),
    campaignsFile: resolve(env.CAMPAIGNS_FILE ?? 'content/campaigns.yaml'),
    rateLimit: parseRateLimit(env.RATE_LIMIT),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    http: {
      headersTimeoutMs: positiveInt(env, 'HEADERS_TIMEOUT_MS', 10_000),
      requestTimeoutMs: positiveInt(env, 'REQUEST_TIMEOUT_MS', 30_000),
      keepAliveTimeoutMs: positiveInt(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000),
      maxConnections: positiveInt(env, 'MAX_CONNECTIONS', 512),
    },
    allowedOrigins: origins,
    mail: {
      smtpUrl: env.SMTP_URL || undefined,
      sendgridApiKey: env.SENDGRID_API_KEY || undefined,
      sendgridBaseUrl: env.SENDGRID_API_URL || undefined,
      sendgridDataResidency: env.SENDGRID_DATA_RESIDENCY === 'eu' ? 'eu' : 'global',
      from: env.MAIL_FROM ?? 'Wohnraum für Geflüchtete in Köln <portal@auszugsmanagement.example.org>',
    },
    delivery: {
      inProcess: env.DELIVERY_WORKER !== 'off',
      baseDelayMs: positiveInt(env, 'DELIVERY_BASE_DELAY_MS', 30_000),
      maxDelayMs: positiveInt(env, 'DELIVERY_MAX_DELAY_MS', 3_600_000),
      maxAttempts: positiveInt(env, 'DELIVERY_MAX_ATTEMPTS', 12),
      leaseMs: positiveInt(env, 'DELIVERY_LEASE_MS', 120_000),
      webhookTimeoutMs: positiveInt(env, 'WEBHOOK_TIMEOUT_MS', 10_000),
    },
    webhookSecret: (recipientId) => env[secretEnvName(recipientId)] || undefined,
    linkSecret: linkSecret(env, options.checkLinkSecret ?? true),
    lifecycle: { followUpDays: wholeNumber(env, 'FOLLOW_UP_DAYS', 14) },
  };
}
