import type { ServerConfig } from './config.ts';
import type { MailTransport } from './delivery/mail.ts';
import type { MessageContext } from './delivery/messages.ts';
import { createDeliveryWorker } from './delivery/worker.ts';
import { jsonLogger, type Logger } from './lib/log.ts';
import { createOfferIntake } from './offers/intake.ts';
import type { RateLimit } from './offers/rate-limit.ts';
import { createRouter } from './offers/routing.ts';
import type { OfferStore } from './storage/types.ts';
import type { Carrier } from '../src/schemas/carriers.ts';
import type { Settings } from '../src/schemas/settings.ts';

/**
 * What a platform brings: its storage, its mail transport, its rate limit, and the settings and
 * routing table (read from content/ on Node, built into the bundle on Cloudflare and Netlify).
 */
export interface ServiceParts {
  settings: Settings;
  carriers: Carrier[];
  store: OfferStore;
  mail: MailTransport;
  rateLimiter: RateLimit;
  log?: Logger;
  /** Called after a new offer is committed (wakes Node's worker). */
  onStored?: () => void;
  /** Names the delivery worker's claims (host:pid:random by default). */
  workerId?: string;
}

/**
 * The portal's parts wired together the same way on every platform: messages, delivery worker
 * and intake from the configuration and the platform's parts. Platform-free: it imports no
 * storage engine, no mail library and no file system. setup.ts does this for Node, the serverless
 * entries (functions/cloudflare/, functions/netlify/) for theirs.
 */
export function wireServices(config: ServerConfig, parts: ServiceParts) {
  const { settings, carriers, store, mail } = parts;
  const log = parts.log ?? jsonLogger;
  const router = createRouter(carriers, settings.coordinator.email);
  const messages: MessageContext = {
    mailFrom: config.mail.from,
    coordinator: {
      name: settings.coordinator.name,
      email: settings.coordinator.email,
      phone: settings.coordinator.phone,
    },
    carriers,
    nameCarrier: settings.routing.assignmentConfirmed,
    webhookSecret: config.webhookSecret,
  };
  const { baseDelayMs, maxDelayMs, maxAttempts, leaseMs, webhookTimeoutMs } = config.delivery;
  const worker = createDeliveryWorker({
    ...messages,
    queue: store.queue,
    mail,
    policy: { baseDelayMs, maxDelayMs, maxAttempts },
    leaseMs,
    webhookTimeoutMs,
    log,
    workerId: parts.workerId,
  });
  const intake = createOfferIntake({
    store,
    router,
    rateLimiter: parts.rateLimiter,
    allowedOrigins: config.allowedOrigins,
    log,
    onStored: parts.onStored,
  });
  return {
    settings,
    carriers,
    router,
    store,
    mail,
    messages,
    worker,
    intake,
    log,
    async close() {
      mail.close();
      await store.close();
    },
  };
}

export type Services = ReturnType<typeof wireServices>;
