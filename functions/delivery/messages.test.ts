import { describe, expect, it } from 'vitest';
import { buildMessage, type MessageContext } from './messages.ts';
import { createLinkSigner } from '../lifecycle/links.ts';
import { eventActions, type EventAction, type Stage } from '../lifecycle/model.ts';
import { offerEventSchema } from '../../src/schemas/webhook.ts';
import type { Offer } from '../../src/schemas/offer.ts';
import type { Carrier } from '../../src/schemas/carriers.ts';
import type { ClaimedJob, OfferEvent } from '../storage/types.ts';
import { validOffer } from '../../tests/support/offers.ts';

const links = createLinkSigner('message-test-secret-0123456789-abcdefghij');
const carriers: Carrier[] = [
  {
    id: 'caritas',
    name: 'Caritasverband',
    description: { de: 'x', en: 'x' },
    email: 'caritas@example.org',
    phone: '0221 000000',
    website: 'https://caritas.example.org/',
    webhookUrl: 'https://caritas.example.org/hook',
    stadtbezirke: ['Kalk'],
  },
  {
    id: 'drk',
    name: 'Deutsches Rotes Kreuz',
    description: { de: 'x', en: 'x' },
    email: 'drk@example.org',
    stadtbezirke: [],
  },
];
const context: MessageContext = {
  mailFrom: 'Portal <portal@auszugsmanagement.example.org>',
  coordinator: { name: { de: 'Koordinierungsstelle', en: 'Coordination office' }, email: 'koordination@example.org' },
  carriers,
  nameCarrier: true,
  webhookSecret: () => 'whsec_dGVzdA==',
  siteUrl: 'https://portal.example.org',
  links,
};

// Free text a landlord typed: it must never reach a mail that goes back to the (unverified) address.
const payload = validOffer({
  name: 'Mallory <b>Mustermann</b>',
  contactNotes: 'Besuchen Sie https://evil.example.com',
  description: 'Klicken Sie hier: https://evil.example.com',
  street: 'Geheimweg',
}) as unknown as Offer;

function job(
  action: EventAction,
  recipient: { channel?: 'email' | 'webhook'; kind: 'landlord' | 'coordinator' | 'carrier'; id: string },
  event: Partial<OfferEvent> = {},
  offer: Partial<ClaimedJob['offer']> = {},
): ClaimedJob {
  const stage: Record<EventAction, Stage> = {
    submitted: 'open',
    withdrawn: 'withdrawn',
    follow_up: 'open',
    availability_confirmed: 'open',
    unavailable: 'unavailable',
    taken_on: 'taken_on',
    placed: 'placed',
    not_suitable: 'not_suitable',
    aftercare_requested: 'placed',
    aftercare_answered: 'closed',
    stale: 'stale',
    closed: 'closed',
  };
  const details: Record<EventAction, OfferEvent['details']> = {
    submitted: {},
    withdrawn: {},
    follow_up: { round: 1 },
    availability_confirmed: { round: 1 },
    unavailable: { round: 0 },
    taken_on: { carrier: 'caritas' },
    placed: { carrier: 'caritas' },
    not_suitable: { reason: 'rent_too_high' },
    aftercare_requested: {},
    aftercare_answered: { rating: 4, comment: true },
    stale: { answered: false },
    closed: { aftercare: 'unanswered' },
  };
  return {
    id: 1,
    offerId: 1,
    channel: recipient.channel ?? 'email',
    recipientKind: recipient.kind,
    recipientId: recipient.id,
    target:
      recipient.channel === 'webhook'
        ? 'https://caritas.example.org/hook'
        : recipient.kind === 'landlord'
          ? payload.email
          : 'x@example.org',
    attempts: 1,
    event: {
      id: 9,
      seq: action === 'submitted' ? 1 : 3,
      at: '2026-12-01T09:30:00.000Z',
      actor: action === 'taken_on' || action === 'placed' || action === 'not_suitable' ? 'carrier' : 'landlord',
      actorId: action === 'taken_on' || action === 'placed' || action === 'not_suitable' ? 'caritas' : null,
      action,
      stage: stage[action],
      details: details[action],
      ...event,
    },
    offer: {
      stage: stage[action],
      takenOnBy: null,
      reference: 'K7M4-QX9T',
      receivedAt: '2026-11-28T10:00:00.000Z',
      locale: 'de',
      stadtbezirk: 'Kalk',
      carrierId: 'caritas',
      routingReason: 'Kalk → Caritasverband',
      payload,
      aftercareComment: action === 'aftercare_answered' ? 'Alles gut, danke.' : null,
      ...offer,
    },
  };
}

