import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createMailTransport, smtpOptionsFromUrl, type OutgoingMail } from './mail.ts';
import { header, startReceiver, startSmtp } from '../../tests/support/receivers.ts';
import { tempDataDir } from '../../tests/support/offers.ts';

const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  from: 'Portal <portal@auszugsmanagement.example.org>',
  to: 'koordination@example.org',
  replyTo: { name: 'Erika Mustermann', address: 'erika@example.org' },
  subject: 'Wohnungsangebot K7M4-QX9T: 2,5 Zi., 62 m², Kalk',
  text: 'Text part',
  html: '<p>HTML part</p>',
  messageId: '<K7M4-QX9T.coordinator.coordinator@auszugsmanagement.example.org>',
  attachments: [
    {
      filename: 'wohnungsangebot-K7M4-QX9T.json',
      contentType: 'application/json',
      content: '{"reference":"K7M4-QX9T"}',
    },
  ],
  ...overrides,
});

describe('SMTP_URL', () => {
  it.each([
    [
      'smtp://mail.example.org',
      { host: 'mail.example.org', port: 587, secure: false, requireTLS: false, auth: undefined },
    ],
    [
      'smtps://user%40x:p%40ss@mail.example.org',
      { host: 'mail.example.org', port: 465, secure: true, requireTLS: false, auth: { user: 'user@x', pass: 'p@ss' } },
    ],
    [
      'smtp://u:p@127.0.0.1:2525?requireTLS=true',
      { host: '127.0.0.1', port: 2525, secure: false, requireTLS: true, auth: { user: 'u', pass: 'p' } },
    ],
  ])('%s', (url, expected) => {
    expect(smtpOptionsFromUrl(url)).toEqual(expected);
  });
  it('refuses other schemes', () => {
    expect(() => smtpOptionsFromUrl('http://mail.example.org')).toThrow(/smtp/);
  });
});

describe('SMTP transport against a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let transport: ReturnType<typeof createMailTransport>;
  beforeAll(async () => {
    smtp = await startSmtp();
    transport = createMailTransport({ smtpUrl: smtp.url, dataDir: tempDataDir() });
  });
  afterAll(async () => {
    transport.close();
    await smtp.close();
  });

  it('delivers with Message-ID, Reply-To, both parts and the JSON attachment', async () => {
    expect(await transport.send(mail())).toMatchObject({ ok: true });
    const received = smtp.mails.at(-1)!;
    expect(received.to).toEqual(['koordination@example.org']);
    expect(header(received.raw, 'Message-ID')).toBe(
      '<K7M4-QX9T.coordinator.coordinator@auszugsmanagement.example.org>',
    );
    expect(header(received.raw, 'Reply-To')).toContain('erika@example.org');
    expect(received.raw).toContain('Content-Type: text/plain');
    expect(received.raw).toContain('Content-Type: text/html');
    expect(received.raw).toMatch(/filename=wohnungsangebot-K7M4-QX9T\.json/);
    expect(header(received.raw, 'X-Mailer')).toBeUndefined();
  });

  it('cannot be made to add recipients or headers through a display name', async () => {
    await transport.send(
      mail({
        replyTo: { name: 'Erika\r\nBcc: evil@example.org', address: 'erika@example.org' },
        subject: 'Hallo\r\nBcc: evil@example.org',
      }),
    );
    const received = smtp.mails.at(-1)!;
    expect(received.to).toEqual(['koordination@example.org']);
    expect(header(received.raw, 'Bcc')).toBeUndefined();
    expect(received.raw).not.toMatch(/^Bcc:/im);
  });

  it.each([
    [451, true],
    [421, true],
    [550, false],
    [554, false],
  ])('an SMTP %i answer is retried: %s', async (code, retry) => {
    smtp.reject(code);
    const outcome = await transport.send(mail());
    smtp.reject(undefined);
    expect(outcome).toMatchObject({ ok: false, retry });
  });

  it('retries when the server is down', async () => {
    const down = createMailTransport({ smtpUrl: 'smtp://127.0.0.1:1', dataDir: tempDataDir() });
    expect(await down.send(mail())).toMatchObject({ ok: false, retry: true });
    down.close();
  });
});

