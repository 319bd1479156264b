import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import type { Carrier } from '../../src/schemas/carriers.ts';
import { createMailTransport, type MailTransport } from '../delivery/mail.ts';
import type { MessageContext } from '../delivery/messages.ts';
import { createLinkSigner } from '../lifecycle/links.ts';
import { runMaintenance } from '../maintenance.ts';
import { openPostgresStore } from '../storage/postgres.ts';
import { openSqliteStore } from '../storage/sqlite.ts';
import type { OfferStore } from '../storage/types.ts';
import { engineMissing, engines } from '../../tests/support/engines.ts';
import { tempDataDir } from '../../tests/support/offers.ts';
import { freshDatabase } from '../../tests/support/postgres.ts';
import { startSmtp } from '../../tests/support/receivers.ts';
import { seedHistory } from '../../tests/support/report-history.ts';
import { reportLeaseMs, reportMarker, sendWeeklyReport } from './weekly.ts';

const carrier = (id: string, name: string): Carrier => ({
  id,
  name,
  description: { de: 'x', en: 'x' },
  email: `${id}@example.org`,
  stadtbezirke: [],
});
const carriers = [
  carrier('caritas', 'Caritasverband'),
  carrier('drk', 'Deutsches Rotes Kreuz'),
  carrier('fluechtlingsrat', 'Kölner Flüchtlingsrat'),
];
const messages: MessageContext = {
  mailFrom: 'Wohnungsportal <portal@auszugsmanagement.example.org>',
  coordinator: { name: { de: 'Koordinierungsstelle', en: 'Coordination office' }, email: 'koordination@example.org' },
  carriers,
  nameCarrier: true,
  webhookSecret: () => undefined,
  siteUrl: 'https://portal.example.org',
  links: createLinkSigner('a-test-secret-that-is-long-enough-0123456789'),
};

/** Monday 16.11.2026, 07:00 in Cologne: the first run after week 46 (09.–15.11.) ended. */
const monday = new Date('2026-11-16T06:00:00Z');
const hour = 3600_000;

/**
 * The weekly figures mail, through runMaintenance as the worker calls it, over a real SMTP
 * server, against the seeded history (tests/support/report-history.ts) on the real store.
 */
