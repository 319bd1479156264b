import { loadConfig } from './config.ts';
import { openOfferStore } from './offers/store.ts';
import { loadCarriers, loadSettings } from './offers/routing.ts';
import { createConfiguredWorker } from './delivery/setup.ts';

/**
 * `npm run deliver`: works off every delivery job that is due now, then exits: for a cron job or
 * a serverless schedule instead of (or beside) the worker inside `npm start`. Jobs claimed by a
 * worker that died are taken over once their lease has expired.
 */
const config = loadConfig();
// Opening the store applies pending migrations before the worker touches the tables.
openOfferStore(config.dataDir).close();
const log = (event: string, fields: Record<string, string | number | boolean | undefined>) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
const delivery = await createConfiguredWorker({
  config,
  settings: loadSettings(config.settingsFile),
  carriers: loadCarriers(config.routingFile),
  log,
});
const result = await delivery.worker.drain();
delivery.close();
console.log(
  `deliver: ${result.claimed} jobs worked off: ${result.delivered} delivered, ${result.retried} to retry later, ${result.dead} dead.`,
);
