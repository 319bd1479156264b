import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetlifyDev } from '@netlify/dev';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { simpleParser } from 'mailparser';
import postgres from 'postgres';
import { Webhook } from 'standardwebhooks';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { securityHeaders } from '../../functions/http/headers.ts';
import { asForm, validOffer } from '../support/offers.ts';
import { freshDatabase, postgresMissing } from '../support/postgres.ts';
import { startReceiver, startSmtp } from '../support/receivers.ts';
import { deliverySchedule, scheduledFunctionName } from '../../src/integrations/netlify-scheduled.ts';
import {
  buildForNetlify,
  functionConfig,
  functionsDir,
  publishDir,
  root,
  startNetlifyHost,
  type NetlifyHost,
} from '../support/netlify.ts';

/**
 * The portal on Netlify, as far as it runs without Netlify: the Netlify build (static site in
 * dist-netlify/, the adapter's function and the Scheduled Function in .netlify/v1/functions/),
 * its two function entries imported in a Node process of their own and called with real Requests
 * and a Netlify-shaped context, as Netlify's Node runtime calls them (tests/support/netlify-host.ts),
 * against a real PostgreSQL (DATABASE_URL), a real SMTP server and a real webhook receiver. Netlify's CDN, its routing of misses to the function and its
 * scheduler are not run: the static files and netlify.toml are checked as files instead.
 */
const site = 'https://portal.example.org';
const webhookSecret = `whsec_${Buffer.from('netlify-test-webhook-secret-0123').toString('base64')}`;