describe.skipIf(engineMissing).each(engines)('the weekly figures mail on $name', (engine) => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mail: MailTransport;
  let store: OfferStore;
  /** A second instance on the same database (another process, or the same after a restart). */
  let other: OfferStore;
  let logged: Array<{ event: string; fields?: Record<string, unknown> }>;
  const log = (event: string, fields?: Record<string, unknown>) => void logged.push({ event, fields });
  const options = (s: OfferStore) => ({
    store: s,
    // Everything that has ended is erased at once: the figures must not need it.
    retention: { offerDays: 0, spamDays: 0 },
    log,
    mail,
    messages,
  });
  const parsed = () => Promise.all(smtp.mails.map((m) => simpleParser(m.raw)));

  beforeAll(async () => {
    smtp = await startSmtp();
    mail = createMailTransport({ smtpUrl: smtp.url, dataDir: tempDataDir() });
  });
  afterAll(async () => {
    mail?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    smtp.mails.length = 0;
    smtp.reject(undefined);
    logged = [];
    if (engine.name === 'sqlite') {
      const dataDir = tempDataDir();
      store = openSqliteStore(dataDir);
      other = openSqliteStore(dataDir);
    } else {
      const url = await freshDatabase();
      store = await openPostgresStore(url, { max: 4 });
      other = await openPostgresStore(url, { max: 4 });
    }
    await seedHistory(store);
    // The seeded portal has been running for months: its last weekly mail was week 45's.
    await store.setMarker(reportMarker, '2026-W45 sent');
  });
  afterEach(async () => {
    await other.close();
    await store.close();
  });

  it('sends the last full week and twelve weeks to the coordinator once, after the purge, with the page attached', async () => {
    await runMaintenance(options(store), monday);
    // The purge ran first (offerDays 0): the withdrawn offer E has no personal data any more.
    expect(logged.find((l) => l.event === 'retention.erased')).toBeDefined();
    const [report, ...rest] = await parsed();
    expect(rest).toEqual([]);
    expect(smtp.mails[0]!.to).toEqual(['koordination@example.org']);
    // Week 46 (09.–15.11.2026, Cologne): M (taken on by Caritas) and N (withdrawn; 11.11. 00:00 in Cologne).
    expect(report!.subject).toBe('Zahlen der Woche KW 46/2026: 2 Angebote, 1 übernommen, 0 vermittelt');
    expect(report!.messageId).toBe('<report-digest.2026-W46@auszugsmanagement.example.org>');
    const text = report!.text!;
    expect(text).toContain('für die Woche KW 46/2026 (09.11.–15.11.2026)');
    expect(text).toContain('letzten zwölf Wochen (24.08.2026 bis 15.11.2026)');
    // The twelve weeks hold the whole history: 16 offers (I was held), 8 taken on (A B C K L M O Q),
    // 4 placed (B K L Q), 2 withdrawn (E N), 1 stale without an answer (F), 2 not suitable (D P).
    for (const line of [
      /^Angebote: 16$/m,
      /^davon von einem Träger übernommen: 8$/m,
      /^davon vermittelt: 4$/m,
      /^davon zurückgezogen: 2$/m,
      /^davon ohne Antwort abgeschlossen: 1$/m,
      /^davon passt nicht: 2$/m,
      /^als Verdacht auf Spam zurückgehalten \(nicht mitgezählt\): 1$/m,
    ])
      expect(text).toMatch(line);
    // First take-on after 2 h (A), 5 h (M), 12 h (C), 36 h (B), 60 h (L), 840 h (O): the median is 24 h.
    expect(text).toContain('Zeit bis zur Übernahme (Median): 1 Tag (24 Stunden)');
    // The week in detail: the whole text report of week 46.
    expect(text).toMatch(/^Kalk +2 +1 +0$/m);
    expect(text).toMatch(/^Caritasverband +1 +1 +0$/m);
    expect(text).toMatch(/^zurückgezogen +1$/m);
    // The page: one attachment, self-contained, with the charts of the twelve weeks.
    expect(report!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['zahlen-2026-08-24-bis-2026-11-15.html', 'text/html'],
    ]);
    const page = report!.attachments[0]!.content.toString('utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('Angebote pro Woche, als Säulendiagramm');
    expect(page).toContain('Zeitraum: 24.08.2026 bis 15.11.2026');
    expect(page).not.toMatch(/\b(src|href)=/);
    // Nothing personal: no landlord's name, address or after-care comment, in the mail or the page.
    for (const personal of ['Kanarienname', 'erika.mustermann', 'Kalker Hauptstraße', 'Frau X'])
      expect(smtp.mails[0]!.raw + page).not.toContain(personal);
    expect(await store.marker(reportMarker)).toBe('2026-W46 sent');
    expect(logged.filter((l) => l.event === 'report.digest_sent')).toEqual([
      { event: 'report.digest_sent', fields: { week: '2026-W46', offers: 2 } },
    ]);
  });

  it('sends once per ISO week: not again that week, from no instance, and the next week again', async () => {
    for (const at of [monday, new Date(monday.getTime() + hour), new Date('2026-11-22T22:59:00Z')]) {
      await runMaintenance(options(store), at);
      await runMaintenance(options(other), at);
    }
    expect((await parsed()).map((m) => m.subject)).toEqual([
      'Zahlen der Woche KW 46/2026: 2 Angebote, 1 übernommen, 0 vermittelt',
    ]);
    // Monday 23.11.2026, 00:00 in Cologne: week 47 (no offers) is over.
    await runMaintenance(options(other), new Date('2026-11-22T23:00:00Z'));
    await runMaintenance(options(store), new Date('2026-11-22T23:30:00Z'));
    expect((await parsed()).map((m) => m.subject)).toEqual([
      'Zahlen der Woche KW 46/2026: 2 Angebote, 1 übernommen, 0 vermittelt',
      'Zahlen der Woche KW 47/2026: 0 Angebote, 0 übernommen, 0 vermittelt',
    ]);
    // A clock that went back (or a late instance) sends no older week.
    await runMaintenance(options(store), monday);
    expect(smtp.mails).toHaveLength(2);
  });

  it('sends once when several instances run maintenance at the same moment', async () => {
    const sent = await Promise.all(
      [store, other, store, other, store, other].map((s) => sendWeeklyReport(options(s), monday)),
    );
    expect(sent.filter(Boolean)).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
  });

  it('tries a failed send again at the next run, and the mail is the same', async () => {
    smtp.reject(451);
    expect(await sendWeeklyReport(options(store), monday)).toBe(false);
    expect(await store.marker(reportMarker)).toBe('2026-W46 failed');
    const failed = logged.find((l) => l.event === 'report.digest_failed');
    expect(failed?.fields?.week).toBe('2026-W46');
    // The rejection quoted the address; the log does not.
    expect(JSON.stringify(failed)).not.toContain('koordination@example.org');
    smtp.reject(undefined);
    await runMaintenance(options(other), new Date(monday.getTime() + hour));
    const mails = await parsed();
    expect(mails.map((m) => m.messageId)).toEqual(['<report-digest.2026-W46@auszugsmanagement.example.org>']);
    expect(await store.marker(reportMarker)).toBe('2026-W46 sent');
  });

  it('leaves a week another instance is sending alone, and takes it over when that instance died', async () => {
    // What an instance that crashed during the send leaves behind.
    const until = new Date(monday.getTime() + reportLeaseMs).toISOString();
    await store.setMarker(reportMarker, `2026-W46 sending ${until}`);
    expect(await sendWeeklyReport(options(other), new Date(monday.getTime() + reportLeaseMs - 1))).toBe(false);
    expect(smtp.mails).toHaveLength(0);
    expect(await sendWeeklyReport(options(other), new Date(monday.getTime() + reportLeaseMs))).toBe(true);
    expect(smtp.mails).toHaveLength(1);
  });

  it('a new installation starts with the first full week it runs through, not the week before it existed', async () => {
    const fresh =
      engine.name === 'sqlite' ? openSqliteStore(tempDataDir()) : await openPostgresStore(await freshDatabase());
    try {
      // Launch on Wednesday 18.11.2026: week 46 ended before the portal existed.
      const launch = new Date('2026-11-18T10:00:00Z');
      for (const at of [launch, new Date(launch.getTime() + hour)]) await runMaintenance(options(fresh), at);
      expect(smtp.mails).toHaveLength(0);
      expect(await fresh.marker(reportMarker)).toBe('2026-W46 before');
      expect(logged.filter((l) => l.event === 'report.digest_started')).toEqual([
        { event: 'report.digest_started', fields: { week: '2026-W46' } },
      ]);
      // Monday 23.11.2026, 00:00 in Cologne: week 47, the launch week, is the first mail.
      await runMaintenance(options(fresh), new Date('2026-11-22T23:00:00Z'));
      expect((await parsed()).map((m) => m.subject)).toEqual([
        'Zahlen der Woche KW 47/2026: 0 Angebote, 0 übernommen, 0 vermittelt',
      ]);
      expect(await fresh.marker(reportMarker)).toBe('2026-W47 sent');
    } finally {
      await fresh.close();
    }
  });
});
