import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { spawnPortal, type PortalProcess } from '../support/process.ts';
import { startReceiver } from '../support/receivers.ts';
import { asForm, tempDataDir, validOffer } from '../support/offers.ts';
import { root, routingWithWebhooks } from '../support/content-files.ts';

/**
 * No personal data in any log line (issue 8, item 6), end to end: the portal runs as its own
 * process, offers full of canary values arrive through every path (JSON, the form without
 * JavaScript, a JSON body posted as a form, an invalid offer), the landlord's mail server
 * rejects the address with a 550 that quotes it, every webhook fails until it is dead, and the
 * operator commands list what is dead and held. Nothing the landlord typed may appear in what
 * the portal or the commands wrote to stdout or stderr.
 */
const canaries = {
  name: 'Kanarienvogel Zwitscherling',
  email: 'kanarienvogel.zwitscher@example.org',
  phone: '0221 7331 7331',
  contactNotes: 'Kanarienhinweis abends',
  street: 'Kanarienweg',
  description: 'Kanarienbeschreibung mit Balkon',
};
const canaryValues = Object.values(canaries);
const exec = promisify(execFile);

function expectNoCanary(text: string, where: string) {
  for (const value of canaryValues) expect(text.includes(value), `${where} contains "${value}"`).toBe(false);
  // Parts of the address count too: a mail server may quote only the local part or the domain.
  expect(text.includes('kanarienvogel.zwitscher'), `${where} contains the address`).toBe(false);
}

describe('no personal data in the logs, on every path', { timeout: 120_000 }, () => {
  let portal: PortalProcess;
  let smtp: SMTPServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dataDir: string;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = tempDataDir();
    // The landlord's server refuses the canary address at RCPT and quotes it, as real ones do.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address === canaries.email) {
          const error = new Error(`5.1.1 <${address.address}>: Recipient address rejected`) as Error & {
            responseCode: number;
          };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    // Every carrier's webhook fails, and its answer echoes the body it got.
    receiver = await startReceiver((request, res) => res.writeHead(500).end(`rejected: ${request.body}`));
    const routing = routingWithWebhooks(dataDir, receiver.url);
    Object.assign(env, {
      DATA_DIR: dataDir,
      ROUTING_FILE: routing.file,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      DELIVERY_BASE_DELAY_MS: '100',
      DELIVERY_MAX_DELAY_MS: '200',
      DELIVERY_MAX_ATTEMPTS: '2',
      ...Object.fromEntries(
        routing.ids.map((id) => [
          `WEBHOOK_SECRET_${id.toUpperCase()}`,
          `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
        ]),
      ),
    });
    portal = await spawnPortal(env);
  });
  afterAll(async () => {
    await portal?.stop();
    await receiver?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  const post = (path: string, body: string, type: string) =>
    fetch(`${portal.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': type, Origin: portal.url },
      body,
      redirect: 'manual',
    });

  it('finds no canary in stdout, stderr or the operator commands', async () => {
    // With JavaScript: JSON.
    const json = await post('/api/offers', JSON.stringify(validOffer(canaries)), 'application/json');
    expect(json.status).toBe(201);
    // Without JavaScript: review, then send.
    const noJs = validOffer({ ...canaries, submissionId: undefined });
    const review = await post('/angebot/', asForm(noJs, { intent: 'review' }), 'application/x-www-form-urlencoded');
    expect(review.status).toBe(200);
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(await review.text())?.[1];
    expect(submissionId).toBeDefined();
    const sent = await post(
      '/angebot/',
      asForm({ ...noJs, submissionId }, { intent: 'submit' }),
      'application/x-www-form-urlencoded',
    );
    expect(sent.status).toBe(303);
    // A JSON body posted as a form: one "field" whose name is the whole offer.
    const misposted = await post(
      '/angebot/',
      JSON.stringify(validOffer(canaries)),
      'application/x-www-form-urlencoded',
    );
    expect(misposted.status).toBe(422);
    // An invalid offer full of canaries, and a form with fields nobody knows.
    const invalid = await post(
      '/api/offers',
      JSON.stringify(validOffer({ ...canaries, rooms: 'viele', [canaries.name]: canaries.street })),
      'application/json',
    );
    expect(invalid.status).toBe(422);

    // Wait until every job is final: staff mails delivered, the landlord's refused, webhooks dead.
    const db = new DatabaseSync(join(dataDir, 'offers.sqlite'), { readOnly: true });
    await expect
      .poll(
        () => (db.prepare(`SELECT count(*) AS n FROM delivery_jobs WHERE status = 'pending'`).get() as { n: number }).n,
        {
          timeout: 60_000,
          interval: 250,
        },
      )
      .toBe(0);
    const byStatus = db
      .prepare(
        `SELECT recipient_kind AS kind, channel, status, count(*) AS n FROM delivery_jobs GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      )
      .all();
    db.close();
    // The failures happened, so their error texts went through the logger.
    expect(byStatus).toContainEqual({ kind: 'landlord', channel: 'email', status: 'dead', n: 2 });
    expect(byStatus).toContainEqual(expect.objectContaining({ kind: 'carrier', channel: 'webhook', status: 'dead' }));
    expect(receiver.received.length).toBeGreaterThanOrEqual(4);
    expect(portal.output()).toMatch(/"delivery\.(failed|dead)/);

    // The operator's view of the same: dead jobs with their errors, held offers.
    const commands = await Promise.all(
      [['outbox.ts', 'dead'], ['outbox.ts', 'held'], ['purge.ts']].map(([file, ...args]) =>
        exec(process.execPath, [join(root, 'functions', file!), ...args], {
          cwd: root,
          env: { ...process.env, ...env },
        }),
      ),
    );
    expect(commands[0]!.stdout).toMatch(/550/);

    expectNoCanary(portal.output(), 'the portal output');
    commands.forEach(({ stdout, stderr }, i) => expectNoCanary(stdout + stderr, `command ${i}`));
  });
});