describe.skipIf(postgresMissing)('the portal on Netlify (built functions, PostgreSQL, scheduled delivery)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let hooks: Awaited<ReturnType<typeof startReceiver>>;
  let databaseUrl: string;
  let db: postgres.Sql;
  let host: NetlifyHost;

  beforeAll(async () => {
    smtp = await startSmtp();
    hooks = await startReceiver();
    databaseUrl = await freshDatabase();
    db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    // The routing table is built into the functions: the Kalk carrier gets a webhook to the receiver.
    const carriers = parseYaml(readFileSync(join(root, 'content', 'carriers.yaml'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    const routing = join(mkdtempSync(join(tmpdir(), 'portal-netlify-routing-')), 'carriers.yaml');
    writeFileSync(
      routing,
      stringifyYaml(carriers.map((c) => (c.id === 'fluechtlingsrat' ? { ...c, webhookUrl: `${hooks.url}/hook` } : c))),
    );
    const seconds = await buildForNetlify({ ROUTING_FILE: routing, SITE_URL: site, RATE_LIMIT: '5/60' });
    console.log(`Netlify build ${seconds.toFixed(1)} s`);
    // The site's environment variables, as Netlify sets them for its functions.
    host = await startNetlifyHost({
      DATABASE_URL: databaseUrl,
      LINK_SECRET: 'netlify-test-link-secret-of-at-least-32-characters',
      SMTP_URL: smtp.url,
      SITE_URL: site,
      RATE_LIMIT: '5/60',
      MAIL_FROM: 'Portal <portal@auszugsmanagement.example.org>',
      WEBHOOK_SECRET_FLUECHTLINGSRAT: webhookSecret,
    });
  }, 400_000);

  afterAll(async () => {
    await host?.stop();
    await db?.end();
    await smtp?.close();
    await hooks?.close();
  });

  let ip = 0;
  /** Each test calls as its own client (Netlify's context.ip), apart from the rate limit test. */
  const client = () => `203.0.113.${++ip}`;
  const call = (path: string, init: RequestInit = {}, address = client()) =>
    fetch(new URL(path, host.url), {
      redirect: 'manual',
      ...init,
      headers: { ...(init.headers as Record<string, string>), 'x-nf-client-connection-ip': address },
    });
  const postJson = (body: unknown, headers: Record<string, string> = {}, address?: string) =>
    call(
      '/api/offers',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: site, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      },
      address,
    );
  const postForm = (path: string, body: string) =>
    call(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: site },
      body,
    });
  const runSchedule = async () => {
    const response = await host.schedule();
    expect(response.status).toBe(200);
    return (await response.json()) as { claimed: number; delivered: number; retried: number; dead: number };
  };

  it('builds the static site with the security headers file and no script on information pages', () => {
    // Netlify serves these files itself and takes their headers from _headers: the same values
    // the Node server sends (HSTS because SITE_URL is https).
    const rules = readFileSync(join(publishDir, '_headers'), 'utf8');
    const expected = securityHeaders({ hsts: true });
    expect(Object.keys(expected)).toContain('Strict-Transport-Security');
    for (const [name, value] of Object.entries(expected)) expect(rules).toContain(`  ${name}: ${value}\n`);
    const pages = readdirSync(publishDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
    const information = pages.filter((f) => !/^(angebot|en\/offer|aktion|en\/action)\//.test(f));
    expect(information.length).toBeGreaterThan(20);
    for (const page of information) {
      const html = readFileSync(join(publishDir, page), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
      expect(
        scripts.filter((attributes) => !/type="application\/ld\+json"/.test(attributes)),
        page,
      ).toEqual([]);
    }
    // The on-demand pages are not in the static output: the function renders them.
    expect(pages).not.toContain('angebot/index.html');
    expect(pages).not.toContain('aktion/index.html');
  });

  it('serves the static pages through Netlify’s own request chain (@netlify/dev, offline) with the _headers rules', async () => {
    // The library behind `netlify dev`: its static file handler and its parser of _headers, run on
    // the built site with netlify.toml's publish folder. Everything that would ask Netlify's API is
    // off. (Its functions handler only scans the user functions folder, not the one frameworks
    // write to, so the functions are called directly in the other tests.)
    const dev = new NetlifyDev({
      projectRoot: root,
      serverAddress: 'http://127.0.0.1:9',
      aiGateway: { enabled: false },
      blobs: { enabled: false },
      database: { enabled: false },
      edgeFunctions: { enabled: false },
      environmentVariables: { enabled: false },
      geolocation: { enabled: false },
      images: { enabled: false },
    });
    await dev.start();
    try {
      const expected = Object.fromEntries(
        Object.entries(securityHeaders({ hsts: true })).map(([name, value]) => [name.toLowerCase(), value]),
      );
      for (const path of ['/', '/vermieten/', '/vermieten', '/en/', '/datenschutz/']) {
        const match = await dev.handleAndIntrospect(new Request(new URL(path, site)));
        expect(match?.type, path).toBe('static');
        expect(match!.response.status, path).toBe(200);
        expect(Object.fromEntries(match!.response.headers), path).toMatchObject(expected);
        expect(await match!.response.text(), path).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
      }
    } finally {
      await dev.stop();
    }
  });

  it('configures Netlify: build command, publish folder, the functions and their schedule', async () => {
    const toml = readFileSync(join(root, 'netlify.toml'), 'utf8');
    expect(toml).toMatch(/^\s*command = "npm run build:netlify"$/m);
    expect(toml).toMatch(/^\s*publish = "dist-netlify"$/m);
    expect(relative(root, publishDir)).toBe('dist-netlify');
    // The adapter's function takes every path that has no static file.
    expect(await functionConfig('ssr')).toMatchObject({ path: '/*', preferStatic: true });
    expect(await functionConfig(scheduledFunctionName)).toMatchObject({
      schedule: deliverySchedule,
      nodeBundler: 'none',
    });
    expect(deliverySchedule).toBe('* * * * *');
    // The scheduled function is one bundle: no node_modules to trace, nothing of public/.
    const files = readdirSync(join(functionsDir, scheduledFunctionName));
    expect(files.every((f) => f.endsWith('.mjs'))).toBe(true);
    expect(statSync(join(functionsDir, scheduledFunctionName, 'scheduled.mjs')).size).toBeGreaterThan(0);
  });

  it('renders the offer page on demand with Astro’s CSP as a header, the security headers and no-store', async () => {
    const page = await call('/angebot/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="privacyConsent"');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src[^;]*'sha256-/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('strict-transport-security')).toContain('max-age=31536000');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a path it does not know with the 404 page of its language and the security headers', async () => {
    for (const [path, lang] of [
      ['/gibt-es-nicht/', 'de'],
      ['/en/does-not-exist/', 'en'],
    ] as const) {
      const missing = await call(path);
      expect(missing.status, path).toBe(404);
      expect(await missing.text(), path).toContain(`lang="${lang}"`);
      expect(missing.headers.get('content-security-policy'), path).toBe(securityHeaders()['Content-Security-Policy']);
      expect(missing.headers.get('strict-transport-security'), path).toContain('max-age=31536000');
      expect(missing.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('stores a JSON offer in PostgreSQL with its delivery jobs and answers 201 with the reference', async () => {
    const offer = validOffer();
    const response = await postJson(offer);
    expect(response.status).toBe(201);
    const { reference, status } = await response.json();
    expect(status).toBe('received');
    expect(reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const [row] = await db`
      SELECT reference, status, carrier_id, payload FROM offers WHERE submission_id = ${String(offer.submissionId)}`;
    expect(row).toMatchObject({ reference, status: 'received', carrier_id: 'fluechtlingsrat' });
    expect((row!.payload as { name: string }).name).toBe('Erika Mustermann');
    const jobs = await db`
      SELECT j.channel || ':' || j.recipient_kind AS job, j.status FROM delivery_jobs j
      JOIN offers o ON o.id = j.offer_id WHERE o.reference = ${reference} ORDER BY j.id`;
    expect(jobs.map((j) => ({ ...j }))).toEqual([
      { job: 'email:coordinator', status: 'pending' },
      { job: 'email:landlord', status: 'pending' },
      { job: 'email:carrier', status: 'pending' },
      { job: 'webhook:carrier', status: 'pending' },
    ]);
    // The migrations built into the function ran on the empty database.
    const versions = (await db`SELECT version FROM schema_migrations ORDER BY version`).map((r) => Number(r.version));
    const files = readdirSync(join(root, 'functions', 'storage', 'migrations', 'postgres')).filter((f) =>
      /^\d{4}_.*\.sql$/.test(f),
    );
    expect(versions).toEqual(files.map((f) => Number(f.slice(0, 4))).sort((a, b) => a - b));
  });

  it('stores a resubmission once: 200 with the same reference, 409 for other answers', async () => {
    const offer = validOffer();
    const first = await (await postJson(offer)).json();
    const again = await postJson(offer);
    expect(again.status).toBe(200);
    expect((await again.json()).reference).toBe(first.reference);
    const changed = await postJson({ ...offer, deposit: 0 });
    expect(changed.status).toBe(409);
    expect(await db`SELECT count(*)::int AS n FROM offers WHERE submission_id = ${String(offer.submissionId)}`).toEqual(
      [{ n: 1 }],
    );
  });

  it('takes an offer without JavaScript: 303 to the confirmation page, which finds it in PostgreSQL', async () => {
    const posted = await postForm('/angebot/', asForm(validOffer({ name: 'Nina Navigation' }), { intent: 'submit' }));
    expect(posted.status).toBe(303);
    const location = posted.headers.get('location')!;
    expect(location).toMatch(/^\/angebot\/bestaetigung\/\?ref=[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const confirmation = await call(location);
    expect(confirmation.status).toBe(200);
    const reference = new URL(location, site).searchParams.get('ref')!;
    const html = await confirmation.text();
    expect(html).toContain(reference);
    expect(html).toContain('Vielen Dank für Ihr Angebot');
    const [stored] = await db`SELECT payload FROM offers WHERE reference = ${reference}`;
    expect((stored!.payload as { name: string }).name).toBe('Nina Navigation');
  });

  it('refuses what the intake refuses: 413, 415, 403 and 400', async () => {
    const tooLarge = await postJson(JSON.stringify(validOffer({ description: 'x'.repeat(200_000) })));
    expect(tooLarge.status).toBe(413);
    expect((await postJson('{}', { 'Content-Type': 'text/plain' })).status).toBe(415);
    const foreign = await postJson(validOffer(), { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: 'forbidden_origin' });
    expect((await postJson('{"name":')).status).toBe(400);
  });

  it('limits posts per client address (RATE_LIMIT 5/60 in the instance): 429 with Retry-After', async () => {
    const address = '198.51.100.7';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await postJson('{}', {}, address)).status);
    expect(statuses).toEqual(Array(5).fill(422));
    const limited = await postJson('{}', {}, address);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
    expect((await postJson('{}', {}, '198.51.100.8')).status).toBe(422);
  });

  it('delivers on the scheduled run: mails over SMTP, a signed webhook, every job done', async () => {
    const { reference } = await (await postJson(validOffer({ email: 'scheduled.test@example.org' }))).json();
    const run = await runSchedule();
    expect(run.delivered).toBeGreaterThanOrEqual(4);
    expect(await db`SELECT count(*)::int AS n FROM delivery_jobs WHERE status != 'delivered'`).toEqual([{ n: 0 }]);
    const mails = await Promise.all(smtp.mails.map((m) => simpleParser(m.raw)));
    const ours = mails.filter((m) => m.subject?.includes(reference));
    expect(
      ours
        .flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to]))
        .flatMap((to) => to!.value.map((v) => v.address))
        .sort(),
    ).toEqual([
      'auszugsmanagement@example.org',
      'fluechtlingsrat.wohnungsangebote@example.org',
      'scheduled.test@example.org',
    ]);
    const hook = hooks.received.find((r) => r.headers['webhook-id'] === `msg_${reference}_fluechtlingsrat`)!;
    expect(hook.url).toBe('/hook');
    const event = new Webhook(webhookSecret).verify(hook.body, hook.headers as Record<string, string>) as {
      type: string;
      data: { reference: string };
    };
    expect(event).toMatchObject({ type: 'offer.submitted', data: { reference } });
    // A second run finds nothing more to do: nothing is sent twice.
    const mailCount = smtp.mails.length;
    expect((await runSchedule()).claimed).toBe(0);
    expect(smtp.mails.length).toBe(mailCount);
    // The functions log counts and references, never personal data.
    expect(host.output()).toMatch(/"event":"delivery\.run","claimed":\d+,"delivered":\d+/);
    expect(host.output()).not.toContain('scheduled.test@example.org');
  });

  it('acts on a signed link from a mail: GET shows, POST acts once, the next run tells the carrier', async () => {
    const email = 'action.test@example.org';
    const { reference } = await (await postJson(validOffer({ email }))).json();
    await runSchedule();
    const confirmation = (await Promise.all(smtp.mails.map((m) => simpleParser(m.raw)))).find(
      (m) => m.subject?.includes(reference) && m.subject.startsWith('Ihr Wohnungsangebot'),
    )!;
    const path = /https:\/\/[^\s/]+(\/aktion\/\?t=[\w.-]+)/.exec(confirmation.text ?? '')?.[1];
    expect(path).toBeDefined();
    const events = async () =>
      (
        await db`SELECT e.action FROM offer_events e JOIN offers o ON o.id = e.offer_id
                 WHERE o.reference = ${reference} ORDER BY e.seq`
      ).map((row) => row.action);

    // Opening the link (a person or a mail scanner) shows the offer and changes nothing.
    for (let i = 0; i < 2; i++) {
      const page = await call(path!);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(reference);
      expect(html).toContain('Ja, Angebot zurückziehen');
      expect(html).not.toContain('Erika');
      expect(html).not.toMatch(/<script/);
      expect(page.headers.get('cache-control')).toBe('no-store');
    }
    expect(await events()).toEqual(['submitted']);

    const acted = await postForm(path!, '');
    expect(acted.status).toBe(303);
    const done = await call(acted.headers.get('location')!);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Ihr Angebot ist zurückgezogen');
    const again = await postForm(path!, '');
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Das war schon erledigt');
    expect(await events()).toEqual(['submitted', 'withdrawn']);

    // The next run delivers the event: the carrier's webhook (payload version 2) and the staff mails.
    await runSchedule();
    const hook = hooks.received.find((r) => {
      const body = JSON.parse(r.body) as { type: string; data: { reference: string } };
      return body.type === 'offer.withdrawn' && body.data.reference === reference;
    });
    expect(hook).toBeDefined();
    expect(new Webhook(webhookSecret).verify(hook!.body, hook!.headers as Record<string, string>)).toMatchObject({
      data: { reference, stage: 'withdrawn', event: { seq: 2, actor: 'landlord' } },
    });
    const staff = (await Promise.all(smtp.mails.map((m) => simpleParser(m.raw))))
      .filter((m) => m.subject === `Wohnungsangebot ${reference}: zurückgezogen`)
      .flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((to) => to!.value.map((v) => v.address)))
      .sort();
    expect(staff).toEqual(['auszugsmanagement@example.org', 'fluechtlingsrat.wohnungsangebote@example.org']);
    // Everyone is told: the maintenance of a later run erases the personal data of a withdrawn offer.
    await runSchedule();
    expect(await db`SELECT payload FROM offers WHERE reference = ${reference}`).toEqual([{ payload: null }]);
  });
});
