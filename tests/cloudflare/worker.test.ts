import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Webhook } from 'standardwebhooks';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { d1File, root } from '../../scripts/cloudflare-local.ts';
import { loadMigrations } from '../../functions/storage/migrations.ts';
import { migrateSqlite } from '../../functions/storage/sqlite.ts';
import { startCloudflarePortal, workerdMissing, type CloudflarePortal } from '../support/cloudflare.ts';
import { asForm, validOffer } from '../support/offers.ts';
import { startReceiver } from '../support/receivers.ts';

/**
 * The portal on Cloudflare, in Cloudflare's runtime: the Cloudflare build served by `wrangler
 * dev` (workerd from the npm package) with a local D1 migrated by wrangler from the SQLite
 * migrations, the Rate Limiting binding, and the Cron Trigger run by its local URL. Mail goes to a
 * local server that speaks SendGrid's v3 API, the carrier's webhook to a local receiver. The
 * stored rows are read from the D1 database file itself.
 */
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYq=';
const linkSecret = 'cloudflare-test-link-secret-0123456789abcdef';

describe.skipIf(workerdMissing)('the portal on Cloudflare (workerd, D1, Cron Trigger)', () => {
  let portal: CloudflarePortal;
  let mailApi: Awaited<ReturnType<typeof startReceiver>>;
  let hooks: Awaited<ReturnType<typeof startReceiver>>;
  let routingDir: string | undefined;

  beforeAll(async () => {
    mailApi = await startReceiver((_, res) => res.writeHead(202).end());
    hooks = await startReceiver((_, res) => res.writeHead(204).end());
    // The routing table is built into the Worker: the Kalk carrier gets a webhook to the receiver.
    const carriers = parseYaml(readFileSync(join(root, 'content', 'carriers.yaml'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    for (const carrier of carriers) {
      if (carrier.id === 'fluechtlingsrat') carrier.webhookUrl = `${hooks.url}/hooks/fluechtlingsrat`;
    }
    routingDir = mkdtempSync(join(tmpdir(), 'portal-cf-routing-'));
    const routing = join(routingDir, 'carriers.yaml');
    writeFileSync(routing, stringifyYaml(carriers));
    portal = await startCloudflarePortal({
      buildEnv: { ROUTING_FILE: routing },
      vars: {
        SENDGRID_API_KEY: 'SG.cloudflare-test',
        SENDGRID_API_URL: mailApi.url,
        WEBHOOK_SECRET_FLUECHTLINGSRAT: secret,
        LINK_SECRET: linkSecret,
        MAIL_FROM: 'Portal <portal@auszugsmanagement.example.org>',
      },
    });
    const { buildSeconds, migrateSeconds, startSeconds } = portal.timings;
    console.log(
      `Cloudflare build ${buildSeconds.toFixed(1)} s (D1 migrations beside it ${migrateSeconds.toFixed(1)} s), wrangler dev ready in ${startSeconds.toFixed(1)} s`,
    );
  }, 400_000);

  afterAll(async () => {
    await portal?.stop();
    await mailApi?.close();
    await hooks?.close();
    if (routingDir) rmSync(routingDir, { recursive: true, force: true });
  });

  /** Reads the local D1 database file (read-only, while the Worker runs). */
  function d1<T>(read: (db: DatabaseSync) => T): T {
    const db = new DatabaseSync(d1File(portal.persistTo), { readOnly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }

  let ip = 0;
  /** Each test posts as its own client (Cloudflare's client address header), apart from the rate limit test. */
  const client = () => `203.0.113.${++ip}`;
  const postJson = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${portal.url}/api/offers`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Origin: portal.url,
        'CF-Connecting-IP': client(),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /**
   * A request as a browser navigation sends it (Sec-Fetch-Mode: navigate). Node's fetch would
   * replace that header; the asset layer treats navigations differently (see wrangler.jsonc).
   */
  function navigate(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
      (resolve, reject) => {
        const req = request(
          new URL(path, portal.url),
          {
            method,
            agent: false,
            headers: {
              'Sec-Fetch-Mode': 'navigate',
              'Sec-Fetch-Dest': 'document',
              'Sec-Fetch-Site': 'same-origin',
              ...headers,
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
  }

  it('serves the information pages as static files with the security headers and no script', async () => {
    for (const path of ['/', '/vermieten/', '/en/', '/datenschutz/']) {
      const response = await navigate('GET', path);
      expect(response.status, path).toBe(200);
      // Structured data (JSON-LD) is the only script element, and it does not run.
      const scripts = [...response.body.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
      expect(
        scripts.filter((attributes) => !/type="application\/ld\+json"/.test(attributes!)),
        path,
      ).toEqual([]);
      expect(response.headers['content-security-policy'], path).toBe(
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'",
      );
      expect(response.headers['x-content-type-options'], path).toBe('nosniff');
      expect(response.headers['referrer-policy'], path).toBe('same-origin');
      expect(response.headers['strict-transport-security'], path).toContain('max-age=31536000');
      expect(response.headers['permissions-policy'], path).toContain('camera=()');
      expect(response.headers['cross-origin-opener-policy'], path).toBe('same-origin');
    }
    const asset = readdirSync(join(root, 'dist-cloudflare', 'client', '_astro')).find((f) => f.endsWith('.css'))!;
    const css = await fetch(`${portal.url}/_astro/${asset}`);
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const redirect = await fetch(`${portal.url}/vermieten`, { redirect: 'manual' });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get('location')).toBe('/vermieten/');
  });

  it('answers unknown paths with the 404 page of their language', async () => {
    const de = await navigate('GET', '/gibt-es-nicht/');
    expect(de.status).toBe(404);
    expect(de.body).toContain('lang="de"');
    const en = await navigate('GET', '/en/does-not-exist/');
    expect(en.status).toBe(404);
    expect(en.body).toContain('lang="en"');
  });

  it('renders the offer page on demand, with Astro’s CSP as a header and no-store', async () => {
    const page = await navigate('GET', '/angebot/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('name="privacyConsent"');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src[^;]*'sha256-/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['strict-transport-security']).toContain('max-age=');
  });

  it('stores a JSON offer in D1 with its delivery jobs and answers 201 with the reference', async () => {
    const offer = validOffer();
    const response = await postJson(offer);
    expect(response.status).toBe(201);
    const { reference, status } = await response.json();
    expect(status).toBe('received');
    expect(reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const row = d1(
      (db) =>
        db
          .prepare('SELECT reference, status, carrier_id, payload FROM offers WHERE submission_id = ?')
          .get(String(offer.submissionId)) as {
          reference: string;
          status: string;
          carrier_id: string;
          payload: string;
        },
    );
    expect(row).toMatchObject({ reference, status: 'received', carrier_id: 'fluechtlingsrat' });
    expect(JSON.parse(row.payload).name).toBe('Erika Mustermann');
    const jobs = d1((db) =>
      db
        .prepare(
          `SELECT j.channel || ':' || j.recipient_kind AS job, j.status FROM delivery_jobs j
           JOIN offers o ON o.id = j.offer_id WHERE o.reference = ? ORDER BY j.id`,
        )
        .all(reference),
    );
    expect(jobs).toEqual([
      { job: 'email:coordinator', status: 'pending' },
      { job: 'email:landlord', status: 'pending' },
      { job: 'email:carrier', status: 'pending' },
      { job: 'webhook:carrier', status: 'pending' },
    ]);
  });

  it('stores a resubmission once: 200 with the same reference, 409 for other answers', async () => {
    const offer = validOffer();
    const first = await (await postJson(offer)).json();
    const again = await postJson(offer);
    expect(again.status).toBe(200);
    expect((await again.json()).reference).toBe(first.reference);
    const changed = await postJson({ ...offer, deposit: 0 });
    expect(changed.status).toBe(409);
    expect((await changed.json()).reference).toBe(first.reference);
    expect(
      d1((db) =>
        db.prepare('SELECT count(*) AS n FROM offers WHERE submission_id = ?').get(String(offer.submissionId)),
      ),
    ).toEqual({ n: 1 });
  });

  it('takes an offer without JavaScript: 303 to the confirmation page, which finds it in D1', async () => {
    const posted = await navigate(
      'POST',
      '/angebot/',
      { 'Content-Type': 'application/x-www-form-urlencoded', Origin: portal.url, 'CF-Connecting-IP': client() },
      asForm(validOffer({ name: 'Nina Navigation' }), { intent: 'submit' }),
    );
    expect(posted.status).toBe(303);
    const location = String(posted.headers.location);
    expect(location).toMatch(/^\/angebot\/bestaetigung\/\?ref=[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const confirmation = await navigate('GET', location);
    expect(confirmation.status).toBe(200);
    const reference = new URL(location, portal.url).searchParams.get('ref')!;
    expect(confirmation.body).toContain(reference);
    expect(confirmation.body).toContain('Vielen Dank für Ihr Angebot');
    const stored = d1((db) => db.prepare('SELECT payload FROM offers WHERE reference = ?').get(reference)) as {
      payload: string;
    };
    expect(JSON.parse(stored.payload).name).toBe('Nina Navigation');
    // The review step without JavaScript renders on demand too.
    const review = await navigate(
      'POST',
      '/en/offer/',
      { 'Content-Type': 'application/x-www-form-urlencoded', Origin: portal.url, 'CF-Connecting-IP': client() },
      asForm(validOffer({ submissionId: undefined, locale: 'en' }), { intent: 'review' }),
    );
    expect(review.status).toBe(200);
    expect(review.body).toMatch(/name="submissionId" value="[0-9a-f-]{36}"/);
  });

  it('refuses what the intake refuses: 415, 403, and 400 for broken JSON', async () => {
    // On failure, the end of wrangler's log says why (once, in a run of the whole suite, the 403
    // came back as a 500 and did not recur; see the last test of this file).
    const log = () => portal.output().slice(-4000);
    // Every answer is read to its end before the next request, so no connection is left with an
    // unread body between the client, wrangler's proxy and workerd.
    const unsupported = await postJson('{}', { 'Content-Type': 'text/plain' });
    await unsupported.arrayBuffer();
    expect(unsupported.status, log()).toBe(415);
    const foreign = await postJson(validOffer(), { Origin: 'https://evil.example' });
    expect(foreign.status, log()).toBe(403);
    expect(await foreign.json()).toEqual({ error: 'forbidden_origin' });
    const broken = await postJson('{"name":');
    await broken.arrayBuffer();
    expect(broken.status, log()).toBe(400);
  });

  it('limits posts per client address with the Rate Limiting binding (10 a minute): 429 with Retry-After', async () => {
    // The binding counts in windows aligned to the clock's minutes: a burst that happens to cross
    // a minute is counted in two windows, so it is tried once more with a fresh address.
    for (let attempt = 1; ; attempt++) {
      const address = `198.51.100.${attempt}`;
      const window = () => Math.floor(Date.now() / 60_000);
      const first = window();
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const answer = await postJson('{}', { 'CF-Connecting-IP': address });
        await answer.arrayBuffer();
        statuses.push(answer.status);
      }
      const limited = await postJson('{}', { 'CF-Connecting-IP': address });
      if (window() !== first && attempt < 3) continue;
      expect(statuses).toEqual(Array(10).fill(422));
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
      expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
      break;
    }
    // Another address is not affected.
    expect((await postJson('{}', { 'CF-Connecting-IP': '198.51.100.200' })).status).toBe(422);
  });

  it('delivers on the Cron Trigger: mails through the SendGrid API, a signed webhook, jobs done in D1', async () => {
    const { reference } = await (await postJson(validOffer({ email: 'cron.test@example.org' }))).json();
    const pendingBefore = d1((db) =>
      db.prepare("SELECT count(*) AS n FROM delivery_jobs WHERE status = 'pending'").get(),
    );
    expect(pendingBefore).not.toEqual({ n: 0 });

    const run = await portal.cron();
    expect(run.status).toBe(200);

    expect(d1((db) => db.prepare("SELECT count(*) AS n FROM delivery_jobs WHERE status != 'delivered'").get())).toEqual(
      {
        n: 0,
      },
    );
    const mails = mailApi.received
      .filter((r) => r.url === '/v3/mail/send')
      .map((r) => ({ ...r, json: JSON.parse(r.body) }));
    const ours = mails.filter((m) => m.json.headers['Message-ID'].startsWith(`<${reference}.`));
    expect(ours.map((m) => m.json.personalizations[0].to[0].email).sort()).toEqual([
      'auszugsmanagement@example.org',
      'cron.test@example.org',
      'fluechtlingsrat.wohnungsangebote@example.org',
    ]);
    for (const m of ours) {
      // SendGrid's v3 Mail Send request: bearer key, JSON, one personalization, from, subject,
      // plain text before HTML (v3 wants that order), the stable Message-ID as a header.
      expect(m.headers.authorization).toBe('Bearer SG.cloudflare-test');
      expect(m.headers['content-type']).toBe('application/json');
      expect(Object.keys(m.json).sort()).toEqual(
        ['content', 'custom_args', 'from', 'headers', 'personalizations', 'subject']
          .concat(m.json.reply_to ? ['reply_to'] : [], m.json.attachments ? ['attachments'] : [])
          .sort(),
      );
      expect(m.json.personalizations).toHaveLength(1);
      expect(m.json.from).toEqual({ email: 'portal@auszugsmanagement.example.org', name: 'Portal' });
      expect(m.json.subject).toContain(reference);
      expect(m.json.content.map((c: { type: string }) => c.type)).toEqual(['text/plain', 'text/html']);
      expect(m.json.content.every((c: { value: string }) => c.value.length > 0)).toBe(true);
    }
    const hook = hooks.received.find((r) => r.headers['webhook-id'] === `msg_${reference}_fluechtlingsrat`)!;
    expect(hook.url).toBe('/hooks/fluechtlingsrat');
    const event = new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as {
      type: string;
      data: { reference: string };
    };
    expect(event).toMatchObject({ type: 'offer.submitted', data: { reference } });
    // The run logs one line with its counts, without personal data (wrangler passes the Worker's
    // console on a moment after the answer).
    const logged = /"event":"delivery\.run","claimed":\d+,"delivered":\d+/;
    for (let i = 0; i < 100 && !logged.test(portal.output()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(portal.output()).toMatch(logged);
    expect(portal.output()).not.toContain('cron.test@example.org');
  });

  it('acts on a signed link from a mail sent through SendGrid: GET shows, POST acts once, the cron run tells the carrier', async () => {
    const email = 'action.test@example.org';
    const { reference } = await (await postJson(validOffer({ email }))).json();
    expect((await portal.cron()).status).toBe(200);
    const confirmation = mailApi.received
      .map((r) => JSON.parse(r.body))
      .find((m) => m.personalizations[0].to[0].email === email && m.subject.includes(reference));
    const text: string = confirmation.content[0].value;
    // SITE_URL is the example address; the link's path and token are what matter.
    const path = /https:\/\/[^\s/]+(\/aktion\/\?t=[\w.-]+)/.exec(text)?.[1];
    expect(path).toBeDefined();
    const events = () =>
      d1((db) =>
        db
          .prepare(
            'SELECT e.action FROM offer_events e JOIN offers o ON o.id = e.offer_id WHERE o.reference = ? ORDER BY e.seq',
          )
          .all(reference)
          .map((row) => row.action),
      );

    // Opening the link (a person or a mail scanner) shows the offer and one button, and changes nothing.
    for (let i = 0; i < 2; i++) {
      const page = await navigate('GET', path!);
      expect(page.status).toBe(200);
      expect(page.body).toContain(reference);
      expect(page.body).toContain('Ja, Angebot zurückziehen');
      expect(page.body).not.toContain('Erika');
      expect(page.body).not.toMatch(/<script/);
      expect(page.headers['cache-control']).toBe('no-store');
    }
    expect(events()).toEqual(['submitted']);

    const form = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: portal.url };
    const acted = await navigate('POST', path!, form, '');
    expect(acted.status).toBe(303);
    const done = await navigate('GET', String(acted.headers.location));
    expect(done.status).toBe(200);
    expect(done.body).toContain('Ihr Angebot ist zurückgezogen');
    const again = await navigate('POST', path!, form, '');
    expect(again.status).toBe(200);
    expect(again.body).toContain('Das war schon erledigt');
    expect(events()).toEqual(['submitted', 'withdrawn']);

    // The next run delivers the event: the carrier's webhook (payload version 2) and the staff mails.
    expect((await portal.cron()).status).toBe(200);
    const hook = hooks.received.find((r) => {
      const body = JSON.parse(r.body);
      return body.type === 'offer.withdrawn' && body.data.reference === reference;
    });
    expect(hook).toBeDefined();
    expect(new Webhook(secret).verify(hook!.body, hook!.headers as Record<string, string>)).toMatchObject({
      data: { reference, stage: 'withdrawn', event: { seq: 2, actor: 'landlord' } },
    });
    const staff = mailApi.received
      .map((r) => JSON.parse(r.body))
      .filter((m) => m.subject === `Wohnungsangebot ${reference}: zurückgezogen`)
      .map((m) => m.personalizations[0].to[0].email)
      .sort();
    expect(staff).toEqual(['auszugsmanagement@example.org', 'fluechtlingsrat.wohnungsangebote@example.org']);
    // Everyone is told: the maintenance of a later run erases the personal data of a withdrawn offer.
    expect((await portal.cron()).status).toBe(200);
    expect(d1((db) => db.prepare('SELECT payload FROM offers WHERE reference = ?').get(reference))).toEqual({
      payload: null,
    });
  });

  it('has the schema the SQLite store migrates to: D1 applies exactly functions/storage/migrations/sqlite', () => {
    const schema = (db: DatabaseSync) =>
      db
        .prepare(
          `SELECT type, name, tbl_name, sql FROM sqlite_master
           WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT IN ('d1_migrations', 'schema_migrations')
           ORDER BY type, name`,
        )
        .all();
    const node = new DatabaseSync(':memory:');
    migrateSqlite(node);
    expect(d1(schema)).toEqual(schema(node));
    const applied = d1((db) => db.prepare('SELECT name FROM d1_migrations ORDER BY id').all());
    expect(applied.map((r) => r.name)).toEqual(loadMigrations('sqlite').map((m) => `${m.name}.sql`));
  });

  it('ships the same static pages and assets as the Node build (no JavaScript, same page weight)', () => {
    const node = join(root, 'dist', 'client');
    const cloudflare = join(root, 'dist-cloudflare', 'client');
    // `npm test` builds dist/ first; run alone, the comparison needs `npm run build`.
    if (!existsSync(join(node, 'index.html'))) throw new Error('no Node build in dist/: run `npm run build` first');
    const assets = (dir: string) =>
      readdirSync(join(dir, '_astro'))
        .filter((f) => !/\.(br|gz)$/.test(f))
        .sort();
    expect(assets(cloudflare)).toEqual(assets(node));
    for (const page of ['index.html', 'vermieten/index.html', 'en/index.html', 'fragen/index.html']) {
      expect(readFileSync(join(cloudflare, page), 'utf8'), page).toBe(readFileSync(join(node, page), 'utf8'));
    }
    // The privacy notice names the limit the Worker enforces: wrangler.jsonc's vars reach the build.
    expect(readFileSync(join(cloudflare, 'datenschutz', 'index.html'), 'utf8')).toContain('data-rate-limit="10/60"');
  });

  // Last in this file: after a refused request whose body was not read, wrangler's local proxy
  // loses its kept-alive connection to workerd and answers the next request with 500 ("Network
  // connection lost"); the Worker itself answered correctly. (Cloudflare's edge cannot be tried here.)
  it('refuses an offer larger than 32 KiB with 413 before reading it', async () => {
    const tooLarge = await navigate(
      'POST',
      '/api/offers',
      { 'Content-Type': 'application/json', Origin: portal.url, 'CF-Connecting-IP': client() },
      JSON.stringify({ description: 'x'.repeat(40 * 1024) }),
    );
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toEqual({ error: 'payload_too_large' });
  });
});
