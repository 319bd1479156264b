import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startPortal, type Portal } from '../../functions/server.ts';
import { loadConfig } from '../../functions/config.ts';
import { root } from '../support/content-files.ts';
import { asForm, tempDataDir, validOffer } from '../support/offers.ts';

/** The whole portal process over HTTP: the way a browser, a double click or a crash meets it. */
describe('the portal server', () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal({
      ...loadConfig({}),
      port: 0,
      dataDir: tempDataDir(),
      rateLimit: { limit: 0, windowMs: 1 },
    });
  });
  afterAll(() => portal.close());

  const send = (offer: Record<string, unknown>) =>
    fetch(`${portal.url}/api/offers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: portal.url },
      body: JSON.stringify(offer),
    });

  it('stores one offer for 25 concurrent duplicates of a submission', async () => {
    const offer = validOffer();
    const responses = await Promise.all(Array.from({ length: 25 }, () => send(offer)));
    const references = new Set(await Promise.all(responses.map(async (r) => (await r.json()).reference)));
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(24).fill(200), 201]);
    expect(references.size).toBe(1);
    const count = portal.store.db
      .prepare('SELECT count(*) AS n FROM offers WHERE submission_id = ?')
      .get(String(offer.submissionId));
    expect(count).toEqual({ n: 1 });
  });

  it('serves the confirmation page for a stored reference, and 404 for an unknown one', async () => {
    const { reference } = await (await send(validOffer())).json();
    const page = await fetch(`${portal.url}/angebot/bestaetigung/?ref=${reference}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(reference);
    expect(html).toContain('Vielen Dank für Ihr Angebot');
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect((await fetch(`${portal.url}/angebot/bestaetigung/?ref=ZZZZ-ZZZZ`)).status).toBe(404);
  });

  it('answers a no-JavaScript submit with 303 and a reload-safe confirmation address', async () => {
    const response = await fetch(`${portal.url}/api/offers`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: portal.url },
      body: asForm(validOffer(), { intent: 'submit' }),
    });
    expect(response.status).toBe(303);
    const confirmation = await fetch(`${portal.url}${response.headers.get('location')}`);
    expect(confirmation.status).toBe(200);
  });

  it('sends the security headers on API answers too', async () => {
    const response = await send({});
    expect(response.status).toBe(422);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('durability', () => {
  it('keeps an offer answered with 201 when the process is killed with SIGKILL right after', async () => {
    const dataDir = tempDataDir();
    const child = spawn(process.execPath, [join(root, 'functions', 'server.ts')], {
      cwd: root,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, RATE_LIMIT: 'off' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        const match = /running at (http:\/\/[^/\s]+)/.exec(chunk.toString());
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    });
    const offer = validOffer();
    const response = await fetch(`${url}/api/offers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: url },
      body: JSON.stringify(offer),
    });
    expect(response.status).toBe(201);
    child.kill('SIGKILL');
    const { reference } = await response.json();
    await new Promise((resolve) => child.once('exit', resolve));

    const db = new DatabaseSync(join(dataDir, 'offers.sqlite'));
    const row = db
      .prepare('SELECT reference, status FROM offers WHERE submission_id = ?')
      .get(String(offer.submissionId));
    const jobs = db.prepare('SELECT count(*) AS n FROM delivery_jobs').get();
    db.close();
    expect(row).toEqual({ reference, status: 'received' });
    expect(jobs).toEqual({ n: 3 });
  });
});
