import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { runMaintenance } from './maintenance.ts';
import { createServices } from './setup.ts';

/**
 * `npm run deliver`: works off every delivery job that is due now, then exits: for a cron job or
 * a serverless schedule instead of (or beside) the worker inside `npm start`. Jobs claimed by a
 * worker that died are taken over once their lease has expired.
 */
const config = loadConfig();
const services = await createServices(config);
const result = await services.worker.drain();
// Without a worker inside `npm start`, the cron job also keeps the retention and the digest.
if (!config.delivery.inProcess) {
  await runMaintenance(
    {
      store: services.store,
      retention: config.retention,
      mailDir: services.mail.name === 'eml' ? join(config.dataDir, 'mail') : undefined,
      log: services.log,
      mail: services.mail,
      messages: services.messages,
    },
    new Date(),
  );
}
await services.close();
console.log(
  `deliver: ${result.claimed} jobs worked off: ${result.delivered} delivered, ${result.retried} to retry later, ${result.dead} dead.`,
);
