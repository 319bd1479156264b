import { describe, expect, it } from 'vitest';
import { buildMessage, type Message, type MessageContext } from './messages.ts';
import { createLinkSigner } from '../lifecycle/links.ts';
import type { ClaimedJob } from '../storage/types.ts';
import { createOfferSchema, type Offer } from '../../src/schemas/offer.ts';
import { offerEventSchema } from '../../src/schemas/webhook.ts';
import type { RentLimitTable } from '../../src/lib/rent-check.ts';
import { validOffer } from '../../tests/support/offers.ts';

/**
 * What each delivery job of a submission sends for an offer that came through a campaign, with
 * and without published rent limits: the staff mail shows the campaign and the rent check, the
 * landlord's confirmation neither, the webhook the campaign as code and label.
 */
const rentLimits: RentLimitTable = {
  validFrom: '2027-01-01',
  source: 'Testquelle Mietobergrenzen',
  rows: [
    { persons: 1, maxGrossColdRent: 600 },
    { persons: 2, maxGrossColdRent: 700 },
    { persons: 3, maxGrossColdRent: 800 },
  ],
  perFurtherPerson: 100,
};
const context: MessageContext = {
  mailFrom: 'Portal <portal@example.org>',
  coordinator: { name: { de: 'Koordinierungsstelle', en: 'Coordination office' }, email: 'k@example.org' },
  carriers: [],
  nameCarrier: false,
  campaigns: [{ code: 'flyer-kalk', label: 'Flyer Bürgeramt Kalk 2027' }],
  webhookSecret: () => 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0',
  siteUrl: 'https://portal.example.org',
  links: createLinkSigner('outreach-test-secret-0123456789-abcdefghij'),
};

function offer(overrides: Record<string, unknown> = {}): Offer {
  return createOfferSchema({ today: '2026-11-28' }).parse(validOffer(overrides));
}

/** The job of the submission event for one recipient. */
function job(kind: 'coordinator' | 'landlord' | 'webhook', payload: Offer): ClaimedJob {
  return {
    id: 1,
    offerId: 1,
    channel: kind === 'webhook' ? 'webhook' : 'email',
    recipientKind: kind === 'webhook' ? 'carrier' : kind,
    recipientId: kind === 'webhook' ? 'caritas' : kind,
    target: kind === 'webhook' ? 'https://caritas.example.org/hook' : 'x@example.org',
    attempts: 1,
    event: {
      id: 1,
      seq: 1,
      at: '2027-02-01T10:00:00.000Z',
      actor: 'landlord',
      actorId: null,
      action: 'submitted',
      stage: 'open',
      details: {},
    },
    offer: {
      stage: 'open',
      takenOnBy: null,
      reference: 'K7M4-QX9T',
      receivedAt: '2027-02-01T10:00:00.000Z',
      locale: payload.locale,
      stadtbezirk: 'Kalk',
      carrierId: null,
      routingReason: 'Stadtteil Kalk liegt im Stadtbezirk Kalk.',
      payload,
      aftercareComment: null,
    },
  };
}

const mailOf = (message: Message) => {
  if (message.kind !== 'mail') throw new Error(`expected a mail, got ${message.kind}`);
  return message.mail;
};
const eventOf = (message: Message) => {
  if (message.kind !== 'webhook') throw new Error(`expected a webhook, got ${message.kind}`);
  return JSON.parse(message.body);
};

describe('the campaign an offer came through', () => {
  const withCampaign = offer({ campaign: 'flyer-kalk' });

  it('is a row of the case facts in the staff mail: label and code', () => {
    const mail = mailOf(buildMessage(job('coordinator', withCampaign), context));
    expect(mail.text.split('\n')).toContain('Kampagne: Flyer Bürgeramt Kalk 2027 (flyer-kalk)');
    expect(mail.html).toMatch(
      /<th scope="row"[^>]*>Kampagne<\/th><td[^>]*>Flyer Bürgeramt Kalk 2027 \(flyer-kalk\)<\/td>/,
    );
    // The JSON attachment is the webhook payload.
    const attached = JSON.parse(String(mail.attachments![0]!.content));
    expect(attached.data.campaign).toEqual({ code: 'flyer-kalk', label: 'Flyer Bürgeramt Kalk 2027' });
  });

  it('is not in the landlord’s confirmation', () => {
    for (const locale of ['de', 'en']) {
      const mail = mailOf(buildMessage(job('landlord', offer({ campaign: 'flyer-kalk', locale })), context));
      expect(`${mail.html}\n${mail.text}`).not.toMatch(/flyer-kalk|Bürgeramt|Kampagne|campaign/i);
    }
  });

  it('is in the webhook payload as offer.campaign and as data.campaign with its label', () => {
    const event = eventOf(buildMessage(job('webhook', withCampaign), context));
    expect(event.data.campaign).toEqual({ code: 'flyer-kalk', label: 'Flyer Bürgeramt Kalk 2027' });
    expect(event.data.offer.campaign).toBe('flyer-kalk');
    expect(offerEventSchema.safeParse(event).error?.issues ?? []).toEqual([]);
  });

  it('is null in the payload and absent from the staff mail without one', () => {
    const plain = offer();
    expect(eventOf(buildMessage(job('webhook', plain), context)).data.campaign).toBeNull();
    expect(eventOf(buildMessage(job('webhook', plain), context)).data.offer).not.toHaveProperty('campaign');
    expect(mailOf(buildMessage(job('coordinator', plain), context)).text).not.toContain('Kampagne');
  });

  it('keeps its code as its label when the code left the list after the offer came', () => {
    const event = eventOf(
      buildMessage(job('webhook', offer({ campaign: 'flyer-kalk' })), { ...context, campaigns: [] }),
    );
    expect(event.data.campaign).toEqual({ code: 'flyer-kalk', label: 'flyer-kalk' });
  });
});

describe('the rent check in the staff mail', () => {
  // 650 + 180 = 830 € gross cold rent (heating 90 € does not count); 3 people: limit 800 €.
  const published = { ...context, rentLimits };

  it('shows the verdict with date and source while the limits are published', () => {
    const mail = mailOf(buildMessage(job('coordinator', offer()), published));
    const line =
      'Angemessenheitsgrenze (KdU): Bruttokaltmiete 830,00 €: 30,00 € über der Grenze von 800,00 € für 3 Personen (Stand 01.01.2027, Quelle: Testquelle Mietobergrenzen).';
    expect(mail.text.split('\n')).toContain(line);
    expect(mail.html).toContain('30,00 € über der Grenze von 800,00 € für 3 Personen');
    const within = mailOf(buildMessage(job('coordinator', offer({ maxOccupants: 4 })), published));
    expect(within.text).toContain('Bruttokaltmiete 830,00 €: innerhalb der Grenze von 900,00 € für 4 Personen');
  });

  it('says when heating hides in the service charges', () => {
    const mail = mailOf(
      buildMessage(
        job('coordinator', offer({ heatingIncluded: true, heatingCosts: undefined, maxOccupants: 4 })),
        published,
      ),
    );
    expect(mail.text).toContain('Die Bruttokaltmiete ist niedriger als hier berechnet.');
  });

  it('leaves no trace while the limits are not published, nor in the landlord’s mail', () => {
    const staff = mailOf(buildMessage(job('coordinator', offer()), context));
    const landlord = mailOf(buildMessage(job('landlord', offer()), published));
    for (const mail of [staff, landlord]) {
      expect(`${mail.html}\n${mail.text}`).not.toMatch(/Angemessenheitsgrenze|KdU|Bruttokaltmiete|Testquelle/);
    }
  });
});
