import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailTransport, type MailTransport } from './delivery/mail.ts';
import type { MessageContext } from './delivery/messages.ts';
import { createLinkSigner } from './lifecycle/links.ts';
import { sendHeldDigest } from './maintenance.ts';
import { openSqliteStore } from './storage/sqlite.ts';
import type { OfferStore } from './storage/types.ts';
import { newOffer } from '../tests/support/engines.ts';
import { tempDataDir } from '../tests/support/offers.ts';
import { startSmtp } from '../tests/support/receivers.ts';

const messages: MessageContext = {
  mailFrom: 'Wohnungsportal <portal@auszugsmanagement.example.org>',
  coordinator: { name: { de: 'Koordinierungsstelle', en: 'Coordination office' }, email: 'koordination@example.org' },
  carriers: [],
  nameCarrier: true,
  webhookSecret: () => undefined,
  siteUrl: 'https://portal.example.org',
  links: createLinkSigner('a-test-secret-that-is-long-enough-0123456789'),
};
const day = 24 * 3600_000;

/** The daily list of held offers (issue 8, item 9) over a real SMTP server, on two instances of one database. */
describe('the held-offers digest', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mail: MailTransport;
  let store: OfferStore;
  let other: OfferStore;
  const options = (s: OfferStore) => ({
    store: s,
    retention: { offerDays: 90, spamDays: 14 },
    log: () => {},
    mail,
    messages,
  });

  beforeAll(async () => {
    smtp = await startSmtp();
    mail = createMailTransport({ smtpUrl: smtp.url, dataDir: tempDataDir() });
  });
  afterAll(async () => {
    mail?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.mails.length = 0;
    smtp.reject(undefined);
    const dataDir = tempDataDir();
    store = openSqliteStore(dataDir);
    other = openSqliteStore(dataDir);
  });
  afterEach(async () => {
    await other.close();
    await store.close();
  });

  it('says nothing while nothing is held', async () => {
    expect(await sendHeldDigest(options(store), new Date('2026-11-30T08:00:00Z'))).toBe(false);
    expect(smtp.mails).toEqual([]);
  });

  it('goes out once a day, even when two instances run it at the same moment', async () => {
    const now = new Date('2026-11-30T08:00:00Z');
    const { offer } = await store.saveOffer(newOffer({ receivedAt: now, status: 'held', holdReason: 'too_fast' }));
    const sent = await Promise.all(
      [store, other, store, other, store, other].map((s) => sendHeldDigest(options(s), now)),
    );
    expect(sent.filter(Boolean)).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['koordination@example.org']);
    expect(smtp.mails[0]!.raw).toContain(offer.reference);
    // Later the same day: nothing; a day later: the next one.
    expect(await sendHeldDigest(options(other), new Date(now.getTime() + 6 * 3600_000))).toBe(false);
    expect(await sendHeldDigest(options(other), new Date(now.getTime() + day))).toBe(true);
    expect(smtp.mails).toHaveLength(2);
  });

  it('tries again at the next run when the mail server refused it', async () => {
    const now = new Date('2026-11-30T08:00:00Z');
    await store.saveOffer(newOffer({ receivedAt: now, status: 'held', holdReason: 'honeypot' }));
    smtp.reject(451);
    expect(await sendHeldDigest(options(store), now)).toBe(false);
    smtp.reject(undefined);
    expect(await sendHeldDigest(options(other), new Date(now.getTime() + 3600_000))).toBe(true);
    expect(smtp.mails).toHaveLength(1);
  });
});
