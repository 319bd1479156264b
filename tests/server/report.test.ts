import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openPostgresStore } from '../../functions/storage/postgres.ts';
import { openSqliteStore } from '../../functions/storage/sqlite.ts';
import { reportMarker } from '../../functions/report/weekly.ts';
import { root } from '../support/content-files.ts';
import { freshDatabase, postgresMissing, storageEngine } from '../support/postgres.ts';
import { historyPeriod, seedHistory } from '../support/report-history.ts';
import { tempDataDir } from '../support/offers.ts';
import { startSmtp } from '../support/receivers.ts';
import { simpleParser } from 'mailparser';

const run = promisify(execFile);
const report = (args: string[], env: Record<string, string>) =>
  run(process.execPath, [join(root, 'functions', 'report.ts'), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', ...env },
  });
const period = ['--from', historyPeriod.from, '--to', historyPeriod.to];
const cli = (script: string, env: Record<string, string>) =>
  run(process.execPath, [join(root, 'functions', script)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', ...env },
  });

/**
 * `npm run report` as the coordinator runs it, against a seeded database: SQLite in DATA_DIR in
 * the site project, PostgreSQL through DATABASE_URL in the postgres project (vitest.config.ts
 * lists this file in both).
 */
describe.skipIf(storageEngine === 'postgres' && postgresMissing)(`npm run report on ${storageEngine}`, () => {
  const env: Record<string, string> = {};
  const out = tempDataDir();
  beforeAll(async () => {
    if (storageEngine === 'postgres') {
      env.DATABASE_URL = await freshDatabase();
      // The deployment's environment: with DATABASE_URL the configuration requires it (config.ts).
      env.LINK_SECRET = 'a-test-secret-that-is-long-enough-0123456789';
      const store = await openPostgresStore(env.DATABASE_URL, { max: 2 });
      await seedHistory(store);
      await store.close();
    } else {
      env.DATA_DIR = tempDataDir();
      const store = openSqliteStore(env.DATA_DIR);
      await seedHistory(store);
      await store.close();
    }
  });

  it('prints the figures of the period as German text', async () => {
    const { stdout, stderr } = await report(period, env);
    expect(stderr).toBe('');
    expect(stdout).toContain('Zeitraum: 14.10.2026 bis 10.11.2026.');
    expect(stdout).toMatch(/^Angebote +14$/m);
    expect(stdout).toMatch(/^davon vermittelt +4$/m);
    expect(stdout).toMatch(/^Zeit bis zur Übernahme \(Median\) +1,5 Tage \(36 Stunden\)$/m);
    expect(stdout).toMatch(/^KW 44\/2026 \(26\.10\.–01\.11\.2026\) +2$/m);
    expect(stdout).toMatch(/^Kölner Flüchtlingsrat +4 +2 +2$/m);
    expect(stdout).toMatch(/^4 \(eher gut\) +1$/m);
    expect(stdout).not.toContain('HTML-Seite');
  });

  it('writes the page with --html, private to the owner (also over an existing file), and says where', async () => {
    const file = join(out, 'zahlen.html');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    const { stdout } = await report([...period, '--html', file], env);
    expect(stdout).toContain(`HTML-Seite mit Diagrammen geschrieben: ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const page = readFileSync(file, 'utf8');
    expect(page.startsWith('<!doctype html>\n<html lang="de">')).toBe(true);
    // Offers per week, the funnel, by Stadtbezirk, by carrier, and by campaign (content/campaigns.yaml lists some).
    expect(page.match(/<svg role="img"/g)).toHaveLength(5);
    expect(page).toContain('Angebote nach Kampagne');
    expect(page).toContain('<th scope="row">Kalk</th><td>4</td><td>3</td><td>2</td>');
  });

  it.each([
    [['--from', '2026-11-31'], /--from "2026-11-31" ist kein gültiges Datum: bitte als JJJJ-MM-TT angeben/],
    [['--from', '2026-11-10', '--to', '2026-11-01'], /Der Zeitraum ist leer/],
    [['--html'], /--html/],
    [['--bis', '2026-11-01'], /Aufruf: npm run report/],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const failed = await report(args, env).then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(message);
    expect(failed?.stdout).toBe('');
  });

  it('npm run deliver from cron (no worker in npm start) sends the weekly figures once, over SMTP', async () => {
    const smtp = await startSmtp();
    try {
      // A database of its own: the schedule inside deliver would move the seeded history on.
      const own: Record<string, string> =
        storageEngine === 'postgres'
          ? { DATABASE_URL: await freshDatabase(), LINK_SECRET: env.LINK_SECRET! }
          : { DATA_DIR: tempDataDir() };
      // A portal that has run before (a new one starts with its first full week, see weekly.ts).
      const store = own.DATABASE_URL
        ? await openPostgresStore(own.DATABASE_URL, { max: 1 })
        : openSqliteStore(own.DATA_DIR!);
      await store.setMarker(reportMarker, '2026-W01 sent');
      await store.close();
      const deliverEnv = { ...own, DELIVERY_WORKER: 'off', SMTP_URL: smtp.url, MAIL_FROM: 'portal@example.org' };
      for (const _ of [1, 2]) await cli('deliver.ts', deliverEnv);
      const subjects = (await Promise.all(smtp.mails.map((m) => simpleParser(m.raw)))).map((m) => m.subject);
      expect(subjects).toHaveLength(1);
      expect(subjects[0]).toMatch(/^Zahlen der Woche KW \d{1,2}\/\d{4}: 0 Angebote, 0 übernommen, 0 vermittelt$/);
      expect(smtp.mails[0]!.to).toEqual(['auszugsmanagement@example.org']);
    } finally {
      await smtp.close();
    }
  });

  // SQLite only: with DATABASE_URL there is no data folder whose database could be missing.
  it.skipIf(storageEngine === 'postgres')('says so when there is no database, instead of creating one', async () => {
    const empty = join(tempDataDir(), 'nothing-here');
    const failed = await report(period, { DATA_DIR: empty }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain(`Keine Datenbank in ${empty}`);
  });
});
