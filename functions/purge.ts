import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { purge } from './maintenance.ts';
import { createServices } from './setup.ts';

/**
 * `npm run purge`: erases the personal data whose retention period is over, now (the worker in
 * `npm start` does the same once a day), and prints the counts.
 */
const config = loadConfig();
const services = await createServices(config, { log: () => {} });
const result = await purge(
  {
    store: services.store,
    retention: config.retention,
    mailDir: services.mail.name === 'eml' ? join(config.dataDir, 'mail') : undefined,
    log: () => {},
  },
  new Date(),
);
await services.close();
console.log(
  `purge: personal data of ${result.erased} offer(s) erased (${result.heldErased} of them held as suspected spam), ` +
    `${result.mailFiles} mail file(s) removed. Retention: ${config.retention.offerDays} days after delivery, ` +
    `${config.retention.spamDays} days for held offers.`,
);