describe('SendGrid transport against a local server that checks the v3 request', () => {
  let api: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => (api = await startReceiver()));
  afterAll(() => api.close());
  const transport = () =>
    createMailTransport({ sendgridApiKey: 'SG.test-key', sendgridBaseUrl: api.url, dataDir: tempDataDir() });

  it('posts a valid /v3/mail/send request', async () => {
    api.setBehaviour((_, res) => res.writeHead(202).end());
    expect(await transport().send(mail())).toMatchObject({ ok: true, detail: 'SendGrid HTTP 202' });
    const request = api.received.at(-1)!;
    expect(request.url).toBe('/v3/mail/send');
    expect(request.headers.authorization).toBe('Bearer SG.test-key');
    expect(request.headers['content-type']).toContain('application/json');
    const body = JSON.parse(request.body);
    expect(body.personalizations[0].to).toEqual([{ email: 'koordination@example.org' }]);
    expect(body.from).toEqual({ email: 'portal@auszugsmanagement.example.org', name: 'Portal' });
    expect(body.reply_to).toEqual({ email: 'erika@example.org', name: 'Erika Mustermann' });
    expect(body.subject).toBe(mail().subject);
    expect(body.content).toEqual([
      { type: 'text/plain', value: 'Text part' },
      { type: 'text/html', value: '<p>HTML part</p>' },
    ]);
    expect(body.headers['Message-ID']).toBe(mail().messageId);
    expect(Buffer.from(body.attachments[0].content, 'base64').toString()).toBe('{"reference":"K7M4-QX9T"}');
    expect(body.attachments[0]).toMatchObject({
      filename: 'wohnungsangebot-K7M4-QX9T.json',
      type: 'application/json',
      disposition: 'attachment',
    });
  });

  it.each([
    [500, true],
    [429, true],
    [400, false],
    [401, false],
  ])('HTTP %i is retried: %s', async (status, retry) => {
    api.setBehaviour((_, res) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end('{"errors":[{"message":"x"}]}'),
    );
    expect(await transport().send(mail())).toMatchObject({ ok: false, retry });
  });

  it('honours Retry-After and names the error without the addresses SendGrid quotes', async () => {
    api.setBehaviour((_, res) =>
      res
        .writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '120' })
        .end('{"errors":[{"message":"too many requests for erika@example.org"}]}'),
    );
    const outcome = await transport().send(mail());
    expect(outcome).toMatchObject({ ok: false, retry: true, retryAfterMs: 120_000 });
    expect(outcome.detail).toBe('SendGrid HTTP 429: too many requests for <address>');
  });

  it('sends a display name with umlauts and a bare address as they are', async () => {
    api.setBehaviour((_, res) => res.writeHead(202).end());
    await transport().send(
      mail({ from: 'Wohnraum für Geflüchtete in Köln <portal@example.org>', to: 'x@example.org', replyTo: undefined }),
    );
    const body = JSON.parse(api.received.at(-1)!.body);
    expect(body.from).toEqual({ email: 'portal@example.org', name: 'Wohnraum für Geflüchtete in Köln' });
    expect(body.personalizations[0].to).toEqual([{ email: 'x@example.org' }]);
    expect(body.reply_to).toBeUndefined();
  });

  it('retries when the API cannot be reached', async () => {
    const down = createMailTransport({ sendgridApiKey: 'SG.x', sendgridBaseUrl: 'http://127.0.0.1:1', dataDir: '' });
    expect(await down.send(mail())).toMatchObject({
      ok: false,
      retry: true,
      detail: expect.stringMatching(/^SendGrid network/),
    });
  });
});

describe('.eml transport (the default without configuration)', () => {
  it('writes the complete message into DATA_DIR/mail, private to the owner, and says so without the address', async () => {
    const dataDir = tempDataDir();
    const lines: string[] = [];
    const transport = createMailTransport({
      dataDir,
      log: (event, fields) => lines.push(JSON.stringify({ event, ...fields })),
    });
    expect(await transport.send(mail())).toMatchObject({ ok: true });
    const files = readdirSync(join(dataDir, 'mail'));
    expect(files).toHaveLength(1);
    const raw = readFileSync(join(dataDir, 'mail', files[0]!), 'utf8');
    expect(header(raw, 'Message-ID')).toBe(mail().messageId);
    expect(header(raw, 'To')).toBe('koordination@example.org');
    expect(lines[0]).toContain('mail.written');
    expect(lines[0]).toContain(files[0]);
    expect(lines.join('')).not.toContain('koordination@');
    expect(statSync(join(dataDir, 'mail')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'mail', files[0]!)).mode & 0o777).toBe(0o600);
  });
});