function mail(j: ClaimedJob) {
  const message = buildMessage(j, context);
  if (message.kind !== 'mail') throw new Error(`expected a mail, got ${message.kind}`);
  return message.mail;
}

/** The action links in a mail's text part, checked with the signer. */
function linksIn(text: string) {
  return [...text.matchAll(/https:\/\/portal\.example\.org\/(?:en\/action|aktion)\/\?t=([\w.-]+)/g)].map((m) => {
    const check = links.verify(m[1]!, new Date('2026-12-02'));
    if (!check.ok) throw new Error(`bad link: ${check.reason}`);
    return `${check.claims.action}:${check.claims.actor}`;
  });
}

describe('messages about the offer’s life', () => {
  it('the confirmation carries a signed withdraw link for the landlord, valid for a year from the offer', () => {
    // The submission event happened on 2026-12-01 09:30 UTC.
    const m = mail(job('submitted', { kind: 'landlord', id: 'landlord' }));
    expect(linksIn(m.text)).toEqual(['withdraw:landlord']);
    const token = /\?t=([\w.-]+)/.exec(m.text)![1]!;
    expect(links.verify(token, new Date('2027-12-01T09:00:00Z')).ok).toBe(true);
    expect(links.verify(token, new Date('2027-12-01T10:00:00Z'))).toMatchObject({ ok: false, reason: 'expired' });
    expect(m.html).toContain(`href="https://portal.example.org/aktion/?t=${token}"`);
  });

  it('staff get take on / placed / not suitable in the first mail, each for themselves', () => {
    expect(linksIn(mail(job('submitted', { kind: 'coordinator', id: 'coordinator' })).text)).toEqual([
      'take_on:coordinator',
      'placed:coordinator',
      'not_suitable:coordinator',
    ]);
    expect(linksIn(mail(job('submitted', { kind: 'carrier', id: 'caritas' })).text)).toEqual([
      'take_on:carrier:caritas',
      'placed:carrier:caritas',
      'not_suitable:carrier:caritas',
    ]);
  });

  it('the same job builds the same mail again (a retry sends what the first try sent)', () => {
    for (const action of ['submitted', 'follow_up', 'taken_on'] as const) {
      const a = mail(job(action, { kind: 'landlord', id: 'landlord' }));
      const b = mail(job(action, { kind: 'landlord', id: 'landlord' }));
      expect(b).toEqual(a);
    }
  });

  it('Message-IDs are stable per event and recipient; the submission keeps its old form', () => {
    expect(mail(job('submitted', { kind: 'coordinator', id: 'coordinator' })).messageId).toBe(
      '<K7M4-QX9T.coordinator.coordinator@auszugsmanagement.example.org>',
    );
    expect(mail(job('withdrawn', { kind: 'carrier', id: 'caritas' })).messageId).toBe(
      '<K7M4-QX9T.3.withdrawn.carrier.caritas@auszugsmanagement.example.org>',
    );
  });

  it('landlord mails: the right buttons, the carrier’s public contact, and never the landlord’s free text', () => {
    const followUp = mail(job('follow_up', { kind: 'landlord', id: 'landlord' }));
    expect(followUp.subject).toBe('Ist Ihre Wohnung noch frei? (Vorgangsnummer K7M4-QX9T)');
    expect(linksIn(followUp.text)).toEqual(['available:landlord', 'unavailable:landlord', 'withdraw:landlord']);

    const takenOn = mail(job('taken_on', { kind: 'landlord', id: 'landlord' }));
    expect(takenOn.subject).toBe('Ihr Wohnungsangebot K7M4-QX9T: Caritasverband meldet sich bei Ihnen');
    expect(takenOn.text).toContain('caritas@example.org');
    expect(takenOn.text).toContain('0221 000000');
    expect(takenOn.text).toContain('https://caritas.example.org/');
    expect(linksIn(takenOn.text)).toEqual(['withdraw:landlord']);

    const placed = mail(job('placed', { kind: 'landlord', id: 'landlord' }));
    expect(placed.text).toMatch(/Drei Monate lang ist Caritasverband/);
    expect(linksIn(placed.text)).toEqual([]);

    const notSuitable = mail(job('not_suitable', { kind: 'landlord', id: 'landlord' }));
    expect(notSuitable.text).toContain('Die Miete liegt über dem Betrag');
    expect(notSuitable.text).not.toContain('rent_too_high');
    expect(linksIn(notSuitable.text)).toEqual([]);

    const aftercare = mail(job('aftercare_requested', { kind: 'landlord', id: 'landlord' }));
    expect(linksIn(aftercare.text)).toEqual(['aftercare:landlord']);

    for (const m of [followUp, takenOn, placed, notSuitable, aftercare]) {
      for (const typed of ['Mallory', 'evil.example.com', 'Geheimweg']) {
        expect(m.text).not.toContain(typed);
        expect(m.html).not.toContain(typed);
      }
      expect(m.replyTo).toEqual({ name: 'Koordinierungsstelle', address: 'koordination@example.org' });
    }
  });

  it('an English landlord gets English mails and English links', () => {
    const en = { payload: { ...payload, locale: 'en' as const } };
    const m = mail(job('follow_up', { kind: 'landlord', id: 'landlord' }, {}, en));
    expect(m.subject).toBe('Is your apartment still available? (reference K7M4-QX9T)');
    expect(m.html).toContain('<html lang="en">');
    expect(m.text).toContain('https://portal.example.org/en/action/?t=');
  });

  it('staff mails: German, who did what, the next buttons only for whoever is responsible', () => {
    const withdrawn = mail(job('withdrawn', { kind: 'coordinator', id: 'coordinator' }));
    expect(withdrawn.subject).toBe('Wohnungsangebot K7M4-QX9T: zurückgezogen');
    expect(withdrawn.text).toContain('am 01.12.2026 um 10:30 Uhr');
    expect(linksIn(withdrawn.text)).toEqual([]);

    const takenOn = job('taken_on', { kind: 'carrier', id: 'caritas' }, { actor: 'coordinator', actorId: null });
    const toCaritas = mail(takenOn);
    expect(toCaritas.subject).toBe('Wohnungsangebot K7M4-QX9T: übernommen von Caritasverband');
    expect(toCaritas.text).toContain('Gemeldet am 01.12.2026 um 10:30 Uhr von: Koordinierungsstelle.');
    expect(linksIn(toCaritas.text)).toEqual(['placed:carrier:caritas', 'not_suitable:carrier:caritas']);
    // drk took it on instead: caritas (routed) is told but gets no buttons.
    const byDrk = job('taken_on', { kind: 'carrier', id: 'caritas' }, { actorId: 'drk', details: { carrier: 'drk' } });
    expect(mail(byDrk).subject).toBe('Wohnungsangebot K7M4-QX9T: übernommen von Deutsches Rotes Kreuz');
    expect(linksIn(mail(byDrk).text)).toEqual([]);

    const notSuitable = mail(job('not_suitable', { kind: 'coordinator', id: 'coordinator' }));
    expect(notSuitable.subject).toBe('Wohnungsangebot K7M4-QX9T: passt nicht (Miete zu hoch)');
    expect(notSuitable.text).toContain('Gemeldet am 01.12.2026 um 10:30 Uhr von: Caritasverband.');
  });

  it('the after-care comment goes to the coordination office, escaped, and to nobody else', () => {
    const withComment = job(
      'aftercare_answered',
      { kind: 'coordinator', id: 'coordinator' },
      {},
      {
        aftercareComment: 'Gut <script>alert(1)</script>\nZweite Zeile',
      },
    );
    const m = mail(withComment);
    expect(m.subject).toBe('Wohnungsangebot K7M4-QX9T: Rückmeldung zur Nachbetreuung (4 von 5)');
    expect(m.text).toContain('Gut <script>alert(1)</script>\nZweite Zeile');
    expect(m.html).toContain('Gut &lt;script&gt;alert(1)&lt;/script&gt;<br/>Zweite Zeile');
    expect(m.html).not.toContain('<script>');
  });

  it('every webhook event validates against the published schema and carries no personal data', () => {
    const hooked = eventActions.filter((a) => a !== 'follow_up' && a !== 'aftercare_requested');
    for (const action of hooked) {
      const message = buildMessage(job(action, { channel: 'webhook', kind: 'carrier', id: 'caritas' }), context);
      if (message.kind !== 'webhook') throw new Error(action);
      const body = JSON.parse(message.body);
      expect(offerEventSchema.safeParse(body).error?.issues ?? [], action).toEqual([]);
      expect(body.type).toBe(`offer.${action}`);
      expect(body.data.version).toBe(2);
      expect(message.id).toBe(action === 'submitted' ? 'msg_K7M4-QX9T_caritas' : 'msg_K7M4-QX9T_3_caritas');
      if (action !== 'submitted') {
        expect(message.body).not.toContain(payload.email);
        expect(message.body).not.toContain('Mallory');
        expect(message.body).not.toContain('Alles gut');
      }
    }
  });

  it('nothing goes to a landlord whose data is erased', () => {
    const message = buildMessage(job('taken_on', { kind: 'landlord', id: 'landlord' }, {}, { payload: null }), context);
    expect(message.kind).toBe('undeliverable');
  });
});
