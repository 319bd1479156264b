import { resolve } from 'node:path';
import { parseRateLimit } from './offers/rate-limit.ts';

/**
 * Settings of the server side, all from the environment, all with defaults that need no
 * configuration on a developer's machine. The README's configuration table lists the same.
 */
export interface ServerConfig {
  /** TCP port of `npm start`. */
  port: number;
  /** Interface to listen on; loopback by default so a dev machine exposes nothing. */
  host: string;
  /** The built site (`astro build` output). */
  distDir: string;
  /** The server renderer bundled at build time for answers to form posts. */
  rendererFile: string;
  /** Folder of the SQLite database (and, later, of the .eml mails). */
  dataDir: string;
  /** Routing table: carriers and their Stadtbezirke. */
  routingFile: string;
  /** Site settings (coordinator's address). */
  settingsFile: string;
  /** Offers per client and window; limit 0 switches the limit off. */
  rateLimit: { limit: number; windowMs: number };
  /** Take the client address from X-Forwarded-For (only behind a trusted reverse proxy). */
  trustProxy: boolean;
  /** Origins allowed to post besides the server's own (the public SITE_URL behind a proxy). */
  allowedOrigins: string[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 4321);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const origins = [env.SITE_URL, ...(env.ALLOWED_ORIGINS ?? '').split(',')]
    .map((o) => o?.trim())
    .filter((o): o is string => Boolean(o))
    .map((o) => new URL(o).origin);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    distDir: resolve(env.DIST_DIR ?? 'dist'),
    rendererFile: resolve(env.RENDERER_FILE ?? 'dist-server/offer-render.mjs'),
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    routingFile: resolve(env.ROUTING_FILE ?? 'content/carriers.yaml'),
    settingsFile: resolve(env.SETTINGS_FILE ?? 'content/settings.yaml'),
    rateLimit: parseRateLimit(env.RATE_LIMIT),
    trustProxy: env.TRUST_PROXY === 'true' || env.TRUST_PROXY === '1',
    allowedOrigins: origins,
  };
}
