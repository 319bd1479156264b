import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import fc from 'fast-check';
import { createOfferIntake } from '../../functions/offers/intake.ts';
import { openOfferStore, type OfferStore } from '../../functions/offers/store.ts';
import { createRouter, loadCarriers } from '../../functions/offers/routing.ts';
import { createRateLimiter } from '../../functions/offers/rate-limit.ts';
import { createOfferRenderer } from '../../src/offer-server/render.tsx';
import { offerErrorKeys } from '../../src/schemas/offer.ts';
import { contentDir, distDir } from '../support/content-files.ts';
import { asForm, tempDataDir, validOffer } from '../support/offers.ts';

/**
 * The intake handler as a function (Request in, Response out) over a real SQLite file, the real
 * routing table and the real page renderer. The HTTP server around it is tested in portal.test.ts.
 */
const origin = 'http://portal.test';
const renderer = createOfferRenderer({ distDir, coordinatorEmail: 'koordination@example.org' });
const router = createRouter(loadCarriers(join(contentDir, 'carriers.yaml')), 'koordination@example.org');
const errorKeys = new Set<string>(offerErrorKeys);

function setup(options: { rateLimit?: number; now?: () => Date } = {}) {
  const store = openOfferStore(tempDataDir());
  const handle = createOfferIntake({
    store,
    router,
    renderer,
    rateLimiter: createRateLimiter({ limit: options.rateLimit ?? 0, windowMs: 60_000 }),
    now: options.now,
  });
  return { store, handle };
}

function post(body: string, headers: Record<string, string> = {}): Request {
  return new Request(`${origin}/api/offers`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin, ...headers },
    body,
  });
}
const client = { ip: '127.0.0.1' };

