import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startPortal, type Portal } from '../../functions/server.ts';
import { loadConfig } from '../../functions/config.ts';
import { spawnPortal } from '../support/process.ts';
import { asForm, tempDataDir, validOffer } from '../support/offers.ts';

/** The whole portal process over HTTP: the way a browser, a double click or a crash meets it. */
describe('the portal server', () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal(
      { ...loadConfig({}), port: 0, dataDir: tempDataDir(), rateLimit: { limit: 0, windowMs: 1 } },
      { log: () => {} },
    );
  });
  afterAll(() => portal.close());

  const send = (offer: Record<string, unknown>) =>
    fetch(`${portal.url}/api/offers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: portal.url },
      body: JSON.stringify(offer),
    });
  const formPost = (path: string, body: string) =>
    fetch(`${portal.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: portal.url },
      body,
    });

  it('stores one offer for 25 concurrent duplicates of a submission', async () => {
    const offer = validOffer();
    const responses = await Promise.all(Array.from({ length: 25 }, () => send(offer)));
    const references = new Set(await Promise.all(responses.map(async (r) => (await r.json()).reference)));
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(24).fill(200), 201]);
    expect(references.size).toBe(1);
    expect(await portal.services.store.countOffers()).toBe(1);
  });

  it('answers /api/offers with and without a trailing slash', async () => {
    expect((await send({})).status).toBe(422);
    const slash = await fetch(`${portal.url}/api/offers/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(slash.status).toBe(422);
  });

  it('serves the confirmation page for a stored reference, and 404 for an unknown one', async () => {
    const { reference } = await (await send(validOffer())).json();
    const page = await fetch(`${portal.url}/angebot/bestaetigung/?ref=${reference}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(reference);
    expect(html).toContain('Vielen Dank für Ihr Angebot');
    expect(html).toContain('<meta name="robots" content="noindex');
    expect((await fetch(`${portal.url}/angebot/bestaetigung/?ref=ZZZZ-ZZZZ`)).status).toBe(404);
    expect((await fetch(`${portal.url}/en/offer/confirmation/?ref=<script>`)).status).toBe(404);
  });

  it('answers a no-JavaScript submit with 303 and a reload-safe confirmation address', async () => {
    const response = await formPost('/angebot/', asForm(validOffer(), { intent: 'submit' }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/angebot\/bestaetigung\/\?ref=[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const confirmation = await fetch(`${portal.url}${response.headers.get('location')}`);
    expect(confirmation.status).toBe(200);
  });

  it('review without JavaScript: every answer, formatted, and a submission id from the server', async () => {
    const response = await formPost('/angebot/', asForm(validOffer({ submissionId: undefined }), { intent: 'review' }));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Prüfen Sie Ihre Angaben');
    expect(html).toContain('Kalker Hauptstraße 12a');
    expect(html).toContain('650,00 €');
    expect(html).toMatch(/name="submissionId" value="[0-9a-f-]{36}"/);
    expect(html).toMatch(/<title>Prüfen Sie Ihre Angaben – Wohnung anbieten/);
  });

  it('errors without JavaScript: the form comes back (422) with a summary and every typed value', async () => {
    const typed = validOffer({
      email: 'erika-at-example',
      street: 'Straße mit "Anführungszeichen" & <Klammern>',
      description: 'Zeile 1\nZeile 2',
    });
    const response = await formPost('/angebot/', asForm(typed, { intent: 'review' }));
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Bitte prüfen Sie Ihre Angaben');
    expect(html).toMatch(/<title>Fehler: Bitte prüfen Sie Ihre Angaben/);
    expect(html).toContain('href="#email"');
    expect(html).toContain('value="erika-at-example"');
    expect(html).toContain('value="Straße mit &quot;Anführungszeichen&quot; &amp; &lt;Klammern&gt;"');
    expect(html).toContain('Zeile 1\nZeile 2</textarea>');
    expect(html).toMatch(/<option value="Kalk" selected="">/);
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('<Klammern>');
  });

  it('edit without JavaScript: back to the form with the chosen field focused', async () => {
    const response = await formPost('/en/offer/', asForm(validOffer(), { intent: 'edit:coldRent' }));
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toMatch(/<input[^>]*id="coldRent"[^>]*autofocus=""/);
  });

  it('the same form sent twice with other answers: 409 and a page that says how to change it', async () => {
    const offer = validOffer();
    const first = await formPost('/angebot/', asForm(offer, { intent: 'submit' }));
    const reference = new URL(first.headers.get('location')!, portal.url).searchParams.get('ref');
    const second = await formPost('/angebot/', asForm({ ...offer, deposit: 0 }, { intent: 'submit' }));
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain('Dieses Angebot haben wir schon');
    expect(html).toContain(reference);
    expect(html).toContain('Antworten Sie einfach auf die Bestätigungs-E-Mail');
  });

  it('refuses a cross-site form post without storing anything', async () => {
    const before = await portal.services.store.countOffers();
    const response = await fetch(`${portal.url}/angebot/`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: asForm(validOffer(), { intent: 'submit' }),
    });
    expect(response.status).toBe(403);
    expect(await portal.services.store.countOffers()).toBe(before);
  });

  it('sends the security headers on every kind of answer, and no-store on the rendered ones', async () => {
    for (const [path, init] of [
      ['/', {}],
      ['/angebot/', {}],
      ['/api/offers', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }],
      ['/gibt-es-nicht/', {}],
    ] as const) {
      const response = await fetch(`${portal.url}${path}`, init);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(response.headers.get('permissions-policy'), path).not.toContain('interest-cohort');
    }
    const page = await fetch(`${portal.url}/angebot/`);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const csp = page.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'self'", "base-uri 'none'", "object-src 'none'", "form-action 'self'"]) {
      expect(csp).toContain(directive);
    }
    // The default public address is https: browsers are told to stay on https.
    expect(page.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('redirects the offer page without its slash, keeping the query', async () => {
    const response = await fetch(`${portal.url}/angebot?via=x`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/angebot/?via=x');
  });

  it('compresses pages rendered on demand', async () => {
    const response = await fetch(`${portal.url}/angebot/`, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(['br', 'gzip']).toContain(response.headers.get('content-encoding'));
  });
});

describe('durability', { timeout: 60_000 }, () => {
  it('keeps an offer answered with 201 when the process is killed with SIGKILL right after', async () => {
    const dataDir = tempDataDir();
    const portal = await spawnPortal({ DATA_DIR: dataDir });
    const offer = validOffer();
    const response = await fetch(`${portal.url}/api/offers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: portal.url },
      body: JSON.stringify(offer),
    });
    expect(response.status).toBe(201);
    const { reference } = await response.json();
    portal.child.kill('SIGKILL');
    await new Promise((resolve) => portal.child.once('exit', resolve));

    const db = new DatabaseSync(join(dataDir, 'offers.sqlite'));
    const row = db
      .prepare('SELECT reference, status FROM offers WHERE submission_id = ?')
      .get(String(offer.submissionId));
    const jobs = db.prepare('SELECT count(*) AS n FROM delivery_jobs').get();
    db.close();
    expect(row).toEqual({ reference, status: 'received' });
    expect(jobs).toEqual({ n: 3 });
  });

  it('stops gracefully on SIGTERM: exit code 0 and no claim left behind', async () => {
    const dataDir = tempDataDir();
    const portal = await spawnPortal({ DATA_DIR: dataDir, DELIVERY_BASE_DELAY_MS: '600000' });
    const response = await fetch(`${portal.url}/api/offers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: portal.url },
      body: JSON.stringify(validOffer()),
    });
    expect(response.status).toBe(201);
    await portal.stop();
    expect(portal.child.exitCode).toBe(0);
    const db = new DatabaseSync(join(dataDir, 'offers.sqlite'));
    expect(db.prepare(`SELECT count(*) AS n FROM delivery_jobs WHERE claimed_by IS NOT NULL`).get()).toEqual({ n: 0 });
    db.close();
  });
});
