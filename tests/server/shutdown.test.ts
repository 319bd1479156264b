import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { spawnPortal } from '../support/process.ts';
import { startReceiver } from '../support/receivers.ts';
import { tempDataDir, validOffer } from '../support/offers.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Graceful shutdown on SIGTERM (issue 10, "operating it"), as systemd or `docker stop` sends it:
 * the portal stops taking connections at once, finishes the request it is reading, lets the
 * delivery batch in hand end (here: a webhook whose receiver never answers, cut by the webhook
 * timeout) and leaves no job claimed, then exits with 0. The offer sent during the shutdown is
 * stored, and the job in flight stays pending for a later attempt: nothing lost, nothing dead.
 */
describe('SIGTERM', { timeout: 60_000 }, () => {
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('refuses new connections, finishes the request in flight and the delivery batch, releases every claim', async () => {
    const dataDir = tempDataDir();
    // Every webhook hangs: the worker is inside a job when the signal comes.
    const receiver = await startReceiver(() => {});
    cleanups.push(() => receiver.close());
    const routing = join(dataDir, 'carriers.yaml');
    const ids = ['caritas', 'drk', 'fluechtlingsrat'];
    writeFileSync(
      routing,
      ids
        .map((id, i) =>
          [
            `- id: ${id}`,
            `  name: Träger ${i + 1}`,
            '  description: { de: Träger., en: Carrier. }',
            `  email: ${id}@example.org`,
            `  webhookUrl: ${receiver.url}/${id}`,
            `  stadtbezirke: [${['Innenstadt, Rodenkirchen, Lindenthal', 'Ehrenfeld, Nippes, Chorweiler', 'Porz, Kalk, Mülheim'][i]}]`,
          ].join('\n'),
        )
        .join('\n'),
    );
    const portal = await spawnPortal({
      DATA_DIR: dataDir,
      ROUTING_FILE: routing,
      WEBHOOK_TIMEOUT_MS: '3000',
      // A failed attempt waits long: the job must still be pending when the process has gone.
      DELIVERY_BASE_DELAY_MS: '600000',
      ...Object.fromEntries(
        ids.map((id) => [`WEBHOOK_SECRET_${id.toUpperCase()}`, `whsec_${randomBytes(24).toString('base64')}`]),
      ),
    });
    cleanups.push(() => portal.stop());

    const first = await fetch(`${portal.url}/api/offers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: portal.url },
      body: JSON.stringify(validOffer()),
    });
    expect(first.status).toBe(201);
    // The worker has the webhook job in hand once the receiver holds its request.
    while (receiver.received.length === 0) await sleep(50);

    // A landlord's request that is still arriving: headers and half of the body.
    const body = JSON.stringify(validOffer());
    const socket = connect(portal.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const half = Math.floor(body.length / 2);
    socket.write(
      [
        'POST /api/offers HTTP/1.1',
        `Host: 127.0.0.1:${portal.port}`,
        'Content-Type: application/json',
        `Origin: ${portal.url}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        body.slice(0, half),
      ].join('\r\n'),
    );
    // Ordering slack, not a timed assertion: the portal has read the headers before the signal.
    await sleep(500);

    const exited = new Promise<number | null>((resolve) => portal.child.once('exit', (code) => resolve(code)));
    portal.child.kill('SIGTERM');
    await sleep(300);
    // No new connections from the moment of the signal.
    await expect(fetch(`${portal.url}/api/health`)).rejects.toThrow();

    // The request in flight is finished and answered.
    socket.end(body.slice(half));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);

    expect(await exited).toBe(0);
    const db = new DatabaseSync(join(dataDir, 'offers.sqlite'), { readOnly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM offers').get()).toEqual({ n: 2 });
      expect(db.prepare('SELECT count(*) AS n FROM delivery_jobs WHERE claimed_by IS NOT NULL').get()).toEqual({
        n: 0,
      });
      expect(db.prepare("SELECT count(*) AS n FROM delivery_jobs WHERE status = 'dead'").get()).toEqual({ n: 0 });
      // The webhook that hung: attempted, not delivered, waiting for its next attempt.
      expect(
        db
          .prepare(
            "SELECT status, attempts >= 1 AS tried, last_error IS NOT NULL AS failed FROM delivery_jobs WHERE channel = 'webhook' ORDER BY id LIMIT 1",
          )
          .get(),
      ).toEqual({ status: 'pending', tried: 1, failed: 1 });
    } finally {
      db.close();
    }
    expect(portal.output()).not.toMatch(/"event":"http\.error"/);
  });
});