describe('POST /api/offers', () => {
  let store: OfferStore;
  let handle: ReturnType<typeof createOfferIntake>;
  beforeAll(() => ({ store, handle } = setup()));
  afterAll(() => store.close());

  it('stores a valid JSON offer and answers 201 with the reference, routed by Stadtbezirk', async () => {
    const offer = validOffer();
    const response = await handle(post(JSON.stringify(offer)), client);
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const stored = store.findByReference(body.reference)!;
    expect(stored.status).toBe('received');
    expect(stored.stadtbezirk).toBe('Kalk');
    expect(stored.carrierId).toBe('fluechtlingsrat');
    expect(stored.routingReason).toContain('Kalk');
    expect((stored.payload as Record<string, unknown>).email).toBe(offer.email);
    expect(store.deliveryJobs(stored.id).map((j) => `${j.recipientKind}:${j.target}`)).toEqual([
      'coordinator:koordination@example.org',
      'landlord:erika.mustermann@example.org',
      'carrier:fluechtlingsrat.wohnungsangebote@example.org',
    ]);
  });

  it('answers a repeated submission id with the same reference (200), storing one offer', async () => {
    const offer = validOffer();
    const first = await (await handle(post(JSON.stringify(offer)), client)).json();
    const again = await handle(post(JSON.stringify(offer)), client);
    expect(again.status).toBe(200);
    expect((await again.json()).reference).toBe(first.reference);
    expect(store.findBySubmissionId(String(offer.submissionId))!.reference).toBe(first.reference);
  });

  it('answers 422 with field errors as message keys', async () => {
    const response = await handle(
      post(JSON.stringify(validOffer({ email: 'nope', postalCode: '10115', rooms: 2.3 }))),
      client,
    );
    expect(response.status).toBe(422);
    const { errors } = await response.json();
    expect(Object.keys(errors).sort()).toEqual(['email', 'postalCode', 'rooms']);
    for (const key of Object.values(errors)) expect(errorKeys.has(key as string)).toBe(true);
  });

  it('rejects unknown fields', async () => {
    const response = await handle(post(JSON.stringify(validOffer({ isAdmin: true }))), client);
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain('isAdmin');
  });

  it.each([
    ['malformed JSON', post('{"name": '), 400],
    ['a JSON array', post('[]'), 422],
    ['text/plain', post('name=x', { 'Content-Type': 'text/plain' }), 415],
    ['multipart', post('x', { 'Content-Type': 'multipart/form-data; boundary=x' }), 415],
    ['a body over 32 KiB', post(JSON.stringify(validOffer({ description: 'x'.repeat(40_000) }))), 413],
    ['a cross-site Origin', post(JSON.stringify(validOffer()), { Origin: 'https://evil.example' }), 403],
    [
      'a cross-site fetch without Origin',
      new Request(`${origin}/api/offers`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' },
        body: '{}',
      }),
      403,
    ],
    [
      'Origin: null from a cross-site page',
      post(JSON.stringify(validOffer()), { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }),
      403,
    ],
    ['Origin: null without Sec-Fetch-Site', post(JSON.stringify(validOffer()), { Origin: 'null' }), 403],
    ['GET', new Request(`${origin}/api/offers`), 405],
  ])('refuses %s', async (_, request, status) => {
    const before = store.countOffers();
    const response = await handle(request, client);
    expect(response.status).toBe(status);
    expect(store.countOffers()).toBe(before);
  });

  it.each([
    ['the own origin', { Origin: origin }],
    ['Origin: null from our own page', { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' }],
    ['no browser headers at all (a script)', {}],
  ])('accepts a post with %s', async (_, headers) => {
    const request = new Request(`${origin}/api/offers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(validOffer()),
    });
    expect((await handle(request, client)).status).toBe(201);
  });

  it('limits each client and says when to come back (429 with Retry-After)', async () => {
    const limited = setup({ rateLimit: 2 });
    const send = () => limited.handle(post(JSON.stringify(validOffer())), { ip: '10.0.0.1' });
    expect((await send()).status).toBe(201);
    expect((await send()).status).toBe(201);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await limited.handle(post(JSON.stringify(validOffer())), { ip: '10.0.0.2' })).status).toBe(201);
    limited.store.close();
  });

  it('stores a filled honeypot as spam without deliveries and answers like any offer', async () => {
    const response = await handle(post(JSON.stringify({ ...validOffer(), website: 'http://spam.example' })), client);
    expect(response.status).toBe(201);
    const stored = store.findByReference((await response.json()).reference)!;
    expect(stored.status).toBe('spam');
    expect(stored.spamReason).toBe('honeypot');
    expect(store.deliveryJobs(stored.id)).toEqual([]);
  });

  it('treats a form filled in under three seconds as spam, an unknown start time as a person', async () => {
    const now = new Date('2026-11-28T12:00:00Z');
    const timed = setup({ now: () => now });
    const fast = await timed.handle(post(JSON.stringify(validOffer({ formStartedAt: now.getTime() - 1500 }))), client);
    expect(timed.store.findByReference((await fast.json()).reference)!.spamReason).toBe('too_fast');
    const slow = await timed.handle(
      post(JSON.stringify(validOffer({ formStartedAt: now.getTime() - 120_000 }))),
      client,
    );
    expect(timed.store.findByReference((await slow.json()).reference)!.status).toBe('received');
    const unknown = await timed.handle(post(JSON.stringify(validOffer())), client);
    expect(timed.store.findByReference((await unknown.json()).reference)!.status).toBe('received');
    timed.store.close();
  });

  it('answers 503 and keeps nothing half-written when storage fails', async () => {
    const broken = setup();
    broken.store.close();
    const response = await broken.handle(post(JSON.stringify(validOffer())), client);
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('30');
  });
});

describe('form posts without JavaScript', () => {
  let store: OfferStore;
  let handle: ReturnType<typeof createOfferIntake>;
  beforeAll(() => ({ store, handle } = setup()));
  afterAll(() => store.close());
  const formPost = (body: string) => post(body, { 'Content-Type': 'application/x-www-form-urlencoded' });

  it('review: shows every answer with a submission id issued by the server', async () => {
    const offer = validOffer({ submissionId: undefined });
    const response = await handle(formPost(asForm(offer, { intent: 'review' })), client);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Prüfen Sie Ihre Angaben');
    expect(html).toContain('Kalker Hauptstraße 12a');
    expect(html).toMatch(/name="submissionId" value="[0-9a-f-]{36}"/);
    expect(store.countOffers()).toBe(0);
  });

  it("submit: stores the offer and redirects (303) to the confirmation in the landlord's language", async () => {
    const response = await handle(
      formPost(asForm(validOffer({ locale: 'en', rooms: '2,5', coldRent: '650,50' }), { intent: 'submit' })),
      client,
    );
    expect(response.status).toBe(303);
    const location = response.headers.get('Location')!;
    expect(location).toMatch(/^\/en\/offer\/confirmation\/\?ref=[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const stored = store.findByReference(new URL(location, origin).searchParams.get('ref')!)!;
    expect((stored.payload as Record<string, unknown>).rooms).toBe(2.5);
    expect((stored.payload as Record<string, unknown>).coldRent).toBe(650.5);
  });

  it('errors: the form comes back (422) with an error summary and every typed value', async () => {
    const typed = validOffer({
      email: 'erika-at-example',
      street: 'Straße mit "Anführungszeichen" & <Klammern>',
      description: 'Zeile 1\nZeile 2',
    });
    const response = await handle(formPost(asForm(typed, { intent: 'review' })), client);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Bitte prüfen Sie Ihre Angaben');
    expect(html).toContain('href="#email"');
    expect(html).toContain('value="erika-at-example"');
    expect(html).toContain('value="Straße mit &quot;Anführungszeichen&quot; &amp; &lt;Klammern&gt;"');
    expect(html).toContain('Zeile 1\nZeile 2</textarea>');
    expect(html).toMatch(/<option value="Kalk" selected="">/);
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('<Klammern>');
  });

  it('edit: goes back to the form with the chosen field focused', async () => {
    const response = await handle(formPost(asForm(validOffer(), { intent: 'edit:coldRent' })), client);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toMatch(/<input[^>]*id="coldRent"[^>]*autofocus=""/);
  });
});

describe('hostile input (property-based)', () => {
  let store: OfferStore;
  let handle: ReturnType<typeof createOfferIntake>;
  beforeAll(() => ({ store, handle } = setup()));
  afterAll(() => store.close());

  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const nearlyValid = fc
    .record({
      key: fc.constantFrom(...Object.keys(validOffer()), '__proto__', 'constructor', 'website', 'extra'),
      value: anyJson,
    })
    .map(({ key, value }) => JSON.stringify({ ...validOffer(), [key]: value }));
  const bodies = fc.oneof(
    anyJson.map((v) => JSON.stringify(v)),
    fc.dictionary(fc.string(), anyJson).map((v) => JSON.stringify(v)),
    nearlyValid,
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
  );

  it('never answers 5xx, never throws, and every 422 names fields with known message keys (10,000 bodies)', async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), async (body, asForm) => {
        count++;
        const response = await handle(
          post(
            asForm ? new URLSearchParams({ data: body, name: body }).toString() : body,
            asForm ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
          ),
          client,
        );
        expect(response.status).toBeLessThan(500);
        expect([200, 201, 400, 413, 422]).toContain(response.status);
        if (response.status === 422 && !asForm) {
          const { errors } = await response.json();
          expect(Object.keys(errors).length).toBeGreaterThan(0);
          for (const key of Object.values(errors)) expect(errorKeys.has(key as string)).toBe(true);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(count).toBe(10_000);
  }, 300_000);
});
