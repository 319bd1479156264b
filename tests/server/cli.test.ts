import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { existsSync, statSync } from 'node:fs';
import { openSqliteStore } from '../../functions/storage/sqlite.ts';
import { newOffer } from '../support/engines.ts';
import { startSmtp } from '../support/receivers.ts';
import { root } from '../support/content-files.ts';
import { tempDataDir } from '../support/offers.ts';

const run = promisify(execFile);
const cli = (script: string, args: string[], env: Record<string, string>) =>
  run(process.execPath, [join(root, 'functions', script), ...args], { cwd: root, env: { ...process.env, ...env } });

/** `npm run deliver` and `npm run outbox` as an operator uses them, on a real database. */
describe('operator commands', { timeout: 60_000 }, () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const dataDir = tempDataDir();
  let heldReference = '';
  beforeAll(async () => {
    smtp = await startSmtp();
    const store = openSqliteStore(dataDir);
    for (const i of [1, 2]) {
      await store.saveOffer(
        newOffer({
          submissionId: `s${i}`,
          receivedAt: new Date(),
          deliveries: [
            {
              channel: 'email',
              recipientKind: 'coordinator',
              recipientId: 'coordinator',
              target: 'koordination@example.org',
            },
            {
              channel: 'webhook',
              recipientKind: 'carrier',
              recipientId: 'nosecret',
              target: 'http://127.0.0.1:1/hook',
            },
          ],
        }),
      );
    }
    heldReference = (
      await store.saveOffer(newOffer({ submissionId: 'held-1', status: 'held', holdReason: 'too_fast' }))
    ).offer.reference;
    await store.close();
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

  it('outbox lists held offers without personal data, and release delivers one like any offer', async () => {
    const held = await cli('outbox.ts', ['held'], { DATA_DIR: dataDir });
    expect(held.stdout).toContain(heldReference);
    expect(held.stdout).toContain('too_fast');
    expect(held.stdout).toContain('Kalk');
    expect(held.stdout).not.toContain('Erika');
    const released = await cli('outbox.ts', ['release', heldReference.toLowerCase()], { DATA_DIR: dataDir });
    expect(released.stdout).toContain(`${heldReference} released: 3 deliveries queued`);
    await expect(cli('outbox.ts', ['release', heldReference], { DATA_DIR: dataDir })).rejects.toMatchObject({
      code: 2,
    });
    const after = await cli('outbox.ts', ['held'], { DATA_DIR: dataDir });
    expect(after.stdout).toContain('(none)');
  });

  it('purge erases what is due and says how much', async () => {
    const { stdout } = await cli('purge.ts', [], { DATA_DIR: dataDir, RETENTION_DAYS: '1' });
    expect(stdout).toMatch(/purge: personal data of 0 offer\(s\) erased/);
    expect(stdout).toContain(
      "Retention: 1 days after the end of an offer's life (withdrawn offers at once), 14 days for held offers.",
    );
  });

  it('backup writes a consistent copy, private to the owner, and refuses to overwrite', async () => {
    const file = join(tempDataDir(), 'copy.sqlite');
    const { stdout } = await cli('backup.ts', [file], { DATA_DIR: dataDir });
    expect(stdout).toContain(`copied to ${file}`);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const copy = new DatabaseSync(file, { readOnly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM offers').get()).toEqual({ n: 3 });
    copy.close();
    await expect(cli('backup.ts', [file], { DATA_DIR: dataDir })).rejects.toMatchObject({ code: 2 });
  });

  it('outbox refuses unknown commands', async () => {
    await expect(cli('outbox.ts', ['explode'], { DATA_DIR: dataDir })).rejects.toMatchObject({ code: 2 });
  });
});
