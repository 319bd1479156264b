import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { stringify } from 'yaml';
import { Webhook } from 'standardwebhooks';
import { startPortal, type Portal } from '../../functions/server.ts';
import { loadConfig } from '../../functions/config.ts';
import { createLinkSigner } from '../../functions/lifecycle/links.ts';
import { createLifecycle } from '../../functions/lifecycle/lifecycle.ts';
import { offerEventSchema } from '../../src/schemas/webhook.ts';
import { readYaml } from '../support/content-files.ts';
import { startReceiver, startSmtp, type ReceivedMail } from '../support/receivers.ts';
import { tempDataDir, validOffer } from '../support/offers.ts';

/**
 * The offer's life through the running portal: mails over a real SMTP server, webhooks to a real
 * receiver, the links in those mails opened and posted over HTTP. What a landlord, a carrier and
 * the coordination office do with one click each, and what an attacker can do with a link.
 */
const webhookSecret = `whsec_${Buffer.from('actions-test-webhook-secret').toString('base64')}`;

describe('signed links in mails, end to end', () => {
  let portal: Portal;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dataDir: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startReceiver();
    dataDir = tempDataDir();
    // The routing table with a webhook for the carrier of Kalk, pointing at the test receiver.
    const carriers = readYaml(join(import.meta.dirname, '..', '..', 'content', 'carriers.yaml')) as Array<
      Record<string, unknown>
    >;
    const routingFile = join(dataDir, 'carriers.yaml');
    writeFileSync(
      routingFile,
      stringify(carriers.map((c) => (c.id === 'fluechtlingsrat' ? { ...c, webhookUrl: `${receiver.url}/hook` } : c))),
    );
    portal = await startPortal(
      {
        ...loadConfig({}),
        port: 0,
        dataDir,
        routingFile,
        rateLimit: { limit: 0, windowMs: 1 },
        mail: { ...loadConfig({}).mail, smtpUrl: smtp.url },
        webhookSecret: (id) => (id === 'fluechtlingsrat' ? webhookSecret : undefined),
      },
      { log: () => {} },
    );
  });
  afterAll(async () => {
    await portal.close();
    await smtp.close();
    await receiver.close();
  });

  let submitted = 0;
  async function submit(overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await fetch(`${portal.url}/api/offers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: portal.url },
      // One address per offer: the portal confirms at most three offers a day to one address.
      body: JSON.stringify(validOffer({ email: `landlord-${++submitted}@example.org`, ...overrides })),
    });
    expect(response.status).toBe(201);
    return (await response.json()).reference;
  }

  /** Waits until the portal's own worker has delivered everything due, then the parsed mails about `reference`. */
  async function mailsAbout(reference: string) {
    for (let i = 0; i < 200; i++) {
      await portal.services.worker.drain();
      const counts = await portal.services.store.queue.counts();
      if (!counts.some((c) => c.status === 'pending' && c.jobs > 0)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const parsed = await Promise.all(smtp.mails.map((m: ReceivedMail) => simpleParser(m.raw)));
    return parsed.filter((m) => m.subject?.includes(reference));
  }

  /** The action links in a mail, moved to the test portal's address. */
  function linksOf(text: string | undefined): string[] {
    return [...(text ?? '').matchAll(/https:\/\/[^\s/]+(\/(?:en\/action|aktion)\/\?t=[\w.-]+)/g)].map(
      (m) => `${portal.url}${m[1]}`,
    );
  }

  const post = (url: string, form: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  async function eventsOf(reference: string) {
    const offer = await portal.services.store.findByReference(reference);
    return (await portal.services.store.eventsOf(offer!.id)).map((e) => e.action);
  }

  it('the landlord withdraws from the confirmation mail: GET shows, POST acts once, staff and webhook hear it, the data goes', async () => {
    const reference = await submit();
    const confirmation = (await mailsAbout(reference)).find((m) => m.subject?.startsWith('Ihr Wohnungsangebot'))!;
    const [withdraw] = linksOf(confirmation.text);
    expect(withdraw).toMatch(/\/aktion\/\?t=/);

    // Opening the link (a person or a mail scanner) shows the offer and one button, and changes nothing.
    for (let i = 0; i < 3; i++) {
      const page = await fetch(withdraw!);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(reference);
      expect(html).toContain('Ja, Angebot zurückziehen');
      expect(html).toContain('<meta name="robots" content="noindex');
      // Structured facts only: never the landlord's name, address or free text.
      expect(html).not.toContain('Erika');
      expect(html).not.toContain('Kalker Hauptstraße');
      expect(html).not.toContain('Helle Wohnung');
      expect(html).not.toMatch(/<script/);
      // Enough to recognise the apartment, so the button stays near the top on a phone.
      expect(html).toContain('Kalk');
      expect(html).toContain('Gesamtmiete pro Monat');
      expect(html).not.toContain('Kaution');
    }
    const head = await fetch(withdraw!, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await eventsOf(reference)).toEqual(['submitted']);

    const acted = await post(withdraw!);
    expect(acted.status).toBe(303);
    const result = await fetch(new URL(acted.headers.get('location')!, portal.url));
    expect(result.status).toBe(200);
    const done = await result.text();
    expect(done).toContain('Ihr Angebot ist zurückgezogen');
    expect(done).not.toContain('Das war schon erledigt');

    // A second click (or a reload of the form) acts no more.
    const again = await post(withdraw!);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Das war schon erledigt');
    expect(await eventsOf(reference)).toEqual(['submitted', 'withdrawn']);

    const staff = (await mailsAbout(reference)).filter(
      (m) => m.subject === `Wohnungsangebot ${reference}: zurückgezogen`,
    );
    expect(staff.map((m) => (m.to as { text: string }).text).sort()).toEqual([
      'auszugsmanagement@example.org',
      'fluechtlingsrat.wohnungsangebote@example.org',
    ]);
    const hook = receiver.received.find((r) => JSON.parse(r.body).type === 'offer.withdrawn');
    expect(hook).toBeDefined();
    const verified = new Webhook(webhookSecret).verify(hook!.body, {
      'webhook-id': String(hook!.headers['webhook-id']),
      'webhook-timestamp': String(hook!.headers['webhook-timestamp']),
      'webhook-signature': String(hook!.headers['webhook-signature']),
    });
    expect(offerEventSchema.safeParse(verified).success).toBe(true);
    expect(verified).toMatchObject({ data: { reference, stage: 'withdrawn', event: { seq: 2, actor: 'landlord' } } });

    // Everyone is told: the next maintenance run erases the personal data.
    await portal.services.lifecycle.runSchedule(new Date());
    const { purge } = await import('../../functions/maintenance.ts');
    const erased = await purge(portal.services.maintenance, new Date());
    expect(erased.references).toContain(reference);
    expect((await portal.services.store.findByReference(reference))?.payload).toBeNull();
    // The link still says it is done, without any personal data.
    const after = await fetch(withdraw!);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Ihr Angebot ist zurückgezogen');
  });

  it('a carrier takes an offer on, then places it, from its own mail; the landlord hears who calls', async () => {
    const reference = await submit();
    const carrierMail = (await mailsAbout(reference)).find(
      (m) => (m.to as { text: string }).text === 'fluechtlingsrat.wohnungsangebote@example.org',
    )!;
    const [takeOn, placed, notSuitable] = linksOf(carrierMail.text);
    expect([takeOn, placed, notSuitable].every(Boolean)).toBe(true);

    expect((await post(takeOn!)).status).toBe(303);
    const landlordMail = (await mailsAbout(reference)).find((m) => m.subject?.includes('meldet sich bei Ihnen'));
    expect(landlordMail?.subject).toBe(`Ihr Wohnungsangebot ${reference}: Kölner Flüchtlingsrat meldet sich bei Ihnen`);
    expect(landlordMail?.text).toContain('fluechtlingsrat.wohnungsangebote@example.org');

    // "Not suitable" needs a reason: the page says so and keeps the step undone.
    const missing = await post(notSuitable!);
    expect(missing.status).toBe(422);
    const page = await missing.text();
    expect(page).toContain('Bitte wählen Sie einen Grund.');
    expect(page).toContain('<title>Fehler: Angebot passt nicht');

    expect((await post(placed!)).status).toBe(303);
    expect(await eventsOf(reference)).toEqual(['submitted', 'taken_on', 'placed']);
    // Too late for "not suitable" now: 409 with where the offer stands.
    const late = await post(notSuitable!, { reason: 'size' });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('Stand des Angebots: vermittelt');
    const placedMail = (await mailsAbout(reference)).find((m) => m.subject?.startsWith('Ihre Wohnung ist vermittelt'));
    expect(placedMail?.text).toContain('Drei Monate lang ist Kölner Flüchtlingsrat');
  });

  it('the coordination office chooses the carrier; a wrong choice is explained, the form keeps the rest', async () => {
    const reference = await submit();
    const coordinatorMail = (await mailsAbout(reference)).find(
      (m) => (m.to as { text: string }).text === 'auszugsmanagement@example.org',
    )!;
    const [takeOn] = linksOf(coordinatorMail.text);
    const form = await (await fetch(takeOn!)).text();
    // The routed carrier is preselected.
    expect(form).toMatch(/<option value="fluechtlingsrat" selected/);
    const wrong = await post(takeOn!, { carrier: 'nobody' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Bitte wählen Sie den Träger.');
    expect((await post(takeOn!, { carrier: 'drk' })).status).toBe(303);
    expect((await portal.services.store.findByReference(reference))?.takenOnBy).toBe('drk');
  });

  it('"still available?" from the schedule: two buttons, each answer reaches staff', async () => {
    const reference = await submit({ locale: 'en' });
    await mailsAbout(reference);
    // The schedule as with FOLLOW_UP_DAYS=0 (every other offer of this suite has moved on from "open").
    const { services } = portal;
    await createLifecycle({
      store: services.store,
      carriers: services.carriers,
      coordinatorEmail: services.settings.coordinator.email,
      links: services.links,
      followUpDays: 0,
    }).runSchedule(new Date());
    const followUp = (await mailsAbout(reference)).find((m) =>
      m.subject?.startsWith('Is your apartment still available'),
    );
    const [available, unavailable, withdraw] = linksOf(followUp?.text);
    expect(available).toMatch(/\/en\/action\//);
    expect(withdraw).toBeDefined();
    const page = await (await fetch(available!)).text();
    expect(page).toContain('<html lang="en"');
    expect(page).toContain('Yes, it is still available');
    expect((await post(available!)).status).toBe(303);
    const staff = (await mailsAbout(reference)).filter(
      (m) => m.subject === `Wohnungsangebot ${reference}: weiterhin frei`,
    );
    expect(staff).toHaveLength(2);
    // The other button still works: the apartment is gone after all.
    expect((await post(unavailable!)).status).toBe(303);
    expect(await eventsOf(reference)).toEqual(['submitted', 'follow_up', 'availability_confirmed', 'unavailable']);
  });

  it('tampered, cut, expired and unknown links get a clear page with the coordination office, never a 5xx', async () => {
    const reference = await submit();
    const mails = await mailsAbout(reference);
    const [withdraw] = linksOf(mails.find((m) => m.subject?.startsWith('Ihr Wohnungs'))?.text);
    const url = new URL(withdraw!);
    const token = url.searchParams.get('t')!;
    const [payload, mac] = token.split('.') as [string, string];
    const at = (t: string) => `${portal.url}/aktion/?t=${encodeURIComponent(t)}`;
    const forged = Buffer.from(`v1|${reference}|take_on|coordinator|9999999999`).toString('base64url');
    const secret = readFileSync(join(dataDir, 'link-secret'), 'utf8').trim();
    const signer = createLinkSigner(secret);
    const cases: Array<[string, string, number, string]> = [
      ['cut', at(token.slice(0, 30)), 400, 'Dieser Link ist unvollständig'],
      ['none', `${portal.url}/aktion/`, 400, 'Dieser Link ist unvollständig'],
      ['garbage', at('%00%ff<script>'), 400, 'Dieser Link ist unvollständig'],
      ['forged payload', at(`${forged}.${mac}`), 403, 'Dieser Link ist ungültig'],
      ['flipped signature', at(`${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`), 403, 'ungültig'],
      [
        'expired',
        at(
          signer.sign({ reference, action: 'withdraw', actor: 'landlord', expires: Math.floor(Date.now() / 1000) - 1 }),
        ),
        410,
        'Dieser Link ist abgelaufen',
      ],
      [
        'unknown offer',
        at(signer.sign({ reference: 'ZZZZ-ZZZZ', action: 'withdraw', actor: 'landlord', expires: 9999999999 })),
        404,
        'Zu diesem Link gibt es kein Angebot',
      ],
      [
        'wrong role',
        at(signer.sign({ reference, action: 'take_on', actor: 'landlord', expires: 9999999999 })),
        403,
        'ungültig',
      ],
    ];
    for (const [name, link, status, text] of cases) {
      for (const method of ['GET', 'POST']) {
        const response = await fetch(link, { method, redirect: 'manual' });
        expect(response.status, `${name} ${method}`).toBe(status);
        const html = await response.text();
        expect(html, name).toContain(text);
        expect(html, name).toContain('auszugsmanagement@example.org');
        expect(html, name).not.toContain(reference);
      }
    }
    expect(await eventsOf(reference)).toEqual(['submitted']);
  });

  it('the link secret is made once, kept private, and survives a restart', () => {
    const file = join(dataDir, 'link-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[\w-]{43}$/);
  });

  it('a huge or strange form post is answered, not crashed on', async () => {
    const reference = await submit();
    const [, , notSuitable] = linksOf(
      (await mailsAbout(reference)).find((m) => (m.to as { text: string }).text === 'auszugsmanagement@example.org')
        ?.text,
    );
    const huge = await post(notSuitable!, { reason: 'size', junk: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    const json = await fetch(notSuitable!, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/json' },
      body: '{"reason":"size"}',
    });
    expect(json.status).toBe(422);
    expect(await eventsOf(reference)).toEqual(['submitted']);
  });
});
