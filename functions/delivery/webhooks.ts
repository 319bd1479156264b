import { createHmac } from 'node:crypto';
import { isAllowedWebhookUrl } from '../../src/schemas/webhook-url.ts';

/**
 * Webhooks per the Standard Webhooks specification (standardwebhooks.com): headers
 * `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), secrets `whsec_<base64>`. The id stays the
 * same on every retry, so a receiver can drop duplicates.
 */

/** The secret's key bytes: the base64 after `whsec_`. */
export function secretKey(secret: string): Buffer {
  const match = /^whsec_([A-Za-z0-9+/=]+)$/.exec(secret.trim());
  if (!match) throw new Error('webhook secret must look like whsec_<base64>');
  const key = Buffer.from(match[1]!, 'base64');
  if (key.length < 24 || key.length > 64) throw new Error('webhook secret must hold 24 to 64 bytes');
  return key;
}

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** Environment variable that holds a recipient's secret: WEBHOOK_SECRET_<ID>, e.g. WEBHOOK_SECRET_CARITAS. */
export function secretEnvName(recipientId: string): string {
  return `WEBHOOK_SECRET_${recipientId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export type DeliveryOutcome =
  { ok: true; detail: string } | { ok: false; retry: boolean; retryAfterMs?: number; detail: string };

/** Seconds or an HTTP date in Retry-After, as milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Sends one signed webhook. Only http(s); redirects are not followed (a 3xx is a failure); a
 * timeout aborts. 2xx is delivered; 408, 429 and 5xx, timeouts and network errors are retried
 * (Retry-After honoured); other 4xx are permanent.
 */
export async function sendWebhook(options: {
  url: string;
  secret: string;
  id: string;
  body: string;
  timeoutMs?: number;
  now?: () => number;
}): Promise<DeliveryOutcome> {
  const { url, secret, id, body, timeoutMs = 10_000, now = Date.now } = options;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, retry: false, detail: 'invalid webhook URL' };
  }
  if (!isAllowedWebhookUrl(target)) {
    return {
      ok: false,
      retry: false,
      detail: `webhooks go over https only (got ${target.protocol}//${target.hostname})`,
    };
  }
  const timestamp = Math.floor(now() / 1000);
  try {
    const response = await fetch(target, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'auszugsmanagement-portal-webhooks/1',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': sign(secret, id, timestamp, body),
      },
      body,
    });
    await response.body?.cancel();
    const status = response.status;
    if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
    const retryable = status === 408 || status === 429 || status >= 500;
    return {
      ok: false,
      retry: retryable,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      detail: `HTTP ${status}`,
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    return {
      ok: false,
      retry: true,
      detail:
        name === 'TimeoutError'
          ? `timeout after ${timeoutMs} ms`
          : `network: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
