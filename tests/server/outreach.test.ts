import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Portal } from '../../functions/server.ts';
import { loadCampaignFigures } from '../../functions/offers/campaign-figures.ts';
import { mailsFor, startTestPortal } from '../support/portal.ts';
import { asForm, validOffer } from '../support/offers.ts';
import { campaignsFileWith, sampleRentLimits, settingsFileWith } from '../support/fixture-files.ts';

/**
 * Outreach that can be measured, over HTTP against the built portal: the campaign code of a
 * flyer's address through the offer page without JavaScript into the store and the staff mail;
 * the rent check on the review and in the staff mail while the rent limits are published, and no
 * trace of it while they are not. (The same journeys in Chromium, with and without JavaScript:
 * tests/browser/outreach.test.ts.)
 */
type TestPortal = Portal & { dataDir: string };

const formPost = (portal: TestPortal, path: string, body: string) =>
  fetch(`${portal.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: portal.url },
    body,
  });

/** Sends an offer through the page without JavaScript; its reference. */
async function submit(portal: TestPortal, path: string, offer: Record<string, unknown>): Promise<string> {
  const response = await formPost(portal, path, asForm(offer, { intent: 'submit' }));
  expect(response.status).toBe(303);
  return /ref=([A-Z2-9-]+)/.exec(response.headers.get('location') ?? '')![1]!;
}

/** The staff mail to the coordinator and the landlord's confirmation of one offer. */
async function mailsOf(portal: TestPortal, reference: string) {
  const mails = await Promise.all((await mailsFor(portal.dataDir, `_${reference}`, 3)).map((raw) => simpleParser(raw)));
  expect(mails).toHaveLength(3);
  const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;
  return {
    staff: mails.find((m) => to(m) === 'auszugsmanagement@example.org')!,
    landlord: mails.find((m) => to(m)?.startsWith('erika'))!,
  };
}

const hidden = (code: string) => `<input type="hidden" name="campaign" value="${code}"/>`;
const rentTraces = /Angemessenheitsgrenze|reasonable housing costs|rentCheck|rent-check|Testquelle|Bruttokaltmiete|KdU/;

describe('campaign codes on the offer page', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal({
      campaignsFile: campaignsFileWith([
        { code: 'flyer-kalk', label: 'Flyer Bürgeramt Kalk 2027', stadtbezirk: 'Kalk' },
        { code: 'poster-porz', label: 'Plakat Porz' },
      ]),
    });
  });
  afterAll(() => portal.close());

  it.each([
    ['/angebot/?via=flyer-kalk', 'flyer-kalk'],
    ['/angebot/?via=%20Flyer-KALK%20', 'flyer-kalk'],
    ['/en/offer/?via=poster-porz', 'poster-porz'],
    ['/en/offer/?utm_source=x&via=poster-porz', 'poster-porz'],
  ])('%s puts the code into the form', async (path, code) => {
    const response = await fetch(`${portal.url}${path}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(hidden(code));
    // The island gets the code as well, so that its JSON carries it.
    expect(html).toContain(`&quot;campaign&quot;:[0,&quot;${code}&quot;]`);
  });

  it.each([
    '/angebot/?via=unknown-code',
    '/angebot/?via=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/angebot/?via=',
    '/angebot/',
  ])('%s: no code, no trace of what was in the address', async (path) => {
    const html = await (await fetch(`${portal.url}${path}`)).text();
    expect(html).not.toContain('name="campaign"');
    expect(html).not.toMatch(/unknown-code|alert\(1\)/);
  });

  it('the code goes through the review without JavaScript into the store and the staff mail, not the landlord’s', async () => {
    const review = await formPost(
      portal,
      '/angebot/',
      asForm(validOffer({ submissionId: undefined, email: 'erika.review@example.org' }), {
        intent: 'review',
        campaign: 'flyer-kalk',
      }),
    );
    const html = await review.text();
    expect(html).toContain('Prüfen Sie Ihre Angaben');
    expect(html).toContain(hidden('flyer-kalk'));

    const reference = await submit(portal, '/angebot/', validOffer({ campaign: 'flyer-kalk' }));
    const stored = (await portal.services.store.findByReference(reference))!;
    expect(stored.campaign).toBe('flyer-kalk');
    const { staff, landlord } = await mailsOf(portal, reference);
    expect(staff.text).toContain('Kampagne: Flyer Bürgeramt Kalk 2027 (flyer-kalk)');
    expect(JSON.parse(staff.attachments[0]!.content.toString()).data.campaign).toEqual({
      code: 'flyer-kalk',
      label: 'Flyer Bürgeramt Kalk 2027',
    });
    expect(`${landlord.html}${landlord.text}`).not.toMatch(/flyer-kalk|Bürgeramt|Kampagne/);
  });

  it('an unknown code posted with the form is dropped: the offer is stored without one', async () => {
    const reference = await submit(portal, '/en/offer/', validOffer({ campaign: 'made-up', locale: 'en' }));
    expect((await portal.services.store.findByReference(reference))!.campaign).toBeNull();
    expect((await mailsOf(portal, reference)).staff.text).not.toContain('Kampagne');
  });

  it('counts the offers per campaign for the figures', async () => {
    const period = [new Date(0), new Date(Date.now() + 60_000)] as const;
    const counts = await portal.services.store.campaignCounts(...period);
    expect(counts).toContainEqual({ campaign: 'flyer-kalk', offers: 1 });
    expect(counts).toContainEqual({ campaign: null, offers: 1 });
    // With the labels of the running portal's list, a campaign without offers included.
    const rows = await loadCampaignFigures(portal.services.store, portal.services.campaigns, ...period);
    expect(rows.map((r) => [r.label, r.offers])).toEqual([
      ['Flyer Bürgeramt Kalk 2027', 1],
      ['Plakat Porz', 0],
      [null, 1],
    ]);
  });
});

