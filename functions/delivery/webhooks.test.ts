import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { randomBytes } from 'node:crypto';
import { parseRetryAfter, secretEnvName, secretKey, sendWebhook, sign } from './webhooks.ts';
import { startReceiver } from '../../tests/support/receivers.ts';

const secret = `whsec_${randomBytes(32).toString('base64')}`;

describe('Standard Webhooks signatures', () => {
  it('are accepted by the standardwebhooks reference verifier', () => {
    const body = JSON.stringify({ type: 'offer.submitted', data: { reference: 'K7M4-QX9T', text: 'Grüße <>&' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'msg_K7M4-QX9T_caritas',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(secret, 'msg_K7M4-QX9T_caritas', timestamp, body),
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('are refused by the reference verifier when the body or the secret differs', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(secret, 'msg_1', timestamp, '{"a":1}'),
    };
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify('{"a":1}', headers)).toThrow();
  });

  it.each([['whsec_short'], ['not-a-secret'], [`whsec_${randomBytes(70).toString('base64')}`]])(
    'rejects the secret %s',
    (bad) => {
      expect(() => secretKey(bad)).toThrow();
    },
  );

  it('names the environment variable per recipient', () => {
    expect(secretEnvName('caritas')).toBe('WEBHOOK_SECRET_CARITAS');
    expect(secretEnvName('koeln-fr')).toBe('WEBHOOK_SECRET_KOELN_FR');
  });

  it.each([
    ['120', 120_000],
    ['0', 0],
    [null, undefined],
    ['soon', undefined],
  ])('reads Retry-After %j', (value, expected) => {
    expect(parseRetryAfter(value)).toBe(expected);
  });
  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:01:00 GMT', now)).toBe(60_000);
  });
});

describe('sending a webhook to a real receiver', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => (receiver = await startReceiver()));
  afterAll(() => receiver.close());
  const send = (path = '/hook', timeoutMs = 2000) =>
    sendWebhook({
      url: `${receiver.url}${path}`,
      secret,
      id: 'msg_K7M4-QX9T_caritas',
      body: '{"type":"offer.submitted"}',
      timeoutMs,
    });

  it('delivers on 2xx with headers the reference verifier accepts', async () => {
    receiver.setBehaviour((_, res) => res.writeHead(200).end('ok'));
    const outcome = await send();
    expect(outcome).toEqual({ ok: true, detail: 'HTTP 200' });
    const last = receiver.received.at(-1)!;
    expect(last.headers['webhook-id']).toBe('msg_K7M4-QX9T_caritas');
    expect(new Webhook(secret).verify(last.body, last.headers as Record<string, string>)).toEqual({
      type: 'offer.submitted',
    });
  });

  it.each([
    [500, true],
    [503, true],
    [408, true],
    [429, true],
    [400, false],
    [401, false],
    [410, false],
  ])('HTTP %i is retried: %s', async (status, retry) => {
    receiver.setBehaviour((_, res) => res.writeHead(status, { 'Retry-After': '7' }).end());
    const outcome = await send();
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.retry).toBe(retry);
    if (status === 429) expect(!outcome.ok && outcome.retryAfterMs).toBe(7000);
  });

  it('does not follow a redirect (3xx is a failure)', async () => {
    receiver.setBehaviour((_, res) => res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' }).end());
    const before = receiver.received.length;
    const outcome = await send();
    expect(outcome).toMatchObject({ ok: false, detail: 'HTTP 302' });
    expect(receiver.received.length).toBe(before + 1);
  });

  it('gives up on a hanging receiver after the timeout and retries later', async () => {
    receiver.setBehaviour(() => {});
    const outcome = await send('/hook', 300);
    expect(outcome).toMatchObject({ ok: false, retry: true, detail: 'timeout after 300 ms' });
  });

  it('retries when nobody listens', async () => {
    const outcome = await sendWebhook({ url: 'http://127.0.0.1:1/hook', secret, id: 'x', body: '{}' });
    expect(outcome).toMatchObject({ ok: false, retry: true });
  });

  it.each([['ftp://example.org/hook'], ['file:///etc/passwd'], ['not a url']])(
    'refuses %s without sending',
    async (url) => {
      expect(await sendWebhook({ url, secret, id: 'x', body: '{}' })).toMatchObject({ ok: false, retry: false });
    },
  );
});
