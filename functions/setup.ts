import { join } from 'node:path';
import type { ServerConfig } from './config.ts';
import { createMailTransport } from './delivery/mail.ts';
import { jsonLogger, type Logger } from './lib/log.ts';
import { readOrCreateSecret } from './lifecycle/secret.ts';
import { createRateLimiter } from './offers/rate-limit.ts';
import { loadCarriers, loadSettings } from './offers/routing.ts';
import { wireServices } from './services.ts';
import { openStore } from './storage/open.ts';

export type { Services } from './services.ts';

/**
 * The portal's parts on Node, wired from the configuration: settings and routing table from
 * content/, the store, the mail transport, the link secret (LINK_SECRET or one kept in DATA_DIR),
 * the delivery worker, the intake and the offer's life. `npm start`, the operator commands and
 * the tests all build them here; the wiring itself is services.ts, shared with the serverless
 * platforms.
 */
export async function createServices(config: ServerConfig, options: { log?: Logger; onStored?: () => void } = {}) {
  const log = options.log ?? jsonLogger;
  const settings = loadSettings(config.settingsFile);
  const carriers = loadCarriers(config.routingFile);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const mail = createMailTransport({ ...config.mail, dataDir: config.dataDir, log });
  return wireServices(config, {
    settings,
    carriers,
    store,
    mail,
    linkSecret: config.linkSecret ?? readOrCreateSecret(config.dataDir, 'link-secret'),
    // The .eml files hold personal data too, so the purge removes them.
    mailDir: mail.name === 'eml' ? join(config.dataDir, 'mail') : undefined,
    rateLimiter: createRateLimiter(config.rateLimit),
    log,
    onStored: options.onStored,
  });
}
