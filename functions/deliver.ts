import { runMaintenance } from './maintenance.ts';
import { preflightOrExit } from './preflight.ts';
import { createServices } from './setup.ts';

/**
 * `npm run deliver`: works off every delivery job that is due now, then exits: for a cron job or
 * a serverless schedule instead of (or beside) the worker inside `npm start`. Jobs claimed by a
 * worker that died are taken over once their lease has expired.
 */
// Sends mail and may run the purge: the same checks as the portal's start (functions/preflight.ts);
// a host that only delivers may have no build, then the privacy notice is not compared.
const config = preflightOrExit('npm run deliver', { requireBuild: false });
const services = await createServices(config);
// Without a worker inside `npm start`, the cron job also takes the offers' scheduled steps (before
// the delivery, so that their mails go out in this run), the retention purge and the digest.
if (!config.delivery.inProcess) await services.lifecycle.runSchedule(new Date());
const result = await services.worker.drain();
if (!config.delivery.inProcess) await runMaintenance(services.maintenance, new Date());
await services.close();
console.log(
  `deliver: ${result.claimed} jobs worked off: ${result.delivered} delivered, ${result.retried} to retry later, ${result.dead} dead.`,
);
