import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { createDeliveryWorker, messageIdFor, webhookIdFor, type MailTemplates } from './worker.ts';
import { createMailTransport } from './mail.ts';
import { openOfferStore, type OfferStore } from '../offers/store.ts';
import { createRouter } from '../offers/routing.ts';
import * as templates from '../../src/mail/render.ts';
import { createOfferSchema } from '../../src/schemas/offer.ts';
import { offerEventSchema } from '../../src/schemas/webhook.ts';
import type { Carrier } from '../../src/schemas/carriers.ts';
import { header, startReceiver, startSmtp } from '../../tests/support/receivers.ts';
import { tempDataDir, validOffer } from '../../tests/support/offers.ts';

const from = 'Portal <portal@auszugsmanagement.example.org>';
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const coordinator = {
  name: { de: 'Koordinierungsstelle', en: 'Coordination office' },
  email: 'koordination@example.org',
};

describe('delivery worker (real SQLite, SMTP server and webhook receiver)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let store: OfferStore;
  let clock: number;
  let carriers: Carrier[];

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startReceiver();
  });
  const transports: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const t of transports.splice(0)) t.close();
  });
  afterAll(async () => {
    await smtp.close();
    await receiver.close();
  });
  beforeEach(() => {
    store = openOfferStore(tempDataDir());
    // Real time, so that receivers' 5-minute timestamp tolerance holds; advanced by hand below.
    clock = Date.now();
    smtp.mails.length = 0;
    receiver.received.length = 0;
    smtp.reject(undefined);
    receiver.setBehaviour((_, res) => res.writeHead(204).end());
    carriers = [
      {
        id: 'fluechtlingsrat',
        name: 'Kölner Flüchtlingsrat',
        description: { de: 'x', en: 'x' },
        email: 'fr@example.org',
        webhookUrl: `${receiver.url}/hook`,
        stadtbezirke: ['Kalk'],
      },
    ];
  });

  function worker(overrides: Partial<Parameters<typeof createDeliveryWorker>[0]> = {}) {
    const mail = createMailTransport({ smtpUrl: smtp.url, dataDir: tempDataDir() });
    transports.push(mail);
    return createDeliveryWorker({
      db: store.db,
      mail,
      templates: templates as unknown as MailTemplates,
      mailFrom: from,
      coordinator,
      carriers,
      webhookSecret: (id) => (id === 'fluechtlingsrat' ? secret : undefined),
      now: () => clock,
      random: () => 0.5,
      baseDelayMs: 1000,
      maxAttempts: 3,
      leaseMs: 60_000,
      webhookTimeoutMs: 500,
      ...overrides,
    });
  }

  function storeOffer(overrides: Record<string, unknown> = {}) {
    const offer = createOfferSchema({ today: '2026-11-28' }).parse(validOffer(overrides));
    const routing = createRouter(carriers, coordinator.email).route(offer);
    return store.saveOffer({
      submissionId: offer.submissionId,
      locale: offer.locale,
      receivedAt: new Date(clock),
      status: 'received',
      stadtbezirk: routing.stadtbezirk,
      carrierId: routing.carrier?.id,
      routingReason: routing.reason,
      payload: offer,
      deliveries: routing.deliveries,
    }).offer;
  }
  const statuses = (offerId: number) =>
    store.deliveryJobs(offerId).map((j) => `${j.channel}:${j.recipientKind}:${j.status}`);

  it('delivers every job of an offer: staff mails, landlord confirmation, signed webhook', async () => {
    const offer = storeOffer();
    const result = await worker().drain();
    expect(result).toEqual({ claimed: 4, delivered: 4, retried: 0, dead: 0 });
    expect(statuses(offer.id)).toEqual([
      'email:coordinator:delivered',
      'email:landlord:delivered',
      'email:carrier:delivered',
      'webhook:carrier:delivered',
    ]);

    const byRecipient = Object.fromEntries(smtp.mails.map((m) => [m.to[0], m.raw]));
    expect(Object.keys(byRecipient).sort()).toEqual([
      'erika.mustermann@example.org',
      'fr@example.org',
      'koordination@example.org',
    ]);
    const staff = byRecipient['fr@example.org']!;
    expect(header(staff, 'Message-ID')).toBe(messageIdFor(offer.reference, 'carrier', 'fluechtlingsrat', from));
    expect(header(staff, 'Reply-To')).toContain('erika.mustermann@example.org');
    expect(header(staff, 'Subject')).toBeTruthy();
    expect(staff).toMatch(/filename=wohnungsangebot-.+\.json/);
    expect(header(byRecipient['erika.mustermann@example.org']!, 'Reply-To')).toContain('koordination@example.org');

    const hook = receiver.received[0]!;
    expect(hook.headers['webhook-id']).toBe(webhookIdFor(offer.reference, 'fluechtlingsrat'));
    const event = new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as {
      type: string;
      data: { version: number; reference: string; offer: Record<string, unknown>; routing: { carrierId: string } };
    };
    expect(event.type).toBe('offer.submitted');
    expect(event.data).toMatchObject({
      version: 1,
      reference: offer.reference,
      routing: { carrierId: 'fluechtlingsrat' },
    });
    expect(event.data.offer.stadtteil).toBe('Kalk');
    expect(event.data.offer).not.toHaveProperty('formStartedAt');
    // The published JSON Schema's source accepts exactly what we send.
    expect(offerEventSchema.safeParse(event).error?.issues ?? []).toEqual([]);
  });

  it('retries a temporary failure after the backoff, not before', async () => {
    const offer = storeOffer();
    smtp.reject(451);
    const w = worker();
    expect((await w.drain()).retried).toBe(3);
    smtp.reject(undefined);
    clock += 900; // backoff is 1000 ms × (0.8 + 0.4 × 0.5) = 1000 ms
    expect((await w.drain()).claimed).toBe(0);
    clock += 200;
    expect((await w.drain()).delivered).toBe(3);
    expect(statuses(offer.id).every((s) => s.endsWith('delivered'))).toBe(true);
  });

  it('grows the delay exponentially and honours Retry-After', async () => {
    storeOffer();
    receiver.setBehaviour((_, res) => res.writeHead(503).end());
    const w = worker({ maxAttempts: 10 });
    await w.drain();
    const next = () =>
      store.db.prepare(`SELECT next_attempt_at FROM delivery_jobs WHERE channel = 'webhook'`).get() as {
        next_attempt_at: string;
      };
    expect(Date.parse(next().next_attempt_at) - clock).toBe(1000);
    clock += 1000;
    await w.drain();
    expect(Date.parse(next().next_attempt_at) - clock).toBe(2000);
    receiver.setBehaviour((_, res) => res.writeHead(429, { 'Retry-After': '120' }).end());
    clock += 2000;
    await w.drain();
    expect(Date.parse(next().next_attempt_at) - clock).toBe(120_000);
  });

  it('gives up after the last attempt or on a permanent error, and alerts the coordinator once', async () => {
    const offer = storeOffer();
    receiver.setBehaviour((_, res) => res.writeHead(400).end());
    const w = worker();
    await w.drain();
    expect(statuses(offer.id)).toContain('webhook:carrier:dead');
    const alerts = () => smtp.mails.filter((m) => /fehlgeschlagen/.test(header(m.raw, 'Subject') ?? ''));
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]!.to).toEqual(['koordination@example.org']);
    expect(alerts()[0]!.raw).toContain(offer.reference);
    storeOffer();
    await w.drain();
    expect(alerts()).toHaveLength(2);
    await w.drain();
    expect(alerts()).toHaveLength(2);
  });

  it('marks a webhook without a configured secret dead instead of sending it unsigned', async () => {
    const offer = storeOffer();
    await worker({ webhookSecret: () => undefined }).drain();
    expect(statuses(offer.id)).toContain('webhook:carrier:dead');
    expect(receiver.received).toHaveLength(0);
  });

  it('takes over jobs from a worker that died, once its lease has expired', async () => {
    const offer = storeOffer();
    // A worker claimed everything and then died (SIGKILL): the jobs hold a lease until +60 s.
    store.db
      .prepare(`UPDATE delivery_jobs SET lease_until = ?, attempts = 1`)
      .run(new Date(clock + 60_000).toISOString());
    const w = worker();
    expect((await w.drain()).claimed).toBe(0);
    clock += 60_001;
    expect((await w.drain()).delivered).toBe(4);
    expect(statuses(offer.id).every((s) => s.endsWith('delivered'))).toBe(true);
  });

  it('sends nothing for spam', async () => {
    const offer = createOfferSchema({ today: '2026-11-28' }).parse(validOffer());
    store.saveOffer({
      submissionId: offer.submissionId,
      locale: 'de',
      receivedAt: new Date(clock),
      status: 'spam',
      spamReason: 'honeypot',
      routingReason: '-',
      payload: offer,
      deliveries: [],
    });
    expect((await worker().drain()).claimed).toBe(0);
    expect(smtp.mails).toHaveLength(0);
  });
});
