import type { ServerConfig } from './config.ts';
import { createMailTransport } from './delivery/mail.ts';
import type { MessageContext } from './delivery/messages.ts';
import { createDeliveryWorker } from './delivery/worker.ts';
import { jsonLogger, type Logger } from './lib/log.ts';
import { createOfferIntake } from './offers/intake.ts';
import { createRateLimiter } from './offers/rate-limit.ts';
import { createRouter, loadCarriers, loadSettings } from './offers/routing.ts';
import { openStore } from './storage/open.ts';
import { createLinkSigner } from './lifecycle/links.ts';
import { createLifecycle } from './lifecycle/lifecycle.ts';
import { readOrCreateSecret } from './lifecycle/secret.ts';
import { join } from 'node:path';
import type { runMaintenance } from './maintenance.ts';

/**
 * The portal's parts on Node, wired from the configuration: settings and routing table from
 * content/, the store, the mail transport, the delivery worker and the intake. `npm start`, the
 * operator commands and the tests all build them here.
 */
export async function createServices(config: ServerConfig, options: { log?: Logger; onStored?: () => void } = {}) {
  const log = options.log ?? jsonLogger;
  const settings = loadSettings(config.settingsFile);
  const carriers = loadCarriers(config.routingFile);
  const router = createRouter(carriers, settings.coordinator.email);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const mail = createMailTransport({ ...config.mail, dataDir: config.dataDir, log });
  const links = createLinkSigner(config.linkSecret ?? readOrCreateSecret(config.dataDir, 'link-secret'));
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
  });
  const intake = createOfferIntake({
    store,
    router,
    rateLimiter: createRateLimiter(config.rateLimit),
    allowedOrigins: config.allowedOrigins,
    log,
    onStored: options.onStored,
  });
  // What the hourly maintenance needs (the .eml files hold personal data too, so the purge removes them).
  const maintenance: Parameters<typeof runMaintenance>[0] = {
    store,
    retention: config.retention,
    mailDir: mail.name === 'eml' ? join(config.dataDir, 'mail') : undefined,
    log,
    mail,
    messages,
    lifecycle,
  };
  return {
    settings,
    carriers,
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

export type Services = Awaited<ReturnType<typeof createServices>>;
