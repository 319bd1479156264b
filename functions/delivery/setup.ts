import type { ServerConfig } from '../config.ts';
import { openDeliveryConnection } from '../offers/store.ts';
import type { Carrier } from '../../src/schemas/carriers.ts';
import type { Settings } from '../../src/schemas/settings.ts';
import { loadTsx, srcPath } from '../lib/tsx.ts';
import { createMailTransport } from './mail.ts';
import { createDeliveryWorker, type MailTemplates } from './worker.ts';

/** The worker as configured: transport from SMTP_URL / SENDGRID_API_KEY / .eml, templates from src/mail. */
export async function createConfiguredWorker(options: {
  config: ServerConfig;
  settings: Settings;
  carriers: Carrier[];
  log: (event: string, fields: Record<string, string | number | boolean | undefined>) => void;
}) {
  const { config, settings, carriers, log } = options;
  const db = openDeliveryConnection(config.dataDir);
  const mail = createMailTransport({ ...config.mail, dataDir: config.dataDir });
  const templates = await loadTsx<MailTemplates>(srcPath('mail', 'render.ts'));
  const worker = createDeliveryWorker({
    db,
    mail,
    templates,
    mailFrom: config.mail.from,
    coordinator: {
      name: settings.coordinator.name,
      email: settings.coordinator.email,
      phone: settings.coordinator.phone,
    },
    carriers,
    webhookSecret: config.webhookSecret,
    ...config.delivery,
    log,
  });
  return {
    worker,
    close() {
      mail.close();
      db.close();
    },
  };
}