describe('the rent check while the limits are published (sample values)', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal({ settingsFile: settingsFileWith(sampleRentLimits) });
  });
  afterAll(() => portal.close());

  it('gives the island the rents, their date and source, but not the living space', async () => {
    const html = await (await fetch(`${portal.url}/angebot/`)).text();
    expect(html).toContain('Testquelle Mietobergrenzen');
    expect(html).toContain('maxGrossColdRent');
    expect(html).not.toContain('maxLivingSpace');
    // Nothing typed yet: no verdict.
    expect(html).not.toContain('data-testid="rent-check"');
  });

  it.each([
    [
      '/angebot/',
      'de',
      'Das sind 30,00 € mehr als die Angemessenheitsgrenze von 800,00 € für 3 Personen.',
      'Stand 01.01.2027. Quelle: Testquelle Mietobergrenzen.',
    ],
    [
      '/en/offer/',
      'en',
      'That is €30.00 more than the limit for reasonable housing costs of €800.00 for 3 people.',
      'as of 1 January 2027',
    ],
  ])('shows the verdict on the review without JavaScript (%s)', async (path, locale, verdict, source) => {
    const response = await formPost(
      portal,
      path,
      asForm(validOffer({ submissionId: undefined, locale }), { intent: 'review' }),
    );
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('data-testid="rent-check"');
    expect(html).toContain(verdict);
    expect(html).toContain(source);
  });

  it('puts the verdict into the staff mail, not into the landlord’s', async () => {
    const reference = await submit(portal, '/angebot/', validOffer({ email: 'erika.rent@example.org' }));
    const { staff, landlord } = await mailsOf(portal, reference);
    expect(staff.text).toContain(
      'Angemessenheitsgrenze (KdU): Bruttokaltmiete 830,00 €: 30,00 € über der Grenze von 800,00 € für 3 Personen (Stand 01.01.2027, Quelle: Testquelle Mietobergrenzen).',
    );
    expect(`${landlord.html}${landlord.text}`).not.toMatch(rentTraces);
  });
});

describe('the rent check while the limits are not published', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal({ settingsFile: settingsFileWith({ ...sampleRentLimits, published: false }) });
  });
  afterAll(() => portal.close());

  it('leaves no trace in the page, the review or the staff mail, in either language', async () => {
    for (const path of ['/angebot/', '/en/offer/']) {
      expect(await (await fetch(`${portal.url}${path}`)).text()).not.toMatch(rentTraces);
      const review = await formPost(
        portal,
        path,
        asForm(validOffer({ submissionId: undefined }), { intent: 'review' }),
      );
      const html = await review.text();
      expect(html).toMatch(/Prüfen Sie Ihre Angaben|Check your answers/);
      expect(html).not.toMatch(rentTraces);
    }
    const reference = await submit(portal, '/angebot/', validOffer({ email: 'erika.unpublished@example.org' }));
    const { staff, landlord } = await mailsOf(portal, reference);
    for (const mail of [staff, landlord]) expect(`${mail.html}${mail.text}`).not.toMatch(rentTraces);
  });
});
