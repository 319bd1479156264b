import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { openOfferStore } from '../../functions/offers/store.ts';
import { startSmtp } from '../support/receivers.ts';
import { root } from '../support/content-files.ts';
import { tempDataDir, validOffer } from '../support/offers.ts';

const run = promisify(execFile);
const cli = (script: string, args: string[], env: Record<string, string>) =>
  run(process.execPath, [join(root, 'functions', script), ...args], { cwd: root, env: { ...process.env, ...env } });

/** `npm run deliver` and `npm run outbox` as an operator uses them, on a real database. */
describe('operator commands', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const dataDir = tempDataDir();
  beforeAll(async () => {
    smtp = await startSmtp();
    const store = openOfferStore(dataDir);
    for (const i of [1, 2]) {
      store.saveOffer({
        submissionId: `s${i}`,
        locale: 'de',
        receivedAt: new Date(),
        status: 'received',
        routingReason: 'test',
        payload: validOffer(),
        deliveries: [
          {
            channel: 'email',
            recipientKind: 'coordinator',
            recipientId: 'coordinator',
            target: 'koordination@example.org',
          },
          { channel: 'webhook', recipientKind: 'carrier', recipientId: 'nosecret', target: 'http://127.0.0.1:1/hook' },
        ],
      });
    }
    store.close();
  });
  afterAll(() => smtp.close());

  it('deliver works off what is due and exits; a webhook without secret goes to dead letter with an alert', async () => {
    const { stdout } = await cli('deliver.ts', [], { DATA_DIR: dataDir, SMTP_URL: smtp.url });
    expect(stdout).toContain('deliver: 4 jobs worked off: 2 delivered, 0 to retry later, 2 dead.');
    // Two offer mails and one alert for both dead webhooks.
    expect(smtp.mails.map((m) => m.to[0])).toEqual([
      'koordination@example.org',
      'koordination@example.org',
      'auszugsmanagement@example.org',
    ]);
  });

  it('outbox shows the dead jobs and retry makes them pending again', async () => {
    const stats = await cli('outbox.ts', [], { DATA_DIR: dataDir });
    expect(stats.stdout).toMatch(/'dead'\s*│\s*'webhook'\s*│\s*2/);
    const dead = await cli('outbox.ts', ['dead'], { DATA_DIR: dataDir });
    expect(dead.stdout).toContain('no webhook secret configured');
    const retry = await cli('outbox.ts', ['retry', 'all'], { DATA_DIR: dataDir });
    expect(retry.stdout).toContain('2 dead job(s) are pending again');
    const db = new DatabaseSync(join(dataDir, 'offers.sqlite'), { readOnly: true });
    expect(db.prepare(`SELECT count(*) AS n FROM delivery_jobs WHERE status = 'pending'`).get()).toEqual({ n: 2 });
    db.close();
  });

  it('outbox refuses unknown commands', async () => {
    await expect(cli('outbox.ts', ['explode'], { DATA_DIR: dataDir })).rejects.toMatchObject({ code: 2 });
  });
});
