import { loadConfig } from './config.ts';
import { purge } from './maintenance.ts';
import { createServices } from './setup.ts';

/**
 * `npm run purge`: erases the personal data whose retention period is over, now (the worker in
 * `npm start` does the same every hour), and prints the counts.
 */
const config = loadConfig();
const services = await createServices(config, { log: () => {} });
const result = await purge({ ...services.maintenance, log: () => {} }, new Date());
await services.close();
console.log(
  `purge: personal data of ${result.erased} offer(s) erased (${result.heldErased} of them held as suspected spam), ` +
    `${result.mailFiles} mail file(s) removed. Retention: ${config.retention.offerDays} days after the end of an offer's life (withdrawn offers at once), ` +
    `${config.retention.spamDays} days for held offers.`,
);
