import type { MailTransport, OutgoingMail } from './mail.ts';
import { parseRetryAfter, type DeliveryOutcome } from './webhooks.ts';
import { scrub } from '../lib/log.ts';

/**
 * SendGrid's v3 Mail Send API over `fetch`: one POST per mail, nothing else. It runs unchanged in
 * Node, in Cloudflare's workerd (where raw SMTP sockets are not the norm) and in Netlify
 * Functions. SendGrid's own client (`@sendgrid/client`) is built on axios and Node's http module;
 * this needs neither.
 */
export interface SendGridOptions {
  apiKey: string;
  /** `eu` sends through SendGrid's EU region (api.eu.sendgrid.com; needs an EU subuser). */
  dataResidency?: 'global' | 'eu';
  /** Only for tests against a local server that speaks the v3 API. */
  baseUrl?: string;
  timeoutMs?: number;
}

const hosts = { global: 'https://api.sendgrid.com', eu: 'https://api.eu.sendgrid.com' } as const;

/** `Name <address>` or a bare address, as v3 wants it. */
export function sendgridAddress(value: string): { email: string; name?: string } {
  const match = /^\s*"?(.*?)"?\s*<([^<>\s]+)>\s*$/.exec(value);
  if (!match) return { email: value.trim() };
  return match[1] ? { email: match[2]!, name: match[1] } : { email: match[2]! };
}

/** The v3 request body for one mail. */
export function sendgridBody(mail: OutgoingMail) {
  return {
    personalizations: [{ to: [sendgridAddress(mail.to)] }],
    from: sendgridAddress(mail.from),
    ...(mail.replyTo ? { reply_to: { email: mail.replyTo.address, name: mail.replyTo.name } } : {}),
    subject: mail.subject,
    content: [
      { type: 'text/plain', value: mail.text },
      { type: 'text/html', value: mail.html },
    ],
    headers: { 'Message-ID': mail.messageId },
    custom_args: { messageId: mail.messageId },
    ...(mail.attachments?.length
      ? {
          attachments: mail.attachments.map((a) => ({
            filename: a.filename,
            type: a.contentType,
            disposition: 'attachment',
            content: Buffer.from(a.content).toString('base64'),
          })),
        }
      : {}),
  };
}

/** SendGrid's error text, if it sent one ({"errors":[{"message": …}]}), without addresses. */
async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: Array<{ message?: string }> };
    return scrub(body.errors?.map((e) => e.message).join('; ') ?? '');
  } catch {
    return '';
  }
}

export function sendgridTransport(options: SendGridOptions): MailTransport {
  const base = (options.baseUrl ?? hosts[options.dataResidency ?? 'global']).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    name: 'sendgrid',
    async send(mail): Promise<DeliveryOutcome> {
      let response: Response;
      try {
        response = await fetch(`${base}/v3/mail/send`, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(sendgridBody(mail)),
        });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        return {
          ok: false,
          retry: true,
          detail: timedOut ? `SendGrid timeout after ${timeoutMs} ms` : `SendGrid network: ${scrub(error)}`,
        };
      }
      const { status } = response;
      if (status >= 200 && status < 300) {
        await response.body?.cancel();
        return { ok: true, detail: `SendGrid HTTP ${status}` };
      }
      const text = await errorText(response);
      return {
        ok: false,
        retry: status === 408 || status === 429 || status >= 500,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        detail: `SendGrid HTTP ${status}${text ? `: ${text}` : ''}`,
      };
    },
    close: () => {},
  };
}
