import type { ServerConfig } from './config.ts';
import type { MailTransport } from './delivery/mail.ts';
import type { MessageContext } from './delivery/messages.ts';
import { createDeliveryWorker } from './delivery/worker.ts';
import { jsonLogger, type Logger } from './lib/log.ts';
import { createLifecycle } from './lifecycle/lifecycle.ts';
import { createLinkSigner } from './lifecycle/links.ts';
import type { runMaintenance } from './maintenance.ts';
import { createOfferIntake } from './offers/intake.ts';
import type { RateLimit } from './offers/rate-limit.ts';
import { createRouter } from './offers/routing.ts';
import type { OfferStore } from './storage/types.ts';
import type { PortalContext } from './platform.ts';
import type { Carrier } from '../src/schemas/carriers.ts';
import type { Campaign } from '../src/schemas/campaigns.ts';
import { publishedRentLimits } from '../src/lib/rent-check.ts';
import type { Settings } from '../src/schemas/settings.ts';

/**
 * What a platform brings: its storage, its mail transport, its rate limit, the link secret, and
 * the settings and routing table (read from content/ on Node, built into the bundle on Cloudflare
 * and Netlify).
 */
export interface ServiceParts {
  settings: Settings;
  carriers: Carrier[];
  /** The campaign codes (content/campaigns.yaml): the intake keeps only these, the staff see their labels. */
  campaigns: Campaign[];
  store: OfferStore;
  mail: MailTransport;
  rateLimiter: RateLimit;
  /** Signs the action links in mails (LINK_SECRET; on Node a generated one in DATA_DIR will do). */
  linkSecret: string;
  /** Where the .eml transport writes (Node only): the purge removes those files too. */
  mailDir?: string;
  log?: Logger;
  /** Called after a new offer is committed (wakes Node's worker). */
  onStored?: () => void;
  /** Names the delivery worker's claims (host:pid:random by default). */
  workerId?: string;
}

/**
 * The portal's parts wired together the same way on every platform: messages, delivery worker,
 * intake, the offer's life (signed links, lifecycle) and the maintenance options from the
 * configuration and the platform's parts. Platform-free: it imports no
 * storage engine, no mail library and no file system. setup.ts does this for Node, the serverless
 * entries (functions/cloudflare/, functions/netlify/) for theirs.
 */
export function wireServices(config: ServerConfig, parts: ServiceParts) {
  const { settings, carriers, campaigns, store, mail } = parts;
  const log = parts.log ?? jsonLogger;
  const router = createRouter(carriers, settings.coordinator.email);
  // The rent check of the offer page, its review and the staff mail: nothing while unpublished.
  const rentLimits = publishedRentLimits(settings.rentLimits);
  const links = createLinkSigner(parts.linkSecret);
  const messages: MessageContext = {
    mailFrom: config.mail.from,
    coordinator: {
      name: settings.coordinator.name,
      email: settings.coordinator.email,
      phone: settings.coordinator.phone,
    },
    carriers,
    nameCarrier: settings.routing.assignmentConfirmed,
    campaigns,
    rentLimits,
    webhookSecret: config.webhookSecret,
    siteUrl: config.siteUrl,
    links,
  };
  const lifecycle = createLifecycle({
    store,
    carriers,
    coordinatorEmail: settings.coordinator.email,
    links,
    followUpDays: config.lifecycle.followUpDays,
    log,
  });
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
    campaigns: campaigns.map((c) => c.code),
    allowedOrigins: config.allowedOrigins,
    log,
    onStored: parts.onStored,
  });
  // What runMaintenance needs (the schedule, the purge, the digest of held offers).
  const maintenance: Parameters<typeof runMaintenance>[0] = {
    store,
    retention: config.retention,
    mailDir: parts.mailDir,
    log,
    mail,
    messages,
    lifecycle,
  };
  return {
    settings,
    carriers,
    campaigns,
    rentLimits,
    router,
    store,
    mail,
    messages,
    worker,
    intake,
    lifecycle,
    links,
    maintenance,
    log,
    async close() {
      mail.close();
      await store.close();
    },
  };
}

export type Services = ReturnType<typeof wireServices>;

/** What the on-demand routes get in `Astro.locals.portal`, the same on every platform. */
export function portalContext(services: Services, clientAddress: string): PortalContext {
  return {
    intake: services.intake,
    store: services.store,
    lifecycle: services.lifecycle,
    links: services.links,
    clientAddress,
    log: services.log,
    // Codes only: the offer page needs no labels, those are for the staff.
    campaigns: services.campaigns.map((c) => c.code),
    rentLimits: services.rentLimits,
  };
}
