import { loadConfig } from './config.ts';
import { normalizeReference } from './offers/reference.ts';
import { createServices } from './setup.ts';

/**
 * `npm run outbox -- <command>`: what is waiting, dead or held, and the operator's levers.
 *
 *   npm run outbox                      counts of delivery jobs per state
 *   npm run outbox -- pending           jobs waiting, with their next attempt
 *   npm run outbox -- dead              jobs that gave up, with the last error
 *   npm run outbox -- retry <id|all>    make a dead job pending again
 *   npm run outbox -- held              offers held as suspected spam (no personal data shown)
 *   npm run outbox -- release <ref>     deliver a held offer as a normal one
 */
const [command = 'stats', argument] = process.argv.slice(2);
const services = await createServices(loadConfig(), { log: () => {} });
const { store } = services;
const print = (rows: object[]) => (rows.length ? console.table(rows) : console.log('(none)'));

switch (command) {
  case 'stats':
    print(await store.queue.counts());
    break;
  case 'pending':
  case 'dead':
    print(await store.queue.list(command));
    break;
  case 'retry': {
    if (!argument || (argument !== 'all' && !/^\d+$/.test(argument))) {
      console.error('usage: npm run outbox -- retry <job id | all>');
      process.exitCode = 2;
      break;
    }
    const count = await store.queue.retryDead(argument === 'all' ? 'all' : Number(argument), new Date());
    console.log(`${count} dead job(s) are pending again; the worker picks them up now (or run: npm run deliver).`);
    break;
  }
  case 'held':
    print(await store.heldOffers());
    break;
  case 'release': {
    const reference = normalizeReference(argument ?? '');
    const offer = reference ? await store.findByReference(reference) : undefined;
    if (!offer?.payload || offer.status !== 'held') {
      console.error(`no held offer with the reference "${argument ?? ''}": see npm run outbox -- held`);
      process.exitCode = 2;
      break;
    }
    const { deliveries } = services.router.route(offer.payload);
    const result = await store.releaseHeld(offer.reference, deliveries, new Date());
    console.log(
      result === 'released'
        ? `${offer.reference} released: ${deliveries.length} deliveries queued; the worker sends them now (or run: npm run deliver).`
        : `${offer.reference} is no longer held.`,
    );
    break;
  }
  default:
    console.error(
      `unknown command "${command}": use stats, pending, dead, retry <id|all>, held or release <reference>`,
    );
    process.exitCode = 2;
}
await services.close();
