import { loadConfig } from './config.ts';
import { openOfferStore } from './offers/store.ts';

/**
 * `npm run outbox -- <command>`: what is waiting or dead in the delivery queue, and a way to try
 * dead jobs again once the cause (a wrong address, a missing webhook secret) is fixed.
 *
 *   npm run outbox                 counts per state
 *   npm run outbox -- pending      jobs waiting, with their next attempt
 *   npm run outbox -- dead         jobs that gave up, with the last error
 *   npm run outbox -- retry <id>   make a dead job pending again (or: retry all)
 */
const [command = 'stats', argument] = process.argv.slice(2);
const store = openOfferStore(loadConfig().dataDir);
const db = store.db;

type Row = Record<string, string | number | null>;
const print = (rows: Row[]) => (rows.length ? console.table(rows) : console.log('(none)'));

switch (command) {
  case 'stats':
    print(
      db
        .prepare(
          'SELECT status, channel, count(*) AS jobs FROM delivery_jobs GROUP BY status, channel ORDER BY status, channel',
        )
        .all() as Row[],
    );
    break;
  case 'pending':
  case 'dead':
    print(
      db
        .prepare(
          `SELECT j.id, o.reference, j.channel, j.recipient_kind AS recipient, j.recipient_id AS who, j.attempts,
                  j.next_attempt_at AS next_attempt, substr(j.last_error, 1, 80) AS last_error
           FROM delivery_jobs j JOIN offers o ON o.id = j.offer_id WHERE j.status = ? ORDER BY j.id LIMIT 500`,
        )
        .all(command) as Row[],
    );
    break;
  case 'retry': {
    if (!argument) {
      console.error('usage: npm run outbox -- retry <job id | all>');
      process.exitCode = 2;
      break;
    }
    const now = new Date().toISOString();
    const result =
      argument === 'all'
        ? db
            .prepare(
              `UPDATE delivery_jobs SET status = 'pending', attempts = 0, next_attempt_at = ?, alerted_at = NULL WHERE status = 'dead'`,
            )
            .run(now)
        : db
            .prepare(
              `UPDATE delivery_jobs SET status = 'pending', attempts = 0, next_attempt_at = ?, alerted_at = NULL WHERE status = 'dead' AND id = ?`,
            )
            .run(now, Number(argument));
    console.log(
      `${result.changes} dead job(s) are pending again; the worker picks them up now (or run: npm run deliver).`,
    );
    break;
  }
  default:
    console.error(`unknown command "${command}": use stats, pending, dead or retry <id|all>`);
    process.exitCode = 2;
}
store.close();
